"""Caches for read-only tool results: filesystem or Redis, chosen by `cache.backend`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trae_lsp.cache.base import CacheError, CacheStats, ToolCache, cache_key, content_hash
from trae_lsp.cache.filesystem import FileSystemCache
from trae_lsp.config import CacheConfig

if TYPE_CHECKING:
    from trae_lsp.cache.redis_cache import RedisCache

__all__ = [
    "CacheError",
    "CacheStats",
    "FileSystemCache",
    "RedisCache",
    "ToolCache",
    "cache_key",
    "content_hash",
    "create_cache",
]


def create_cache(config: CacheConfig) -> ToolCache | None:
    """The cache `cache.backend` names, or `None` when caching is off."""
    if config.backend == "filesystem":
        return FileSystemCache(config.path, config.ttl_seconds)
    if config.backend == "redis":
        from trae_lsp.cache.redis_cache import RedisCache

        return RedisCache(config.host, config.port, config.ttl_seconds)
    return None


def __getattr__(name: str) -> object:
    """`RedisCache` on first use: the redis client is slow to import and most runs skip it."""
    if name == "RedisCache":
        from trae_lsp.cache.redis_cache import RedisCache

        return RedisCache
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
