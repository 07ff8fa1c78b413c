"""File tools that change part of a file: `str_replace`, `insert`, `undo`."""

from __future__ import annotations

from trae_lsp.tools.base import BaseTool, ToolContext, ToolError, ToolParams, ToolResult
from trae_lsp.tools.text import line_count, line_of, snippet
from trae_lsp.workspace.codec import split_lines

MAX_LISTED_MATCHES = 10
"""Line numbers listed when `old_str` matches more than once."""


class StrReplaceParams(ToolParams):
    """Arguments of `str_replace`."""

    path: str
    """File to edit, relative to the project root."""

    old_str: str
    """Exact text to replace, including indentation; must occur exactly once in the file."""

    new_str: str = ""
    """Replacement text (empty to delete `old_str`)."""


class StrReplaceTool(BaseTool):
    """Replaces one exact, unique occurrence of a text in a file."""

    name = "str_replace"
    description = (
        "Replace old_str with new_str in a file. old_str must match the file exactly "
        "(whitespace and indentation included) and occur exactly once; include a few "
        "surrounding lines to make it unique."
    )
    Params = StrReplaceParams

    async def execute(self, params: StrReplaceParams, ctx: ToolContext) -> ToolResult:
        """Do the replacement and show the edited lines."""
        text = ctx.workspace.read_text(params.path)
        offset = unique_offset(text, params.old_str, path=params.path)
        new_text = text[:offset] + params.new_str + text[offset + len(params.old_str) :]
        ctx.workspace.write_text(params.path, new_text)
        first = line_of(new_text, offset)
        last = first + max(line_count(params.new_str) - 1, 0)
        return ToolResult(
            f"Edited {params.path}. Lines {first}-{last} with context now read:\n"
            f"{snippet(new_text, first, last)}\nCheck the result; call undo if it is wrong."
        )


def unique_offset(text: str, old: str, *, path: str) -> int:
    """Where `old` occurs in `text`; errors say what to do when it is absent or repeated."""
    if not old:
        raise ToolError("old_str is empty. Pass the exact text to replace, or use insert.")
    offsets = _occurrences(text, old)
    if len(offsets) == 1:
        return offsets[0]
    if not offsets:
        raise ToolError(_not_found(text, old, path))
    lines = [line_of(text, o) for o in offsets[:MAX_LISTED_MATCHES]]
    more = "" if len(offsets) <= MAX_LISTED_MATCHES else f" and {len(offsets) - len(lines)} more"
    raise ToolError(
        f"old_str occurs {len(offsets)} times in {path} (at lines "
        f"{', '.join(map(str, lines))}{more}). Include more surrounding lines in old_str "
        "so that it matches exactly one place."
    )


def _occurrences(text: str, old: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of `old`."""
    found, start = [], text.find(old)
    while start != -1:
        found.append(start)
        start = text.find(old, start + 1)
    return found


def _not_found(text: str, old: str, path: str) -> str:
    """Explain a miss, pointing at a near match that differs only in whitespace."""
    message = f"old_str was not found in {path}."
    first = old.strip().splitlines()[0].strip() if old.strip() else ""
    near = text.find(first) if first else -1
    if near != -1:
        message += (
            f" A line containing {first!r} is at line {line_of(text, near)}: the indentation, "
            "whitespace or neighbouring lines differ."
        )
    return message + " View the file and copy the exact text, whitespace included."


class InsertParams(ToolParams):
    """Arguments of `insert`."""

    path: str
    """File to edit, relative to the project root."""

    insert_line: int
    """Insert after this line number (0 inserts at the top of the file)."""

    new_str: str
    """Text to insert; a line break is added at its end if missing."""


class InsertTool(BaseTool):
    """Inserts text after a given line."""

    name = "insert"
    description = "Insert new_str after line insert_line of a file (0 = at the top)."
    Params = InsertParams

    async def execute(self, params: InsertParams, ctx: ToolContext) -> ToolResult:
        """Insert the text and show where it went."""
        text = ctx.workspace.read_text(params.path)
        total = line_count(text)
        if not 0 <= params.insert_line <= total:
            raise ToolError(
                f"insert_line {params.insert_line} is outside {params.path}, which has "
                f"{total} lines; use a number from 0 to {total}."
            )
        lines = split_lines(text)
        if lines and not lines[-1].endswith("\n") and params.insert_line == total:
            lines[-1] += "\n"
        block = params.new_str if params.new_str.endswith("\n") else params.new_str + "\n"
        new_text = (
            "".join(lines[: params.insert_line]) + block + "".join(lines[params.insert_line :])
        )
        ctx.workspace.write_text(params.path, new_text)
        first = params.insert_line + 1
        last = params.insert_line + line_count(block)
        return ToolResult(
            f"Inserted {line_count(block)} lines into {params.path}:\n"
            f"{snippet(new_text, first, last)}"
        )


class UndoParams(ToolParams):
    """Arguments of `undo`."""

    path: str
    """File whose last edit by the agent should be reverted."""


class UndoTool(BaseTool):
    """Reverts the agent's last edit of a file."""

    name = "undo"
    description = "Revert your last edit of a file (repeat to go further back)."
    Params = UndoParams

    async def execute(self, params: UndoParams, ctx: ToolContext) -> ToolResult:
        """Undo one step."""
        restored = ctx.workspace.undo(params.path)
        if restored is None:
            return ToolResult(f"Undid the creation of {params.path}; it no longer exists.")
        lines = line_count(restored)
        return ToolResult(f"Reverted {params.path} to its previous text ({lines} lines).")
