"""What the planner is told about the project: a listing of the files the agent may touch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trae_lsp.workspace import Workspace

MAX_LISTED_FILES = 300
"""Files named in the planner's context before the listing is cut."""


@dataclass(frozen=True)
class CodebaseContext:
    """Text describing the project for a prompt, and how it was made."""

    text: str
    source: str
    """`file listing`, or `given` when the caller passed text."""


def describe_codebase(workspace: Workspace, task: str) -> CodebaseContext:
    """The project's files (git-ignored ones left out) as a prompt section."""
    del task  # the listing does not depend on the task; a ranked repo map would
    entries = [entry for entry in workspace.list_dir(".", depth=6) if not entry.endswith("/")]
    if not entries:
        return CodebaseContext("The project directory is empty.", "file listing")
    shown = entries[:MAX_LISTED_FILES]
    more = len(entries) - len(shown)
    tail = f"\n… and {more} more files" if more > 0 else ""
    return CodebaseContext("Project files:\n" + "\n".join(shown) + tail, "file listing")


def codebase_context_for(value: str | Path | None, task: str) -> CodebaseContext | None:
    """The article's `codebase_context`: a project directory is described, text is kept."""
    if value is None:
        return None
    if is_directory(value):
        with Workspace(Path(value).expanduser()) as workspace:
            return describe_codebase(workspace, task)
    return CodebaseContext(str(value), "given")


def is_directory(value: str | Path | None) -> bool:
    """Whether `value` names an existing directory (a long text is not a path)."""
    if value is None:
        return False
    try:
        return Path(value).expanduser().is_dir()
    except (OSError, ValueError):
        return False
