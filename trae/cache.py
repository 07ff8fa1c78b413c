"""Public facade for tool caches: `from trae.cache import FileSystemCache, RedisCache`."""

from trae_lsp.cache import (
    CacheError,
    FileSystemCache,
    RedisCache,
    ToolCache,
    cache_key,
    content_hash,
    create_cache,
)

__all__ = [
    "CacheError",
    "FileSystemCache",
    "RedisCache",
    "ToolCache",
    "cache_key",
    "content_hash",
    "create_cache",
]
