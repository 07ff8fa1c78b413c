"""`FileSystemCache`: tool results as small JSON files under a directory, with a TTL."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from trae_lsp.cache.base import CacheError, CacheStats


class FileSystemCache(CacheStats):
    """A cache in a local directory; entries expire after `ttl_seconds`."""

    def __init__(
        self,
        path: str | os.PathLike[str] = "~/.trae/cache",
        ttl_seconds: float = 3600,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.path = Path(path).expanduser()
        self.ttl_seconds = ttl_seconds
        self._clock = clock

    def get(self, key: str) -> str | None:
        """The value stored under `key`, unless absent, expired or unreadable."""
        file = self._file(key)
        try:
            entry = json.loads(file.read_text(encoding="utf-8"))
            expired = entry["expires_at"] <= self._clock()
            value = None if expired else str(entry["value"])
        except FileNotFoundError:
            return self._count(None)
        except (OSError, ValueError, KeyError, TypeError):
            value, expired = None, True
        if expired:
            self.delete(key)
        return self._count(value)

    def set(self, key: str, value: str) -> None:
        """Store `value` atomically, so a reader never sees half an entry."""
        file = self._file(key)
        entry = json.dumps({"expires_at": self._clock() + self.ttl_seconds, "value": value})
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(entry)
            os.replace(tmp, file)
        except OSError as e:
            raise CacheError(
                f"cannot write the tool cache under {self.path} ({e.strerror}); "
                "set cache.path to a writable directory or cache.backend to 'none'"
            ) from e

    def delete(self, key: str) -> None:
        """Forget `key`."""
        with contextlib.suppress(FileNotFoundError):
            self._file(key).unlink()

    def _file(self, key: str) -> Path:
        name = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.path / name[:2] / f"{name}.json"
