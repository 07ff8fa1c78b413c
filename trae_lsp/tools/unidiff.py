"""Parsing and applying unified diffs, leniently enough for patches a model writes.

Hunk line counts are not trusted (models miscount): a hunk runs until the next
hunk or file header. Hunks are placed by matching their context and removed
lines, searched outward from the line the header names, so a patch still applies
when earlier edits shifted the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trae_lsp.errors import TraeError
from trae_lsp.workspace.codec import split_lines

_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")
_NO_NEWLINE = "\\"


class PatchError(TraeError):
    """A patch is malformed or does not match the file it targets."""


@dataclass(frozen=True)
class Hunk:
    """One `@@` block: `lines` keep their ` `, `-` or `+` prefix."""

    header: str
    old_start: int
    lines: tuple[str, ...]
    no_newline_at_end: bool = False
    """The hunk's last new line has no line break (`\\ No newline at end of file`)."""

    def old_lines(self) -> list[str]:
        """Lines the file must contain where the hunk applies (context and removals)."""
        return [line[1:] for line in self.lines if line[:1] in (" ", "-")]

    def new_lines(self) -> list[str]:
        """Lines that replace them (context and additions)."""
        return [line[1:] for line in self.lines if line[:1] in (" ", "+")]


@dataclass(frozen=True)
class FilePatch:
    """The hunks for one file; a `None` path means `/dev/null` (created or deleted file)."""

    old_path: str | None
    new_path: str | None
    hunks: tuple[Hunk, ...]


def parse_patch(patch: str) -> list[FilePatch]:
    """Split a unified diff into per-file patches."""
    lines = [line.rstrip("\r\n") for line in split_lines(patch)]
    files: list[FilePatch] = []
    i = 0
    while i < len(lines):
        if _is_file_header(lines, i):
            old, new = _path(lines[i][4:]), _path(lines[i + 1][4:])
            hunks, i = _parse_hunks(lines, i + 2)
            if not hunks:
                raise PatchError(f"The patch for {new or old} has no '@@' hunks.")
            files.append(FilePatch(old, new, tuple(hunks)))
        else:
            i += 1
    if not files:
        raise PatchError(
            "No file headers found. A patch needs '--- a/path' and '+++ b/path' lines "
            "before its '@@ -l,n +l,n @@' hunks."
        )
    return files


def apply_hunks(text: str, hunks: tuple[Hunk, ...], *, path: str) -> str:
    """Apply hunks in order to `text`; a hunk that does not match raises `PatchError`."""
    lines = split_lines(text)
    out: list[str] = []
    cursor = 0
    for number, hunk in enumerate(hunks, 1):
        at = _locate(lines, hunk, cursor)
        if at is None:
            raise PatchError(_mismatch(lines, hunk, number, path))
        out.extend(lines[cursor:at])
        out.extend(_replacement(lines, at, hunk))
        cursor = at + len(hunk.old_lines())
    out.extend(lines[cursor:])
    return "".join(out)


def _is_file_header(lines: list[str], i: int) -> bool:
    return lines[i].startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ ")


def _path(header: str) -> str | None:
    """`a/src/x.py\t2024-01-01` → `src/x.py`; `/dev/null` → `None`."""
    name = header.split("\t", 1)[0].strip()
    if name == "/dev/null":
        return None
    return name[2:] if name.startswith(("a/", "b/")) else name


def _parse_hunks(lines: list[str], i: int) -> tuple[list[Hunk], int]:
    """Read `@@` blocks from line `i` until the next file header; return them and the new index."""
    hunks: list[Hunk] = []
    while i < len(lines) and not _is_file_header(lines, i):
        match = _HUNK_HEADER.match(lines[i])
        if match is None:
            i += 1  # `diff --git`, `index …` and other noise between hunks
            continue
        body: list[str] = []
        no_newline = False
        i += 1
        while i < len(lines) and not _HUNK_HEADER.match(lines[i]) and not _is_file_header(lines, i):
            line = lines[i]
            if line.startswith(_NO_NEWLINE):
                no_newline = bool(body) and body[-1][:1] in (" ", "+")
            elif line[:1] in (" ", "-", "+") or line == "":
                body.append(line or " ")  # editors strip the space of blank context lines
            i += 1
        while body and body[-1] == " ":
            body.pop()  # trailing blank lines after the last hunk are not context
        hunks.append(Hunk(match.group(0), int(match.group(1)), tuple(body), no_newline))
    return hunks, i


def _locate(lines: list[str], hunk: Hunk, cursor: int) -> int | None:
    """Index where the hunk's old lines match, nearest to where its header says."""
    old = [line.rstrip("\r\n") for line in hunk.old_lines()]
    if not old:
        return max(cursor, min(hunk.old_start, len(lines)))
    expected = max(cursor, hunk.old_start - 1)
    candidates = range(cursor, len(lines) - len(old) + 1)
    for at in sorted(candidates, key=lambda c: abs(c - expected)):
        if all(lines[at + k].rstrip("\r\n") == old[k] for k in range(len(old))):
            return at
    return None


def _replacement(lines: list[str], at: int, hunk: Hunk) -> list[str]:
    """New lines for a matched hunk; context lines keep the file's exact text."""
    out: list[str] = []
    k = at
    for line in hunk.lines:
        if line[:1] == " ":
            out.append(lines[k])
            k += 1
        elif line[:1] == "-":
            k += 1
        else:
            out.append(line[1:] + "\n")
    if hunk.no_newline_at_end and out:
        out[-1] = out[-1].rstrip("\n")
    return out


def _mismatch(lines: list[str], hunk: Hunk, number: int, path: str) -> str:
    """Say which line of the hunk did not match and what the file has there."""
    old = [line.rstrip("\r\n") for line in hunk.old_lines()]
    expected = max(hunk.old_start - 1, 0)
    for k, want in enumerate(old):
        have = lines[expected + k].rstrip("\r\n") if expected + k < len(lines) else "<end of file>"
        if have != want:
            return (
                f"Hunk {number} ({hunk.header}) does not apply to {path}: line {expected + k + 1} "
                f"should read {want!r} but reads {have!r}, and the hunk's lines occur nowhere "
                "else in order. View the file and write the patch against its current text."
            )
    return (
        f"Hunk {number} ({hunk.header}) does not apply to {path}: its lines were not found "
        "after the previous hunk. View the file and write the patch against its current text."
    )
