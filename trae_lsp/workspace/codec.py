"""Bytes ↔ text for project files, so an edit keeps every byte outside the edited span.

Decoding detects a BOM, then tries UTF-8, then cp1252, then latin-1 (which never
fails and round-trips every byte). A file whose line endings are all CRLF is
handed to tools with LF endings and gets CRLF back when encoded; files with mixed
endings are kept exactly as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trae_lsp.errors import TraeError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
"""Byte-order marks we recognise, longest first where prefixes overlap."""

_FALLBACKS = ("utf-8", "cp1252", "latin-1")
"""Encodings tried in order for files without a BOM; latin-1 accepts any byte string."""

CRLF = "\r\n"
LF = "\n"
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


class BinaryFileError(TraeError):
    """The file holds binary data, which text tools must not edit."""


class UnencodableTextError(TraeError):
    """New text contains characters the file's encoding cannot store."""


@dataclass(frozen=True)
class TextCodec:
    """How a file's text is stored on disk: encoding, BOM and line endings."""

    encoding: str = "utf-8"
    """Python codec name used to decode and encode the file."""

    bom: bytes = b""
    """Byte-order mark written before the text (empty for none)."""

    newline: str = LF
    """`\\r\\n` when every line ends in CRLF (tools then see LF); otherwise `\\n` (kept as is)."""

    def to_tool_text(self, raw: str) -> str:
        """The text tools work on: CRLF files appear with LF endings."""
        return raw.replace(CRLF, LF) if self.newline == CRLF else raw

    def to_raw_text(self, text: str) -> str:
        """The decoded text as it is on disk: LF back to CRLF for CRLF files."""
        if self.newline != CRLF:
            return text
        return text.replace(CRLF, LF).replace(LF, CRLF)

    def encode(self, text: str, *, name: str = "file") -> bytes:
        """Bytes to write for tool text `text`; refuses characters the encoding cannot hold."""
        raw = self.to_raw_text(text)
        try:
            return self.bom + raw.encode(self.encoding)
        except UnicodeEncodeError as e:
            bad = raw[e.start : e.end]
            raise UnencodableTextError(
                f"{name} is stored as {self.encoding}, which cannot hold {bad!r}. "
                "Write those characters as ASCII (e.g. an escape sequence) instead."
            ) from e


@dataclass(frozen=True)
class Decoded:
    """A file's text as tools see it, plus the codec that writes it back."""

    text: str
    codec: TextCodec


def decode(data: bytes, *, name: str = "file") -> Decoded:
    """Decode file bytes, remembering encoding, BOM and line endings."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _with_newlines(data[len(bom) :].decode(encoding), encoding, bom)
            except UnicodeDecodeError:
                break  # looked like a BOM but is not; treat the bytes as unmarked
    if b"\x00" in data:
        raise BinaryFileError(f"{name} is a binary file; text tools cannot read or edit it.")
    for encoding in _FALLBACKS:
        try:
            return _with_newlines(data.decode(encoding), encoding, b"")
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")


def codec_for_text(raw: str, *, like: TextCodec | None = None) -> Decoded:
    """Decode an in-memory text (an editor buffer) with the encoding of `like`, if given."""
    base = like or TextCodec()
    return _with_newlines(raw, base.encoding, base.bom)


def _with_newlines(raw: str, encoding: str, bom: bytes) -> Decoded:
    """Pick the newline convention: CRLF only when every line break is CRLF."""
    crlf = raw.count(CRLF)
    uniform_crlf = crlf > 0 and crlf == raw.count(LF) and crlf == raw.count("\r")
    codec = TextCodec(encoding=encoding, bom=bom, newline=CRLF if uniform_crlf else LF)
    return Decoded(text=codec.to_tool_text(raw), codec=codec)


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split on `\\n` only (unlike `str.splitlines`)."""
    return _LINE.findall(text)
