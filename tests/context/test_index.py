"""The persistent index: ignore rules, incremental updates, buffers, persistence, queries."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.context.conftest import IGNORED
from trae_lsp.context.errors import ContextError
from trae_lsp.context.index import PARALLEL_MIN_FILES, ContextIndex
from trae_lsp.context.symbols import Position


def _bump(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_ignore_rules_binaries_and_text_files(index: ContextIndex) -> None:
    paths = set(index.store.paths())
    assert {"pkg/core.py", "pkg/sub/keep.py", "docs/guide.md", ".gitignore"} <= paths
    assert not paths & set(IGNORED)
    assert index.definitions("hidden_function") == []
    assert index.definitions("fake") == []  # logo.bin is binary: listed, never parsed


def test_definitions_and_usages_with_enclosing_symbol(index: ContextIndex) -> None:
    (defn,) = index.definitions("parse_config")
    assert (defn.file, defn.kind, defn.line) == ("pkg/core.py", "function", 6)
    usages = {(u.file, u.line, u.enclosing) for u in index.find_usages("parse_config")}
    assert ("pkg/core.py", 20, "Loader.load") in usages
    assert ("tests/test_core.py", 5, "test_parse_config") in usages
    assert ("pkg/__init__.py", 1, "") in usages
    (usage,) = [u for u in index.find_usages("parse_config") if u.enclosing == "Loader.load"]
    assert usage.text == "return parse_config(fh.read())"


def test_related_files_follow_references_both_ways(index: ContextIndex) -> None:
    related = index.related_files("pkg/util.py")
    assert related[0] in {"pkg/core.py", "pkg/sub/keep.py"}
    assert {"pkg/core.py", "pkg/sub/keep.py"} <= set(related)


def test_edit_is_picked_up_incrementally(project: Path, index: ContextIndex) -> None:
    util = project / "pkg" / "util.py"
    util.write_text(util.read_text() + "\n\ndef titlecase(text):\n    return text.title()\n")
    _bump(util)
    stats = index.refresh()
    assert (stats.parsed, stats.removed) == (1, 0)
    assert [s.file for s in index.definitions("titlecase")] == ["pkg/util.py"]


def test_touch_without_change_is_not_reparsed(project: Path, index: ContextIndex) -> None:
    _bump(project / "pkg" / "util.py")
    stats = index.refresh()
    assert (stats.parsed, stats.unchanged) == (0, 1)
    assert index.refresh().unchanged == 0  # the new mtime was recorded


def test_rename_and_delete(project: Path, index: ContextIndex) -> None:
    (project / "pkg" / "util.py").rename(project / "pkg" / "text.py")
    (project / "pkg" / "sub" / "keep.py").unlink()
    stats = index.refresh()
    assert (stats.parsed, stats.removed) == (1, 2)
    assert [s.file for s in index.definitions("slugify")] == ["pkg/text.py"]
    assert index.definitions("report") == []
    assert "pkg/sub/keep.py" not in index.store.paths()


def test_persists_across_restarts(project: Path, index: ContextIndex) -> None:
    index.close()
    again = ContextIndex(project, workers=1)
    try:
        assert again.definitions("slugify")  # readable before any refresh
        assert again.refresh().parsed == 0
    finally:
        again.close()


def test_update_text_from_buffer_without_walk(project: Path, index: ContextIndex) -> None:
    assert index.update_text(project / "pkg" / "util.py", "def from_buffer():\n    pass\n")
    assert [s.file for s in index.definitions("from_buffer")] == ["pkg/util.py"]
    assert index.definitions("slugify") == []
    assert index.read_text("pkg/util.py").startswith("def from_buffer")
    assert index.refresh().parsed == 0  # an open buffer wins over the disk
    index.close_buffer("pkg/util.py")
    index.refresh()
    assert index.definitions("from_buffer") == []
    assert index.definitions("slugify")


def test_update_text_ignores_excluded_and_refuses_outside(
    project: Path, index: ContextIndex
) -> None:
    assert not index.update_text("build/new.py", "def nope(): pass\n")
    assert not index.update_text(".cache/new.py", "def nope(): pass\n")
    assert not index.update_text("locale/de.po", "def nope(): pass\n")
    assert index.definitions("nope") == []
    with pytest.raises(ContextError, match="outside the project"):
        index.update_text(project.parent / "elsewhere.py", "x = 1\n")


def test_outline_and_symbol_at(index: ContextIndex) -> None:
    assert [s.qualname for s in index.outline("pkg/core.py")] == [
        "parse_config",
        "Loader",
        "Loader.load",
    ]
    assert index.symbol_at("pkg/core.py", Position(19, 12)).qualname == "Loader.load"  # type: ignore[union-attr]
    assert index.symbol_at("pkg/core.py", Position(3, 0)) is None


def test_readers_query_while_a_thread_updates(project: Path, index: ContextIndex) -> None:
    started = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        started.set()
        try:
            for i in range(30):
                index.update_text("pkg/util.py", f"def gen_{i}():\n    return slugify('x')\n")
        except BaseException as e:  # surfaced by the assertion below
            errors.append(e)

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait()
    while thread.is_alive():
        assert index.definitions("parse_config")
        index.find_usages("slugify")
    thread.join()
    assert not errors
    assert [s.name for s in index.outline("pkg/util.py")] == ["gen_29"]


async def test_refresh_async_runs_off_the_loop(project: Path) -> None:
    ix = ContextIndex(project, workers=1)
    try:
        stats = await ix.refresh_async()
        assert stats.parsed == stats.files
        assert ix.definitions("Loader")
    finally:
        ix.close()


def test_parallel_cold_index_matches_serial(project: Path, tmp_path: Path) -> None:
    for i in range(PARALLEL_MIN_FILES + 10):
        (project / "pkg" / f"gen_{i}.py").write_text(
            f"def generated_{i}():\n    return slugify('{i}')\n"
        )
    ix = ContextIndex(project, workers=2)
    try:
        assert ix.refresh().parsed >= PARALLEL_MIN_FILES
        assert [s.file for s in ix.definitions("generated_0")] == ["pkg/gen_0.py"]
        assert len(ix.find_usages("slugify")) >= PARALLEL_MIN_FILES
    finally:
        ix.close()


def test_index_files_are_kept_out_of_git(project: Path, index: ContextIndex) -> None:
    assert (project / ".trae" / ".gitignore").read_text() == "context.sqlite3*\n"
