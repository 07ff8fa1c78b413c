"""Keeping a trajectory under `trajectory.max_size_mb` by truncating its long strings.

Only strings are cut (outputs, diffs, messages); the structure of every step
(about 1 KB each) is always kept, so the limit holds as long as it is larger
than a run's step metadata.
"""

from __future__ import annotations

FIELD_SHARE = 0.05
"""Largest share of the size limit one string (a tool output, a diff) may take."""

USABLE_SHARE = 0.8
"""Share of the limit given to recorded content; the rest absorbs the summary's layout."""

MIN_KEPT_BYTES = 256
"""Even with the budget spent, this much of each string is kept so the record stays useful."""


TRUNCATION_PREFIX = "…[truncated "
"""Start of the marker left where bytes were cut; readers search for it."""


def truncation_marker(dropped: int) -> str:
    """The note left where bytes were cut, so a reader knows the record is partial."""
    return f"{TRUNCATION_PREFIX}{dropped} bytes: trajectory.max_size_mb]"


class SizeBudget:
    """Tracks the bytes written and cuts strings that would push the file past its limit."""

    def __init__(self, max_size_mb: float) -> None:
        self.max_bytes = int(max_size_mb * 1024 * 1024)
        self._usable = int(self.max_bytes * USABLE_SHARE)
        self._field_cap = max(int(self.max_bytes * FIELD_SHARE), MIN_KEPT_BYTES)
        self.used = 0

    def cap(self) -> int:
        """Most bytes any one string of the next record may keep."""
        return max(min(self._field_cap, self._usable - self.used), MIN_KEPT_BYTES)

    def charge(self, written: int) -> None:
        """Count bytes that were written."""
        self.used += written


def truncate_text(text: str, cap: int, *, original_bytes: int | None = None) -> str:
    """The text cut to at most `cap` UTF-8 bytes plus a marker, if it is longer.

    `original_bytes` is the size of the text this one was taken from, when the
    caller already cut it (so the marker counts every byte dropped).
    """
    data = text.encode("utf-8")
    total = len(data) if original_bytes is None else original_bytes
    if total <= cap:
        return text
    kept = data[:cap].decode("utf-8", errors="ignore")
    return kept + truncation_marker(total - len(kept.encode("utf-8")))
