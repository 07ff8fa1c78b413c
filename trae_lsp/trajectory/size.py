"""Keeping a trajectory under `trajectory.max_size_mb` by truncating its long strings."""

from __future__ import annotations

from typing import Any

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

    def fit(self, value: Any) -> Any:
        """A copy of a JSON-like value whose strings are cut to what the budget allows now."""
        cap = max(min(self._field_cap, self._usable - self.used), MIN_KEPT_BYTES)
        return _cut(value, cap)

    def charge(self, written: int) -> None:
        """Count bytes that were written."""
        self.used += written


def _cut(value: Any, cap: int) -> Any:
    if isinstance(value, str):
        return truncate_text(value, cap)
    if isinstance(value, dict):
        return {key: _cut(item, cap) for key, item in value.items()}
    if isinstance(value, list):
        return [_cut(item, cap) for item in value]
    return value


def truncate_text(text: str, cap: int) -> str:
    """The text cut to at most `cap` UTF-8 bytes (plus the marker) if it is longer."""
    data = text.encode("utf-8")
    if len(data) <= cap:
        return text
    kept = data[:cap].decode("utf-8", errors="ignore")
    return kept + truncation_marker(len(data) - len(kept.encode("utf-8")))
