"""Offsets into Python strings ↔ LSP positions, under the negotiated position encoding.

Python indexes code points; LSP columns count UTF-16 units by default (UTF-8 or
UTF-32 when negotiated). All conversions go through `LineIndex`, never by hand.
LSP line breaks are exactly `\\n`, `\\r\\n` and `\\r` (not `str.splitlines`' extra ones).
"""

from __future__ import annotations

import bisect
import itertools
import re

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

UTF16 = types.PositionEncodingKind.Utf16
"""The position encoding every client supports and the default when none is negotiated."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each keeping its own line break (LSP's three kinds only)."""
    return _LINE.findall(text)


def _line_starts(text: str) -> list[int]:
    """Offsets where each line starts."""
    if text.count("\r") != text.count("\r\n"):
        return [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
    # No lone CR: every line ends in LF, so C-level split + accumulate will do
    # (ten times faster than the regex; this runs on every keystroke in review mode).
    lengths = map(len, text.split("\n")[:-1])
    return list(itertools.accumulate(map((1).__add__, lengths), initial=0))


class LineIndex:
    """Line starts of one text, to convert offsets and LSP positions both ways."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self._codec = PositionCodec(encoding)
        self._starts = _line_starts(text)

    def position(self, offset: int) -> types.Position:
        """The LSP position of code-point `offset` (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        units = self._codec.client_num_units(self.text[start:offset])
        return types.Position(line=line, character=units)

    def range(self, start: int, end: int) -> types.Range:
        """The LSP range between two code-point offsets."""
        return types.Range(start=self.position(start), end=self.position(end))

    def offset(self, position: types.Position) -> int:
        """The code-point offset of an LSP position; past the end of a line or file clamps."""
        if position.line >= len(self._starts):
            return len(self.text)
        start = self._starts[max(position.line, 0)]
        end = self._line_content_end(max(position.line, 0))
        units = 0
        for index in range(start, end):
            units += self._codec.client_num_units(self.text[index])
            if units > position.character:
                return index
        return end

    def _line_content_end(self, line: int) -> int:
        """Offset where `line`'s content ends (before its line break)."""
        if line + 1 >= len(self._starts):
            return len(self.text)
        end = self._starts[line + 1]
        while end > self._starts[line] and self.text[end - 1] in "\r\n":
            end -= 1
        return end
