"""Serving read-only tool calls from a `ToolCache` (the article's `tool_cache=`).

Only read-only tools whose result depends on one file (`path` naming a file) are
cached; the key holds that file's content hash as the agent sees it (overlay,
editor buffer or disk), so an edited file never gets a stale answer. A backend
that fails is skipped: the tool runs as if there were no cache.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from trae_lsp.cache.base import CacheError, ToolCache, cache_key
from trae_lsp.errors import TraeError
from trae_lsp.tools.base import ToolContext, ToolResult
from trae_lsp.tools.registry import ToolRegistry


class CachedTools:
    """Runs tool calls through a registry, answering cacheable ones from the cache."""

    def __init__(self, registry: ToolRegistry, cache: ToolCache | None) -> None:
        self.registry = registry
        self.cache = cache
        self.hits = 0
        self.lookups = 0

    @property
    def hit_rate(self) -> float:
        """Share of this run's cacheable calls answered from the cache."""
        return self.hits / self.lookups if self.lookups else 0.0

    async def execute(
        self, name: str, arguments: Mapping[str, Any], ctx: ToolContext
    ) -> ToolResult:
        """The tool's result, from the cache when an identical call saw the same file."""
        key = self._key(name, arguments, ctx)
        if key is None or self.cache is None:
            return await self.registry.execute(name, arguments, ctx)
        self.lookups += 1
        try:
            cached = self.cache.get(key)
        except CacheError:
            cached = None
        if cached is not None:
            self.hits += 1
            return ToolResult(cached, value=cached)
        result = await self.registry.execute(name, arguments, ctx)
        if not result.is_error:
            with contextlib.suppress(CacheError):  # a failing backend only costs the speed-up
                self.cache.set(key, result.output)
        return result

    def _key(self, name: str, arguments: Mapping[str, Any], ctx: ToolContext) -> str | None:
        if self.cache is None or name not in self.registry:
            return None
        path = arguments.get("path")
        if not self.registry.get(name).read_only or not isinstance(path, str):
            return None
        workspace = ctx.workspace
        try:
            if workspace.is_dir(path) or not workspace.exists(path):
                return None
            digest = workspace.content_hash(path)
        except TraeError:  # a path outside the project: the tool reports it, uncached
            return None
        return cache_key(
            name, dict(arguments), {workspace.relative(workspace.resolve(path)): digest}
        )
