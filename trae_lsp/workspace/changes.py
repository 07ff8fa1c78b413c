"""What the agent changed: per-file original and new text with a unified diff."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from trae_lsp.workspace.codec import split_lines

NO_NEWLINE = "\\ No newline at end of file\n"
"""The marker `diff` and `git apply` use for a last line without a line break."""


@dataclass(frozen=True)
class FileChange:
    """One file's change; texts are decoded but otherwise exactly as on disk (CRLF kept)."""

    path: str
    """Project-relative path, `/`-separated."""

    original: str | None
    """Text before the agent's first edit; `None` when the agent created the file."""

    new: str | None
    """Text now; `None` when the agent deleted the file."""

    created: bool
    """The file did not exist before the agent wrote it."""

    deleted: bool
    """The agent deleted the file."""

    diff: str
    """Unified diff (`a/` and `b/` prefixes, `/dev/null` for created or deleted files)."""

    version: int | None = None
    """Editor buffer version the original text came from; `None` when it came from disk."""

    @property
    def file(self) -> str:
        """The article's name for `path` (`change.file`)."""
        return self.path


@dataclass(frozen=True)
class ChangeSet:
    """Every file the agent changed, in the order they were first changed."""

    changes: tuple[FileChange, ...] = ()

    def __iter__(self) -> Iterator[FileChange]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    @property
    def files(self) -> list[str]:
        """Project-relative paths of the changed files."""
        return [change.path for change in self.changes]

    def get(self, path: str) -> FileChange | None:
        """The change of one project-relative path, if it changed."""
        return next((c for c in self.changes if c.path == path), None)

    def diff(self) -> str:
        """All diffs concatenated: one patch `git apply` accepts."""
        return "".join(change.diff for change in self.changes)


def unified_diff(path: str, original: str | None, new: str | None, *, context: int = 3) -> str:
    """A git-style unified diff of one file; empty when nothing changed."""
    old_name = "/dev/null" if original is None else f"a/{path}"
    new_name = "/dev/null" if new is None else f"b/{path}"
    lines = difflib.unified_diff(
        split_lines(original or ""),
        split_lines(new or ""),
        fromfile=old_name,
        tofile=new_name,
        n=context,
    )
    return "".join(_mark_missing_newline(line) for line in lines)


def _mark_missing_newline(line: str) -> str:
    """Terminate a diff line that lacks a line break and flag it like `diff` does."""
    return line if line.endswith("\n") else line + "\n" + NO_NEWLINE
