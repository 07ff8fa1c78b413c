"""Both cache backends: hits, misses, hit rate, invalidation by content hash, expiry."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from trae.cache import (
    CacheError,
    FileSystemCache,
    RedisCache,
    ToolCache,
    cache_key,
    content_hash,
    create_cache,
)
from trae_lsp.config import CacheConfig


@pytest.fixture(params=["filesystem", "redis"])
def cache(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ToolCache]:
    if request.param == "filesystem":
        yield FileSystemCache(tmp_path / "cache", ttl_seconds=3600)
        return
    port = request.getfixturevalue("redis_port")
    backend = RedisCache(host="127.0.0.1", port=port, ttl_seconds=3600)
    yield backend
    backend.close()


def _read_key(text: str) -> str:
    return cache_key("read_file", {"path": "package.json"}, {"package.json": content_hash(text)})


def test_miss_then_hit_and_hit_rate(cache: ToolCache) -> None:
    key = _read_key('{"name": "demo"}')
    assert cache.get(key) is None
    cache.set(key, "file text ✓")
    assert cache.get(key) == "file text ✓"
    assert cache.get(key) == "file text ✓"
    assert (cache.hits, cache.misses) == (2, 1)
    assert cache.hit_rate == pytest.approx(2 / 3)


def test_changed_file_content_is_never_served_stale(cache: ToolCache) -> None:
    cache.set(_read_key('{"version": "1.0.0"}'), "old result")
    assert cache.get(_read_key('{"version": "2.0.0"}')) is None
    assert cache.get(_read_key('{"version": "1.0.0"}')) == "old result"


def test_delete_forgets_an_entry(cache: ToolCache) -> None:
    cache.set("k", "v")
    cache.delete("k")
    assert cache.get("k") is None


def test_hit_rate_is_zero_before_any_lookup(cache: ToolCache) -> None:
    assert cache.hit_rate == 0.0


def test_keys_depend_on_tool_arguments_and_hashes_only() -> None:
    base = cache_key("grep", {"pattern": "x", "path": "src"}, {"a": "1", "b": "2"})
    assert base == cache_key("grep", {"path": "src", "pattern": "x"}, {"b": "2", "a": "1"})
    assert base != cache_key("find_usages", {"pattern": "x", "path": "src"}, {"a": "1", "b": "2"})
    assert base != cache_key("grep", {"pattern": "y", "path": "src"}, {"a": "1", "b": "2"})
    assert base != cache_key("grep", {"pattern": "x", "path": "src"}, {"a": "1", "b": "3"})
    assert content_hash("é") == content_hash("é".encode())


def test_filesystem_entries_expire(tmp_path: Path) -> None:
    now = [1000.0]
    cache = FileSystemCache(tmp_path, ttl_seconds=60, clock=lambda: now[0])
    cache.set("k", "v")
    now[0] += 59
    assert cache.get("k") == "v"
    now[0] += 1
    assert cache.get("k") is None
    assert not list(tmp_path.rglob("*.json"))


def test_filesystem_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = FileSystemCache(tmp_path)
    cache.set("k", "v")
    (entry,) = tmp_path.rglob("*.json")
    entry.write_text("{not json")
    assert cache.get("k") is None and cache.misses == 1


def test_filesystem_unwritable_directory_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(CacheError, match=r"cache\.path"):
        FileSystemCache(blocker / "cache").set("k", "v")


def test_redis_entries_carry_the_ttl(redis_port: int) -> None:
    cache = RedisCache(host="127.0.0.1", port=redis_port, ttl_seconds=120)
    cache.set("k", "v")
    ttl = redis.Redis(host="127.0.0.1", port=redis_port).ttl("trae:tool:k")
    assert 0 < ttl <= 120
    cache.close()


def test_unreachable_redis_is_a_clear_error() -> None:
    with socket.socket() as listener:  # bound but not listening: connections are refused
        listener.bind(("127.0.0.1", 0))
        cache = RedisCache(host="127.0.0.1", port=listener.getsockname()[1])
        with pytest.raises(CacheError, match=r"cache\.backend"):
            cache.get("k")


def test_config_builds_the_backend(tmp_path: Path) -> None:
    assert create_cache(CacheConfig()) is None
    fs = create_cache(CacheConfig(backend="filesystem", path=str(tmp_path), ttl_seconds=5))
    assert isinstance(fs, FileSystemCache) and fs.path == tmp_path and fs.ttl_seconds == 5
    rc = create_cache(CacheConfig(backend="redis", host="cache.internal", port=6380))
    assert isinstance(rc, RedisCache) and (rc.host, rc.port) == ("cache.internal", 6380)
