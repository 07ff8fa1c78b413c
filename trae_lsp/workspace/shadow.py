"""A shadow copy of the project with the agent's overlay materialised, for propose-mode commands.

Tracked files are copied (or hard-linked when the caller opts in); ignored entries
such as `.venv` or `node_modules` are symlinked back to the project so commands
still find their environment; tool caches are left out. A file the overlay changes
is always written as a fresh file (temp file + rename), never through a hard link
or a symlink, so the user's tree is never written.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from trae_lsp.workspace.atomic import atomic_write, remove_file
from trae_lsp.workspace.ignore import IgnoreRules, WalkEntry

SKIPPED_NAMES = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".trae"})
"""Caches and trae's own state: never materialised, commands recreate them as needed."""


class ShadowCopy:
    """A temporary mirror of the project that commands may run in and write to."""

    def __init__(
        self, rules: IgnoreRules, *, parent: Path | None = None, hardlinks: bool = False
    ) -> None:
        self.root = rules.root
        self.path = Path(tempfile.mkdtemp(prefix="trae-shadow-", dir=parent)).resolve()
        self._hardlinks = hardlinks
        self._synced: dict[Path, bytes | None] = {}
        for entry in rules.walk(prune=SKIPPED_NAMES):
            self._mirror(entry)

    def sync(self, wanted: Mapping[Path, bytes | None]) -> None:
        """Show `wanted` (project path → bytes, `None` = absent); restore everything else."""
        for source in [p for p in self._synced if p not in wanted]:
            self._restore(source)
            del self._synced[source]
        for source, data in wanted.items():
            if self._synced.get(source, b"\0unsynced") == data:
                continue
            target = self.mirror_of(source)
            self._unshare_parents(target)
            if data is None:
                remove_file(target)
            else:
                atomic_write(target, data)
            self._synced[source] = data

    def mirror_of(self, source: Path) -> Path:
        """Where a project path lives in the shadow."""
        return self.path / source.relative_to(self.root)

    def close(self) -> None:
        """Delete the shadow copy."""
        shutil.rmtree(self.path, ignore_errors=True)

    def _mirror(self, entry: WalkEntry) -> None:
        """Reproduce one project entry in the shadow."""
        target = self.mirror_of(entry.path)
        if entry.is_symlink:
            os.symlink(self._link_target(entry.path), target)
        elif entry.ignored:
            os.symlink(entry.path, target)
        elif entry.is_dir:
            target.mkdir(exist_ok=True)
        else:
            self._copy(entry.path, target)

    def _copy(self, source: Path, target: Path) -> None:
        """Copy one unchanged file; hard-link it when allowed and on the same filesystem."""
        if self._hardlinks:
            try:
                os.link(source, target)
                return
            except OSError:
                pass  # another filesystem, or links not supported: copy instead
        _copy_file(source, target)

    def _restore(self, source: Path) -> None:
        """Put a file back to what the project has on disk (the overlay no longer changes it)."""
        target = self.mirror_of(source)
        remove_file(target)
        if source.is_file():
            _copy_file(source, target)

    def _link_target(self, link: Path) -> str:
        """A symlink's target, re-pointed into the shadow when it is an absolute project path."""
        target = os.readlink(link)
        absolute = Path(target)
        if absolute.is_absolute() and absolute.is_relative_to(self.root):
            return str(self.mirror_of(absolute))
        return target

    def _unshare_parents(self, target: Path) -> None:
        """Turn symlinked parent directories into real ones so a write cannot reach the project."""
        current = self.path
        for part in target.relative_to(self.path).parts[:-1]:
            current = current / part
            if current.is_symlink():
                original = current.resolve()
                current.unlink()
                current.mkdir()
                for child in original.iterdir():
                    os.symlink(child, current / child.name)
            elif not current.exists():
                current.mkdir()


def _copy_file(source: Path, target: Path) -> None:
    """Copy bytes, permission bits and timestamps (so `make` sees the same ages).

    A plain read and write: `shutil.copy2` (sendfile plus xattrs) measured 7x slower
    per small file here, and source files are small.
    """
    info = source.stat()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IMODE(info.st_mode))
    with os.fdopen(fd, "wb") as out:
        out.write(source.read_bytes())
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
