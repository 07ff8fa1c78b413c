"""Path confinement: every path a tool touches must resolve (symlinks too) inside the project."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from trae_lsp.errors import TraeError


class PathEscapeError(TraeError):
    """A path points outside the project root (via `..`, an absolute path or a symlink)."""


def confine(root: Path, path: str | os.PathLike[str], *, extra: Sequence[Path] = ()) -> Path:
    """Resolve `path` (relative to `root`) and refuse it unless it stays inside `root` or `extra`.

    `root` and `extra` must already be resolved. The result is absolute with every
    symlink resolved, so two spellings of one file give the same key.
    """
    given = Path(os.fspath(path)).expanduser()
    if "\x00" in str(given):
        raise PathEscapeError(f"Path {str(given)!r} contains a NUL byte; pass a plain path.")
    lexical = Path(os.path.normpath(root / given))
    resolved = lexical.resolve(strict=False)
    allowed = (root, *extra)
    if any(resolved.is_relative_to(base) for base in allowed):
        return resolved
    raise PathEscapeError(_escape_message(root, given, lexical, allowed))


def relative_name(root: Path, path: Path) -> str:
    """The project-relative spelling of a confined path (`.` for the root itself)."""
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)


def _escape_message(root: Path, given: Path, lexical: Path, allowed: tuple[Path, ...]) -> str:
    """Say which kind of escape it was, and what to pass instead."""
    hint = f"Use a path relative to the project root {root}."
    if any(lexical.is_relative_to(base) for base in allowed):
        return f"Path {str(given)!r} is a symlink that points outside the project; refused. {hint}"
    if given.is_absolute():
        return f"Absolute path {str(given)!r} is outside the project; refused. {hint}"
    return f"Path {str(given)!r} leaves the project through '..'; refused. {hint}"
