"""Edits keep every byte outside the edited span: CRLF, tabs, BOMs and legacy encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from trae_lsp.workspace import Workspace
from trae_lsp.workspace.codec import decode, split_lines


def _edit(root: Path, name: str, old: str, new: str) -> bytes:
    """Replace `old` by `new` through the workspace (apply mode) and return the file's bytes."""
    ws = Workspace(root)
    text = ws.read_text(name)
    assert text.count(old) == 1
    ws.write_text(name, text.replace(old, new))
    return (root / name).read_bytes()


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        (b"a\r\n\tb = 1\r\nc\r\n", b"a\r\n\tb = 2\r\nc\r\n"),  # CRLF and a tab
        (b"\xef\xbb\xbfa\n\tb = 1\n", b"\xef\xbb\xbfa\n\tb = 2\n"),  # UTF-8 BOM
        (b"caf\xe9\nb = 1\n\xff\n", b"caf\xe9\nb = 2\n\xff\n"),  # latin-1 / cp1252
        (b"\x81\x8d\nb = 1\n", b"\x81\x8d\nb = 2\n"),  # bytes cp1252 cannot decode
        (b"mixed\r\nb = 1\nend\r\n", b"mixed\r\nb = 2\nend\r\n"),  # mixed endings kept
        (b"b = 1", b"b = 2"),  # no trailing newline
    ],
)
def test_edit_keeps_bytes_outside_the_span(
    tmp_path: Path, original: bytes, expected: bytes
) -> None:
    (tmp_path / "f.txt").write_bytes(original)
    assert _edit(tmp_path, "f.txt", "b = 1", "b = 2") == expected


def test_utf16_with_bom_round_trips(tmp_path: Path) -> None:
    original = "\ufeffx = 1\r\ny = 2\r\n".encode("utf-16-le")
    (tmp_path / "w.txt").write_bytes(original)
    assert _edit(tmp_path, "w.txt", "y = 2", "y = 3") == original.replace(
        "2".encode("utf-16-le"), "3".encode("utf-16-le")
    )


def test_crlf_file_is_seen_with_lf_and_new_lines_get_crlf(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_bytes(b"one\r\ntwo\r\n")
    ws = Workspace(tmp_path)
    assert ws.read_text("f.txt") == "one\ntwo\n"
    ws.write_text("f.txt", "one\ninserted\r\ntwo\n")
    assert (tmp_path / "f.txt").read_bytes() == b"one\r\ninserted\r\ntwo\r\n"
    (change,) = ws.changes()
    assert change.new == "one\r\ninserted\r\ntwo\r\n"
    assert "+inserted\r\n" in change.diff


def test_decode_reports_codec() -> None:
    decoded = decode(b"\xef\xbb\xbfx\r\n")
    assert (decoded.text, decoded.codec.bom, decoded.codec.newline) == (
        "x\n",
        b"\xef\xbb\xbf",
        "\r\n",
    )
    assert decode(b"caf\xe9").codec.encoding == "cp1252"
    assert decode(b"\x81").codec.encoding == "latin-1"


def test_split_lines_splits_on_newline_only() -> None:
    assert split_lines("a\x0cb\nc\u2028d\n\ne") == ["a\x0cb\n", "c\u2028d\n", "\n", "e"]
