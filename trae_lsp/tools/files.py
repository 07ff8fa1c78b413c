"""File tools that look and write whole files: `view`, `read_file`, `write_file`, `create`."""

from __future__ import annotations

from trae_lsp.tools.base import BaseTool, ToolContext, ToolError, ToolParams, ToolResult
from trae_lsp.tools.text import clip, clip_numbered, line_count

MAX_LISTED_ENTRIES = 400
"""Directory entries shown by `view` before the listing is clipped."""


class ViewParams(ToolParams):
    """Arguments of `view`."""

    path: str
    """File or directory, relative to the project root."""

    view_range: list[int] | None = None
    """Optional [first, last] line numbers (1-based, inclusive; last = -1 means to the end)."""


class ViewTool(BaseTool):
    """Shows a file with line numbers, or lists a directory two levels deep."""

    name = "view"
    description = (
        "Show a file with line numbers (optionally only view_range=[first, last]), or list a "
        "directory two levels deep (git-ignored entries are left out). Use it before editing."
    )
    Params = ViewParams
    read_only = True

    def cache_reads(self, params: ViewParams, ctx: ToolContext) -> list[str] | None:
        """A file view depends on the file; directory listings are not cached."""
        return None if ctx.workspace.is_dir(params.path) else [params.path]

    async def execute(self, params: ViewParams, ctx: ToolContext) -> ToolResult:
        """Show the file or list the directory."""
        ws = ctx.workspace
        if ws.is_dir(params.path):
            if params.view_range is not None:
                raise ToolError("view_range only applies to files; call view without it.")
            return ToolResult(_listing(ws.list_dir(params.path), params.path))
        text = ws.read_text(params.path)
        first, last = _checked_range(params.view_range, line_count(text))
        rel = ws.relative(ws.resolve(params.path))
        if not text:
            return ToolResult(f"{rel} is empty.")
        return ToolResult(clip_numbered(text, path=rel, first_line=first, last_line=last))


class ReadFileParams(ToolParams):
    """Arguments of `read_file`."""

    path: str
    """File to read, relative to the project root."""


class ReadFileTool(BaseTool):
    """Returns a file's text exactly, for when line numbers would get in the way."""

    name = "read_file"
    description = "Return the full text of a file (no line numbers). Use view for big files."
    Params = ReadFileParams
    read_only = True

    def cache_reads(self, params: ReadFileParams, ctx: ToolContext) -> list[str] | None:
        """The result depends on the file's content only."""
        return [params.path]

    async def execute(self, params: ReadFileParams, ctx: ToolContext) -> ToolResult:
        """Read the file."""
        text = ctx.workspace.read_text(params.path)
        hint = f"Use view on {params.path} with view_range to read the rest."
        return ToolResult(clip(text, hint=hint), value=text)


class WriteFileParams(ToolParams):
    """Arguments of `write_file`."""

    path: str
    """File to write, relative to the project root; missing directories are created."""

    content: str
    """The complete new text of the file."""


class WriteFileTool(BaseTool):
    """Replaces a file's whole text, creating the file if needed."""

    name = "write_file"
    description = (
        "Write the complete text of a file, creating it (and its directories) if needed. "
        "For small changes to an existing file prefer str_replace."
    )
    Params = WriteFileParams

    async def execute(self, params: WriteFileParams, ctx: ToolContext) -> ToolResult:
        """Write the file."""
        existed = ctx.workspace.exists(params.path)
        ctx.workspace.write_text(params.path, params.content)
        verb = "Overwrote" if existed else "Created"
        return ToolResult(f"{verb} {params.path} ({line_count(params.content)} lines).")


class CreateParams(ToolParams):
    """Arguments of `create`."""

    path: str
    """New file, relative to the project root; missing directories are created."""

    file_text: str
    """Text of the new file."""


class CreateTool(BaseTool):
    """Creates a new file and refuses to overwrite an existing one."""

    name = "create"
    description = "Create a new file with the given text. Fails if the file already exists."
    Params = CreateParams

    async def execute(self, params: CreateParams, ctx: ToolContext) -> ToolResult:
        """Create the file."""
        if ctx.workspace.exists(params.path):
            raise ToolError(
                f"{params.path} already exists. Use str_replace to change part of it, "
                "or write_file to replace all of it."
            )
        ctx.workspace.write_text(params.path, params.file_text)
        return ToolResult(f"Created {params.path} ({line_count(params.file_text)} lines).")


def _checked_range(view_range: list[int] | None, total: int) -> tuple[int, int | None]:
    """Validate a [first, last] range against a file of `total` lines."""
    if view_range is None:
        return 1, None
    if len(view_range) != 2:
        raise ToolError("view_range must be two numbers: [first, last] (last = -1 for the end).")
    first, last = view_range
    if not 1 <= first <= max(total, 1):
        raise ToolError(f"view_range first line {first} is outside the file (1-{total}).")
    if last == -1:
        return first, None
    if last < first:
        raise ToolError(f"view_range last line {last} is before first line {first}.")
    return first, min(last, total)


def _listing(entries: list[str], path: str) -> str:
    """A directory listing, clipped with a hint when it is long."""
    if not entries:
        return f"{path} is empty (or holds only git-ignored files)."
    shown = "\n".join(entries[:MAX_LISTED_ENTRIES])
    if len(entries) <= MAX_LISTED_ENTRIES:
        return shown
    left = len(entries) - MAX_LISTED_ENTRIES
    return f"{shown}\n[clipped: {left} more entries. View a subdirectory to see them.]"
