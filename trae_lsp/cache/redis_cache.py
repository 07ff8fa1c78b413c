"""`RedisCache`: tool results in Redis, shared between machines, expired by Redis itself."""

from __future__ import annotations

from typing import cast

import redis
import redis.exceptions

from trae_lsp.cache.base import CacheError, CacheStats

KEY_PREFIX = "trae:tool:"
"""Namespace of trae's keys in a shared Redis database."""

SOCKET_TIMEOUT_SECONDS = 5.0
"""A Redis that does not answer within this long counts as unreachable."""


class RedisCache(CacheStats):
    """A cache in Redis; entries expire after `ttl_seconds` (Redis `EX`)."""

    def __init__(
        self,
        host: str = "localhost",
        port: int = 6379,
        ttl_seconds: int = 3600,
        *,
        db: int = 0,
        password: str | None = None,
        prefix: str = KEY_PREFIX,
    ) -> None:
        super().__init__()
        self.host, self.port, self.ttl_seconds, self.prefix = host, port, ttl_seconds, prefix
        self._client = redis.Redis(
            host=host,
            port=port,
            db=db,
            password=password,
            socket_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        )

    def get(self, key: str) -> str | None:
        """The value stored under `key`, or `None` once Redis has expired it."""
        try:
            raw = cast(bytes | None, self._client.get(self.prefix + key))
        except redis.exceptions.RedisError as e:
            raise self._unavailable(e) from e
        return self._count(None if raw is None else raw.decode("utf-8"))

    def set(self, key: str, value: str) -> None:
        """Store `value` with the time to live."""
        try:
            self._client.set(self.prefix + key, value.encode("utf-8"), ex=self.ttl_seconds)
        except redis.exceptions.RedisError as e:
            raise self._unavailable(e) from e

    def delete(self, key: str) -> None:
        """Forget `key`."""
        try:
            self._client.delete(self.prefix + key)
        except redis.exceptions.RedisError as e:
            raise self._unavailable(e) from e

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def _unavailable(self, error: Exception) -> CacheError:
        return CacheError(
            f"Redis at {self.host}:{self.port} failed ({error}); start it, fix cache.host and "
            "cache.port, or set cache.backend to 'filesystem' or 'none'"
        )
