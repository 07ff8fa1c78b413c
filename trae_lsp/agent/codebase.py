"""What the planner is told about the project: a repo map of the code that matters, and a listing.

The repo map comes from the context engine (tree-sitter symbols ranked for the
task); when it cannot serve the project, the plain file listing stands alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trae_lsp.config import ContextConfig
from trae_lsp.context.engine import ContextEngine
from trae_lsp.context.errors import ContextError
from trae_lsp.context.index import INDEX_DIR
from trae_lsp.workspace import Workspace

MAX_LISTED_FILES = 300
"""Files named in the planner's context before the listing is cut."""

REPO_MAP_TOKENS = 2048
"""Tokens of repo map (ranked signatures) given to the planner."""


@dataclass(frozen=True)
class CodebaseContext:
    """Text describing the project for a prompt, and how it was made."""

    text: str
    source: str
    """`repo map`, `file listing`, or `given` when the caller passed text."""


def describe_codebase(
    workspace: Workspace, task: str, config: ContextConfig | None = None
) -> CodebaseContext:
    """The repo map for `task` followed by the file listing (the listing alone as fallback)."""
    listing = file_listing(workspace)
    try:
        engine = ContextEngine(workspace.root, config)
    except (ContextError, OSError):
        return listing
    try:
        engine.refresh()
        repo_map = engine.repo_map(task, budget=REPO_MAP_TOKENS)
    except (ContextError, OSError):
        return listing
    finally:
        engine.close()
    if not repo_map.files:
        return listing
    return CodebaseContext(f"{repo_map.text}\n\n{listing.text}", "repo map")


def file_listing(workspace: Workspace) -> CodebaseContext:
    """The project's files (git-ignored ones left out) as a prompt section."""
    entries = [
        entry
        for entry in workspace.list_dir(".", depth=6)
        if not entry.endswith("/") and not entry.startswith(f"{INDEX_DIR}/")
    ]
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
