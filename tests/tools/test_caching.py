"""Read-only tool calls through the tool cache: hits, invalidation by content, never stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from trae_lsp.cache import FileSystemCache
from trae_lsp.tools.base import ToolContext
from trae_lsp.tools.builtin import workspace_tools
from trae_lsp.tools.registry import ToolRegistry
from trae_lsp.workspace import Workspace


@pytest.fixture
def cache(tmp_path: Path) -> FileSystemCache:
    return FileSystemCache(tmp_path / "cache", ttl_seconds=3600)


@pytest.fixture
def registry() -> ToolRegistry:
    return ToolRegistry(workspace_tools())


def _ctx(project: Path, cache: FileSystemCache, mode: str = "apply") -> ToolContext:
    return ToolContext(workspace=Workspace(project, mode=mode), cache=cache)


async def test_second_read_is_a_hit(
    project: Path, cache: FileSystemCache, registry: ToolRegistry
) -> None:
    ctx = _ctx(project, cache)
    first = await registry.execute("read_file", {"path": "README.md"}, ctx)
    second = await registry.execute("read_file", {"path": "README.md"}, ctx)
    assert (first.cached, second.cached) == (False, True)
    assert second.output == first.output == "# demo\n"
    assert (cache.hits, cache.misses, cache.hit_rate) == (1, 1, 0.5)


async def test_a_changed_file_is_never_served_stale(
    project: Path, cache: FileSystemCache, registry: ToolRegistry
) -> None:
    ctx = _ctx(project, cache)
    await registry.execute("view", {"path": "README.md"}, ctx)
    (project / "README.md").write_text("# changed on disk\n")
    result = await registry.execute("view", {"path": "README.md"}, ctx)
    assert (result.cached, result.output) == (False, "     1\t# changed on disk")
    await registry.execute("write_file", {"path": "README.md", "content": "# by agent\n"}, ctx)
    result = await registry.execute("view", {"path": "README.md"}, ctx)
    assert (result.cached, result.output) == (False, "     1\t# by agent")
    assert (await registry.execute("view", {"path": "README.md"}, ctx)).cached


async def test_overlay_and_buffers_change_the_key(
    project: Path, cache: FileSystemCache, registry: ToolRegistry
) -> None:
    ctx = _ctx(project, cache, mode="propose")
    await registry.execute("read_file", {"path": "README.md"}, ctx)
    ctx.workspace.set_buffer("README.md", "# unsaved\n", version=3)
    result = await registry.execute("read_file", {"path": "README.md"}, ctx)
    assert (result.cached, result.output) == (False, "# unsaved\n")


async def test_what_is_never_cached(
    project: Path, cache: FileSystemCache, registry: ToolRegistry
) -> None:
    ctx = _ctx(project, cache)
    for _ in range(2):
        await registry.execute("view", {"path": "src"}, ctx)  # directory listings
        await registry.execute("read_file", {"path": "missing.py"}, ctx)  # errors
        await registry.execute("write_file", {"path": "x.txt", "content": "x"}, ctx)  # writes
        await registry.execute("think", {"thought": "hm"}, ctx)  # no declared reads
    assert cache.hits == 0
    assert cache.misses == 2  # only the two lookups for missing.py; nothing stored


async def test_a_broken_cache_never_breaks_a_tool(
    project: Path, tmp_path: Path, registry: ToolRegistry
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    ctx = _ctx(project, FileSystemCache(blocker / "cache"))
    for _ in range(2):
        result = await registry.execute("read_file", {"path": "README.md"}, ctx)
        assert (result.output, result.is_error, result.cached) == ("# demo\n", False, False)
