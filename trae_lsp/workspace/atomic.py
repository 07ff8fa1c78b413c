"""Atomic file writes that keep the file's mode: readers see the old or the new file, never half."""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from pathlib import Path

NEW_FILE_MODE = 0o666
"""Mode requested for new files; the process umask narrows it, as for any editor."""


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` through a temp file in the same directory and `os.replace`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _existing_mode(path)
    tmp = path.with_name(f".{path.name}.trae-{uuid.uuid4().hex[:12]}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def remove_file(path: Path) -> None:
    """Delete a file if it is there."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _existing_mode(path: Path) -> int | None:
    """Permission bits of the file being replaced, or `None` for a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return None
