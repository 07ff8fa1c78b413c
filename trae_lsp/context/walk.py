"""Which files of a project to index: .gitignore/.traeignore rules, no vendored or huge files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

IGNORE_FILES = (".gitignore", ".traeignore")
"""Files whose gitignore-style patterns exclude paths, in every directory."""

SKIPPED_DIRS = frozenset(
    {
        "__pycache__",
        "node_modules",
        "vendor",
        "third_party",
        "bower_components",
        "venv",
        "site-packages",
    }
)
"""Directory names never indexed: VCS data, caches, virtualenvs and vendored code. Hidden
directories (`.name`, e.g. editor and tool caches) are skipped too, as ripgrep does."""


def skipped_name(name: str, *, is_dir: bool) -> bool:
    """Whether a file or directory name alone rules it out (see the constants above)."""
    if is_dir:
        return name in SKIPPED_DIRS or name.startswith(".")
    lower = name.lower()
    return lower in SKIPPED_FILES or any(lower.endswith(s) for s in SKIPPED_SUFFIXES)


SKIPPED_SUFFIXES = frozenset(
    {
        ".po",
        ".pot",
        ".mo",
        ".lock",
        ".map",
        ".svg",
        ".csv",
        ".tsv",
        ".snap",
        ".min.js",
        ".min.css",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".ico",
        ".webp",
        ".pdf",
        ".zip",
        ".gz",
        ".tar",
        ".whl",
        ".so",
        ".dylib",
        ".dll",
        ".exe",
        ".pyc",
        ".class",
        ".jar",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".sqlite3",
        ".db",
    }
)
"""File endings of data, translations, lockfiles, media and build output: never worth a budget."""

SKIPPED_FILES = frozenset({"package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml"})
"""Generated files with ordinary endings."""

MAX_FILE_BYTES = 1_000_000
"""Larger files are skipped: generated or data, not code worth ranking."""


@dataclass(frozen=True, slots=True)
class FileStat:
    """A candidate file: project-relative POSIX path, mtime in ns and size in bytes."""

    path: str
    mtime_ns: int
    size: int


class IgnoreRules:
    """The stacked ignore patterns of a project; directories add their own as the walk descends."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._specs: dict[str, pathspec.GitIgnoreSpec] = {}
        self._loaded: set[str] = set()

    def load(self, rel_dir: str) -> None:
        """Read the ignore files of one directory (relative, `""` for the root)."""
        self._loaded.add(rel_dir)
        lines: list[str] = []
        for name in IGNORE_FILES:
            path = self.root / rel_dir / name
            if path.is_file():
                lines.extend(path.read_text(errors="replace").splitlines())
        if lines:
            self._specs[rel_dir] = pathspec.GitIgnoreSpec.from_lines(lines)

    def ignored(self, rel_path: str, *, is_dir: bool = False) -> bool:
        """Whether any enclosing directory's patterns exclude `rel_path`."""
        suffix = "/" if is_dir else ""
        for base, spec in self._specs.items():  # few: only folders with ignore files
            if not base:
                sub = rel_path
            elif rel_path.startswith(base + "/"):
                sub = rel_path[len(base) + 1 :]
            else:
                continue
            if spec.match_file(sub + suffix):
                return True
        return False

    def excluded(self, rel_path: str) -> bool:
        """Whether a file path is excluded by a skipped directory or an ignore rule anywhere."""
        parts = rel_path.split("/")
        if skipped_name(parts[-1], is_dir=False) or any(
            skipped_name(p, is_dir=True) for p in parts[:-1]
        ):
            return True
        for depth in range(1, len(parts)):
            if "/".join(parts[:depth]) not in self._loaded:
                self.load("/".join(parts[:depth]))
        return self.ignored(rel_path) or any(
            self.ignored("/".join(parts[:d]), is_dir=True) for d in range(1, len(parts))
        )


def walk_project(root: Path) -> Iterator[FileStat]:
    """Every indexable file under `root`, in a stable order."""
    rules = IgnoreRules(root)
    rules.load("")
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            entries = sorted(os.scandir(root / rel_dir), key=lambda e: e.name)
        except OSError:
            continue
        subdirs: list[str] = []
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if entry.is_dir(follow_symlinks=False):
                if not skipped_name(entry.name, is_dir=True) and not rules.ignored(
                    rel, is_dir=True
                ):
                    rules.load(rel)
                    subdirs.append(rel)
            elif (
                entry.is_file(follow_symlinks=False)
                and not skipped_name(entry.name, is_dir=False)
                and not rules.ignored(rel)
            ):
                st = entry.stat()
                if st.st_size <= MAX_FILE_BYTES:
                    yield FileStat(rel, st.st_mtime_ns, st.st_size)
        stack.extend(reversed(subdirs))
