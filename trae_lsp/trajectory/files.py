"""Crash-safe file primitives: an fsynced append-only JSONL journal and atomic JSON writes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from trae_lsp.errors import TraeError

FILE_MODE = 0o600
"""Trajectories hold code and commands: readable by their owner only."""


class TrajectoryError(TraeError):
    """A trajectory cannot be written or read; the message names the file."""


class Journal:
    """An append-only JSONL file: each record is written at once, fsynced when asked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
            self._fd: int | None = os.open(path, flags, FILE_MODE)
        except OSError as e:
            raise TrajectoryError(
                f"cannot create trajectory journal {path}: {e.strerror}; "
                "check trajectory.output_dir (or TRAE_TRAJECTORY_DIR)"
            ) from e

    def append(self, record: dict[str, Any], *, durable: bool = True) -> int:
        """Write one record as a line; returns the bytes written.

        Written records survive the process being killed; `durable` also makes
        them (and every record before) survive a power loss, at the cost of an fsync.
        """
        if self._fd is None:
            raise TrajectoryError(f"journal {self.path} is closed")
        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        # Append-only: a kill can only ever tear the last line, which readers drop.
        _write_all(self._fd, line)
        if durable:
            os.fsync(self._fd)
        return len(line)

    def close(self) -> None:
        """Close the file; further appends raise."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def read_journal(path: Path) -> list[dict[str, Any]]:
    """The records of a journal; a torn last line (a kill mid-write) is dropped."""
    try:
        lines = path.read_bytes().split(b"\n")
    except OSError as e:
        raise TrajectoryError(f"cannot read trajectory journal {path}: {e.strerror}") from e
    records: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as e:
            if number == len(lines):  # the unterminated tail of a killed writer
                break
            raise TrajectoryError(f"{path}:{number}: corrupt journal line: {e.msg}") from e
    return records


def write_json_atomic(path: Path, data: Any) -> int:
    """Replace `path` with `data` as JSON so readers see the old or the new file, never half."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    payload = text.encode()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise TrajectoryError(f"cannot write trajectory {path}: {e.strerror}") from e
    return len(payload)


def _write_all(fd: int, data: bytes) -> None:
    """`os.write` until every byte is written (it may write less on large payloads)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX keeps it in the directory's metadata)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
