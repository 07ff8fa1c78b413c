"""Walking a project the way git sees it: nested `.gitignore` files and `.git/info/exclude`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

VCS_DIRS = frozenset({".git", ".hg", ".svn"})
"""Version-control directories: never listed, searched or copied."""


@dataclass(frozen=True)
class WalkEntry:
    """One entry met while walking the project."""

    path: Path
    is_dir: bool
    is_symlink: bool
    ignored: bool
    """Matched by an ignore rule; the walk does not descend into ignored directories."""


@dataclass
class IgnoreRules:
    """The ignore rules of one project, loaded lazily per directory."""

    root: Path
    _specs: dict[Path, pathspec.GitIgnoreSpec | None] = field(default_factory=dict)

    def walk(
        self,
        start: Path | None = None,
        *,
        max_depth: int | None = None,
        prune: frozenset[str] = frozenset(),
    ) -> Iterator[WalkEntry]:
        """Every entry under `start` (default: the root) down to `max_depth`.

        VCS directories and entries named in `prune` are neither yielded nor entered.

        Ignored entries are yielded (flagged) but never descended into; symlinked
        directories are yielded and not followed, so the walk cannot loop.
        """
        stack = [(start or self.root, 1)]
        while stack:
            directory, depth = stack.pop()
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except (FileNotFoundError, NotADirectoryError, PermissionError):
                continue
            subdirs: list[tuple[Path, int]] = []
            for entry in entries:
                if entry.name in VCS_DIRS or entry.name in prune:
                    continue
                item = self._entry(Path(entry.path), entry)
                yield item
                deeper = max_depth is None or depth < max_depth
                if deeper and item.is_dir and not item.ignored and not item.is_symlink:
                    subdirs.append((item.path, depth + 1))
            stack.extend(reversed(subdirs))

    def files(self, start: Path | None = None) -> Iterator[Path]:
        """The regular files under `start` that no ignore rule matches."""
        for entry in self.walk(start):
            if not entry.ignored and not entry.is_dir and not entry.is_symlink:
                yield entry.path

    def is_ignored(self, path: Path, *, is_dir: bool) -> bool:
        """Whether the closest `.gitignore` rule matching `path` excludes it (deepest file wins)."""
        for directory in (p for p in path.parents if p.is_relative_to(self.root)):
            spec = self._spec(directory)
            if spec is None:
                continue
            rel = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
            verdict = spec.check_file(rel).include
            if verdict is not None:
                return verdict
        return False

    def _entry(self, path: Path, entry: os.DirEntry[str]) -> WalkEntry:
        is_symlink = entry.is_symlink()
        is_dir = entry.is_dir(follow_symlinks=False)
        ignored = self.is_ignored(path, is_dir=is_dir)
        return WalkEntry(path=path, is_dir=is_dir, is_symlink=is_symlink, ignored=ignored)

    def _spec(self, directory: Path) -> pathspec.GitIgnoreSpec | None:
        if directory not in self._specs:
            lines = _read_lines(directory / ".gitignore")
            if directory == self.root:
                lines = _read_lines(directory / ".git" / "info" / "exclude") + lines
            self._specs[directory] = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
        return self._specs[directory]


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return []
