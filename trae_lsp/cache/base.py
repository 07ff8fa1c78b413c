"""What a tool-result cache is: get/set by key, with hit and miss counts.

Only read-only tools are cached, and the key includes the content hash of every file
the tool read, so an edited file changes the key and a stale result is never served.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Protocol

from trae_lsp.errors import TraeError

KEY_VERSION = "1"
"""Bumped when the key layout changes, so old entries stop matching."""


class CacheError(TraeError):
    """The cache backend failed; the message says how to fix or disable it."""


class ToolCache(Protocol):
    """A store of tool results by key, counting hits and misses."""

    hits: int
    misses: int

    @property
    def hit_rate(self) -> float:
        """Share of lookups answered from the cache (0.0 before any lookup)."""
        ...

    def get(self, key: str) -> str | None:
        """The cached value, or `None` (a miss) when absent or expired."""
        ...

    def set(self, key: str, value: str) -> None:
        """Store `value` under `key` for the cache's time to live."""
        ...

    def delete(self, key: str) -> None:
        """Forget `key`."""
        ...


class CacheStats:
    """Hit and miss counting shared by the backends."""

    def __init__(self) -> None:
        self.hits = 0
        self.misses = 0

    @property
    def hit_rate(self) -> float:
        """Share of lookups answered from the cache (0.0 before any lookup)."""
        lookups = self.hits + self.misses
        return self.hits / lookups if lookups else 0.0

    def _count(self, value: str | None) -> str | None:
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value


def content_hash(data: bytes | str) -> str:
    """The hash that stands for a file's content in cache keys."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def cache_key(tool_name: str, arguments: Mapping[str, Any], read_hashes: Mapping[str, str]) -> str:
    """A key for one tool call: tool, arguments and the hashes of the files it read."""
    payload = json.dumps(
        [KEY_VERSION, tool_name, arguments, dict(sorted(read_hashes.items()))],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
