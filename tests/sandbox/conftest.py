"""Helpers for process tests: wait for a process to end through a pidfd, not a sleep."""

from __future__ import annotations

import os
import select

EXIT_WAIT_SECONDS = 10.0
"""Upper bound for a killed process to be gone; the wait ends as soon as it is."""


def process_ended(pid: int) -> bool:
    """True once `pid` has exited (gone, or a zombie), waiting on its pidfd."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        readable, _, _ = select.select([fd], [], [], EXIT_WAIT_SECONDS)
        return bool(readable)
    finally:
        os.close(fd)
