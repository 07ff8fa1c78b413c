"""Read-only tool calls answered from the tool cache when nothing they read has changed.

The key is the tool's name, its validated arguments and the content hash of every
file it reads (as the agent sees it: overlay, buffers, disk), so an edit to any of
those files changes the key and a stale result is never served. A failing cache
backend never fails a tool call: it is logged and the tool simply runs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from trae_lsp.cache.base import CacheError, ToolCache, cache_key
from trae_lsp.errors import TraeError
from trae_lsp.tools.base import BaseTool, ToolContext, ToolResult

_log = logging.getLogger(__name__)


async def invoke_cached(
    tool: BaseTool, arguments: Mapping[str, Any], ctx: ToolContext
) -> ToolResult:
    """Run one call, through `ctx.cache` when the tool is read-only and names what it reads."""
    key = call_key(tool, arguments, ctx)
    if key is None or ctx.cache is None:
        return await tool.invoke(arguments, ctx)
    hit = _get(ctx.cache, key)
    if hit is not None:
        return ToolResult(output=hit, cached=True)
    result = await tool.invoke(arguments, ctx)
    if not result.is_error:
        _set(ctx.cache, key, result.output)
    return result


def call_key(tool: BaseTool, arguments: Mapping[str, Any], ctx: ToolContext) -> str | None:
    """The cache key of a call, or `None` when it must not be cached."""
    if ctx.cache is None or not tool.read_only:
        return None
    try:
        params = tool.parse_arguments(arguments)
        reads = tool.cache_reads(params, ctx)
        if reads is None:
            return None
        ws = ctx.workspace
        hashes = {ws.relative(ws.resolve(path)): ws.content_hash(path) for path in reads}
    except (ValidationError, TraeError, OSError):
        return None  # the call itself will report the problem
    return cache_key(tool.name, params.model_dump(mode="json"), hashes)


def _get(cache: ToolCache, key: str) -> str | None:
    try:
        return cache.get(key)
    except (CacheError, OSError) as e:
        _log.warning("tool cache lookup failed, running the tool: %s", e)
        return None


def _set(cache: ToolCache, key: str, value: str) -> None:
    try:
        cache.set(key, value)
    except (CacheError, OSError) as e:
        _log.warning("tool cache store failed: %s", e)
