"""Offsets ↔ LSP positions under UTF-16, UTF-8 and UTF-32, with every kind of line break."""

from __future__ import annotations

import pytest
from lsprotocol import types

from trae_lsp.server.positions import LineIndex, split_lines

TEXT = 'x = "😋"\r\nname = "名前"\n'
"""An astral-plane emoji (2 UTF-16 units, 4 UTF-8 bytes) and CJK (1 unit, 3 bytes)."""


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def test_split_lines_keeps_each_break_and_ignores_other_separators() -> None:
    assert split_lines("a\r\nb\rc\nd\u2028e") == ["a\r\n", "b\r", "c\n", "d\u2028e"]
    assert split_lines("") == []
    assert split_lines("a\n") == ["a\n"]


@pytest.mark.parametrize(
    ("encoding", "quote_column", "line1_end"),
    [("utf-16", 7, 11), ("utf-8", 9, 15), ("utf-32", 6, 11)],
)
def test_position_after_emoji_and_cjk(encoding: str, quote_column: int, line1_end: int) -> None:
    index = LineIndex(TEXT, encoding)
    closing_quote = TEXT.index('"', 5)
    assert index.position(closing_quote) == pos(0, quote_column)
    assert index.offset(pos(0, quote_column)) == closing_quote
    end_of_name_line = TEXT.index("\n", closing_quote + 3)
    assert index.position(end_of_name_line) == pos(1, line1_end)
    assert index.offset(pos(1, line1_end)) == end_of_name_line


def test_offsets_round_trip_for_every_code_point() -> None:
    for encoding in ("utf-16", "utf-8", "utf-32"):
        index = LineIndex(TEXT, encoding)
        for offset in range(len(TEXT) + 1):
            if TEXT[offset - 1 : offset + 1] == "\r\n":
                continue  # between CR and LF is not a position a client can name
            assert index.offset(index.position(offset)) == offset


def test_positions_past_the_end_clamp() -> None:
    index = LineIndex(TEXT)
    assert index.offset(pos(0, 99)) == TEXT.index("\r")
    assert index.offset(pos(9, 0)) == len(TEXT)
    assert index.position(len(TEXT) + 5) == pos(2, 0)


def test_column_inside_a_surrogate_pair_rounds_down() -> None:
    index = LineIndex(TEXT, "utf-16")
    assert index.offset(pos(0, 6)) == TEXT.index("😋")


@pytest.mark.parametrize(
    "text", ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\nc\r\n", "\n\n", "x\r", "名\r\n😋\n"]
)
def test_line_starts_agree_with_split_lines(text: str) -> None:
    index = LineIndex(text)
    starts = [0]
    for line in split_lines(text):
        starts.append(starts[-1] + len(line))
    expected = starts if text.endswith(("\n", "\r")) or not text else starts[:-1]
    assert [index.offset(pos(line, 0)) for line in range(len(expected))] == expected
