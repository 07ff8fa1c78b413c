"""`FileManager`, the article's synchronous file API, over the same Workspace the tools use."""

from __future__ import annotations

from pathlib import Path

from trae_lsp.tools.patch import apply_patch
from trae_lsp.tools.unidiff import PatchError, parse_patch
from trae_lsp.workspace import ChangeSet, Workspace, WorkspaceMode


class FileManager:
    """Read, write and patch project files from Python (`fm.read("src/main.py")`)."""

    def __init__(
        self,
        working_dir: str | Path = ".",
        *,
        mode: WorkspaceMode | str = WorkspaceMode.APPLY,
        workspace: Workspace | None = None,
    ) -> None:
        self.workspace = workspace or Workspace(working_dir, mode=mode)

    def read(self, path: str | Path) -> str:
        """The file's text (overlay, then open buffers, then disk)."""
        return self.workspace.read_text(path)

    def write(self, path: str | Path, content: str) -> None:
        """Replace (or create) a file's text."""
        self.workspace.write_text(path, content)

    def patch(self, path: str | Path, diff_patch: str) -> str:
        """Apply a unified diff to `path` (file headers optional) and return the new text."""
        rel = self.workspace.relative(self.workspace.resolve(path))
        if not any(line.startswith("--- ") for line in diff_patch.splitlines()):
            diff_patch = f"--- a/{rel}\n+++ b/{rel}\n{diff_patch}"
        for file in parse_patch(diff_patch):
            named = (file.old_path, file.new_path)
            targets = {self.workspace.relative(self.workspace.resolve(p)) for p in named if p}
            if targets != {rel}:
                raise PatchError(
                    f"The patch changes {', '.join(sorted(targets))}, not {rel}; "
                    "pass a patch for this file only, or use the apply_patch tool."
                )
        apply_patch(self.workspace, diff_patch)
        return self.workspace.read_text(rel)

    @property
    def changes(self) -> ChangeSet:
        """Every change made through this manager's workspace, with diffs."""
        return self.workspace.changes()
