"""The lock that serialises cold builds of one index across processes (and opens with them)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

if sys.platform != "win32":
    import fcntl


@contextmanager
def build_lock(db_path: Path) -> Iterator[None]:
    """Hold the exclusive lock of `db_path`'s cold builds, waiting while another process has it.

    A cold build runs without a journal; whoever opens the database meanwhile waits, so
    nobody reads, resets or rebuilds a half-written file. The OS drops the lock when a
    builder dies. Windows has no `flock`: there builds are not serialised.
    """
    with db_path.with_name(db_path.name + ".lock").open("ab") as handle:
        if sys.platform != "win32":
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
