"""HeadTailBuffer keeps the head and tail of a stream and counts what it dropped."""

from __future__ import annotations

import pytest

from trae_lsp.sandbox.output import HeadTailBuffer


def test_output_within_the_limit_is_kept_whole() -> None:
    buffer = HeadTailBuffer(10)
    for chunk in (b"0123", b"45", b"6789"):
        buffer.feed(chunk)
    assert (buffer.text(), buffer.truncated, buffer.total) == ("0123456789", False, 10)


def test_output_over_the_limit_keeps_head_and_tail_across_chunks() -> None:
    buffer = HeadTailBuffer(6)
    for chunk in (b"ab", b"cdefgh", b"ijk", b"l"):
        buffer.feed(chunk)
    assert buffer.truncated
    assert buffer.text() == "abc\n[... 6 bytes omitted of 12 ...]\njkl"


def test_split_multibyte_characters_do_not_raise() -> None:
    buffer = HeadTailBuffer(4)
    buffer.feed("ééé".encode())
    assert buffer.text().startswith("é")


def test_a_limit_below_two_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        HeadTailBuffer(1)
