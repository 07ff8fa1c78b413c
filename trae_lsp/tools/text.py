"""How tool output shows file text to the model: numbered lines, snippets and clipping."""

from __future__ import annotations

from collections.abc import Iterator

from trae_lsp.workspace.codec import split_lines

MAX_OUTPUT_CHARS = 16_000
"""Longest tool output sent to the model; longer output is clipped with a hint."""

MAX_LINE_CHARS = 2_000
"""Longest single line shown; minified files would otherwise fill the context."""

SNIPPET_CONTEXT_LINES = 3
"""Lines shown above and below an edit in the confirmation snippet."""


def numbered(text: str, *, first_line: int = 1, last_line: int | None = None) -> str:
    """Lines `first_line..last_line` (1-based, inclusive) as `   N\tline`, long lines cut."""
    return "\n".join(_numbered_rows(split_lines(text), first_line, last_line))


def _numbered_rows(lines: list[str], first_line: int, last_line: int | None) -> Iterator[str]:
    stop = len(lines) if last_line is None else min(last_line, len(lines))
    for number in range(first_line, stop + 1):
        line = lines[number - 1].rstrip("\n")
        if len(line) > MAX_LINE_CHARS:
            line = line[:MAX_LINE_CHARS] + f" … [{len(line) - MAX_LINE_CHARS} more characters]"
        yield f"{number:6}\t{line}"


def clip_numbered(text: str, *, path: str, first_line: int, last_line: int | None) -> str:
    """Numbered lines, clipped to `MAX_OUTPUT_CHARS` with a hint naming the range to view next.

    Only the lines that can be shown are numbered: a 10k-line file took ~40 ms to number
    whole, for 400 lines kept.
    """
    lines = split_lines(text)
    rows: list[str] = []
    size = -1  # the joined length: one newline fewer than rows
    for row in _numbered_rows(lines, first_line, last_line):
        rows.append(row)
        size += len(row) + 1
        if size > MAX_OUTPUT_CHARS:
            break
    body = "\n".join(rows)
    if len(body) <= MAX_OUTPUT_CHARS:
        return body
    kept = body[:MAX_OUTPUT_CHARS].rsplit("\n", 1)[0]
    last_shown = first_line + kept.count("\n")
    total = len(lines)
    return (
        f"{kept}\n[clipped: showing lines {first_line}-{last_shown} of {total}. "
        f"Call view on {path} with view_range=[{last_shown + 1}, {min(total, last_shown + 400)}] "
        "to see more, or grep for what you need.]"
    )


def clip(text: str, *, hint: str) -> str:
    """Clip plain output to `MAX_OUTPUT_CHARS`, saying how much was left out and what to do."""
    if len(text) <= MAX_OUTPUT_CHARS:
        return text
    kept = text[:MAX_OUTPUT_CHARS]
    return f"{kept}\n[clipped: {len(text) - len(kept)} more characters. {hint}]"


def line_count(text: str) -> int:
    """Number of lines, counting a last line without a line break."""
    return len(split_lines(text))


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def snippet(text: str, first: int, last: int) -> str:
    """Lines `first..last` with a little context around them, numbered."""
    return numbered(
        text,
        first_line=max(1, first - SNIPPET_CONTEXT_LINES),
        last_line=last + SNIPPET_CONTEXT_LINES,
    )
