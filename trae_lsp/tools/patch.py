"""The `apply_patch` tool: a unified diff applied through the Workspace, all files or none."""

from __future__ import annotations

from dataclasses import dataclass

from trae_lsp.tools.base import BaseTool, ToolContext, ToolError, ToolParams, ToolResult
from trae_lsp.tools.unidiff import FilePatch, apply_hunks, parse_patch
from trae_lsp.workspace import Workspace


@dataclass(frozen=True)
class PlannedWrite:
    """One file's outcome of a patch, computed before anything is written."""

    path: str
    text: str | None
    """New text; `None` deletes the file."""

    summary: str


def plan_patch(ws: Workspace, patch: str) -> list[PlannedWrite]:
    """Check every file of a patch against the workspace and compute the results."""
    writes: list[PlannedWrite] = []
    for file in parse_patch(patch):
        writes.extend(_plan_file(ws, file))
    return writes


def apply_patch(ws: Workspace, patch: str) -> list[PlannedWrite]:
    """Apply a unified diff to the workspace; nothing is written unless every hunk applies."""
    writes = plan_patch(ws, patch)
    for write in writes:
        if write.text is None:
            ws.delete(write.path)
        else:
            ws.write_text(write.path, write.text)
    return writes


def _plan_file(ws: Workspace, file: FilePatch) -> list[PlannedWrite]:
    """The writes one file patch causes (two when it renames)."""
    if file.old_path is None:
        assert file.new_path is not None
        if ws.exists(file.new_path):
            raise ToolError(
                f"The patch creates {file.new_path}, which already exists; "
                "diff against its current text (--- a/…) instead."
            )
        text = apply_hunks("", file.hunks, path=file.new_path)
        return [PlannedWrite(file.new_path, text, f"created {file.new_path}")]
    current = ws.read(file.old_path)
    text = apply_hunks(current.text, file.hunks, path=file.old_path)
    current.codec.encode(text, name=file.old_path)  # refuse before writing anything
    if file.new_path is None:
        return [PlannedWrite(file.old_path, None, f"deleted {file.old_path}")]
    if file.new_path == file.old_path:
        hunks = len(file.hunks)
        return [PlannedWrite(file.old_path, text, f"patched {file.old_path} ({hunks} hunks)")]
    return [
        PlannedWrite(file.new_path, text, f"renamed {file.old_path} to {file.new_path}"),
        PlannedWrite(file.old_path, None, f"removed {file.old_path} after the rename"),
    ]


class ApplyPatchParams(ToolParams):
    """Arguments of `apply_patch`."""

    patch: str
    """A unified diff (`--- a/path`, `+++ b/path`, `@@ … @@` hunks); may span several files."""


class ApplyPatchTool(BaseTool):
    """Applies a unified diff to one or more files."""

    name = "apply_patch"
    description = (
        "Apply a unified diff to one or more files (use /dev/null to create or delete a "
        "file). All files are changed or none: a hunk that does not match stops the patch."
    )
    Params = ApplyPatchParams

    async def execute(self, params: ApplyPatchParams, ctx: ToolContext) -> ToolResult:
        """Apply the patch and list what changed."""
        writes = apply_patch(ctx.workspace, params.patch)
        return ToolResult("Applied the patch: " + "; ".join(w.summary for w in writes) + ".")
