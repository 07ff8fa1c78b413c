"""The Workspace: the only way the agent reads and writes project files.

Reads see the agent's overlay, then open editor buffers, then disk. Every write is
recorded against the file's original text, so `changes()` yields a ChangeSet with
diffs. In `apply` mode writes also reach disk atomically; in `propose` mode they stay
in the overlay and `command_root()` gives commands a shadow copy that shows them.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType

from trae_lsp.errors import TraeError
from trae_lsp.paths import confine, relative_name
from trae_lsp.workspace.atomic import atomic_write, remove_file
from trae_lsp.workspace.changes import ChangeSet, FileChange, unified_diff
from trae_lsp.workspace.codec import (
    BinaryFileError,
    Decoded,
    TextCodec,
    codec_for_text,
    decode,
)
from trae_lsp.workspace.ignore import VCS_DIRS, IgnoreRules
from trae_lsp.workspace.shadow import ShadowCopy


class WorkspaceMode(StrEnum):
    """Whether the agent's writes reach disk (`apply`) or stay in the overlay (`propose`)."""

    APPLY = "apply"
    PROPOSE = "propose"


class WorkspaceError(TraeError):
    """A file operation cannot be done; the message says what to do instead."""


@dataclass(frozen=True)
class _Snapshot:
    """A file's text as the agent sees it now, with where it came from."""

    text: str | None
    codec: TextCodec
    version: int | None = None


@dataclass(frozen=True)
class _Buffer:
    """An editor buffer pushed by the language server."""

    decoded: Decoded
    version: int | None


class Workspace:
    """Reads and writes project files for the agent and records every change."""

    def __init__(
        self,
        root: str | Path,
        *,
        mode: WorkspaceMode | str = WorkspaceMode.APPLY,
        extra_roots: Sequence[str | Path] = (),
        shadow_parent: Path | None = None,
        hardlinks: bool = False,
    ) -> None:
        self.root = Path(root).expanduser().resolve()
        if not self.root.is_dir():
            raise WorkspaceError(
                f"Project root {self.root} is not a directory; pass an existing one."
            )
        self.mode = WorkspaceMode(mode)
        self.ignore = IgnoreRules(self.root)
        self._extra = tuple(Path(p).expanduser().resolve() for p in extra_roots)
        self._shadow_parent = shadow_parent
        self._hardlinks = hardlinks
        self._lock = threading.RLock()
        self._overlay: dict[Path, _Snapshot] = {}
        self._baseline: dict[Path, _Snapshot] = {}
        self._history: dict[Path, list[str | None]] = {}
        self._buffers: dict[Path, _Buffer] = {}
        self._read_versions: dict[Path, int | None] = {}
        self._shadow: ShadowCopy | None = None

    # paths ---------------------------------------------------------------------------

    def resolve(self, path: str | Path) -> Path:
        """The absolute, symlink-free path of `path`, refused if it leaves the project.

        Paths inside the shadow copy (they appear in command output) map back to the project.
        """
        shadow = self._shadow
        if (
            shadow is not None
            and Path(path).is_absolute()
            and Path(path).is_relative_to(shadow.path)
        ):
            path = self.root / Path(path).relative_to(shadow.path)
        return confine(self.root, path, extra=self._extra)

    def relative(self, path: Path) -> str:
        """The project-relative name of a resolved path."""
        return relative_name(self.root, path)

    # reads ---------------------------------------------------------------------------

    def read(self, path: str | Path) -> Decoded:
        """A file's current text and codec; records the buffer version it was read at."""
        resolved = self.resolve(path)
        with self._lock:
            snap = self._snapshot(resolved)
            if snap.text is None:
                raise self._missing(resolved)
            self._read_versions[resolved] = snap.version
            return Decoded(text=snap.text, codec=snap.codec)

    def read_text(self, path: str | Path) -> str:
        """A file's current text (CRLF files appear with LF endings)."""
        return self.read(path).text

    def read_version(self, path: str | Path) -> int | None:
        """The editor buffer version the file was last read at (`None`: read from disk)."""
        return self._read_versions.get(self.resolve(path))

    def exists(self, path: str | Path) -> bool:
        """Whether the agent sees a file or directory at `path`."""
        resolved = self.resolve(path)
        with self._lock:
            overlay = self._live_overlay()
            if resolved in overlay:
                return overlay[resolved].text is not None
            return resolved in self._buffers or resolved.exists() or self.is_dir(resolved)

    def is_dir(self, path: str | Path) -> bool:
        """Whether `path` is a directory on disk or holds files the agent created."""
        resolved = self.resolve(path)
        if resolved.is_dir():
            return True
        with self._lock:
            return any(
                resolved in p.parents and s.text is not None
                for p, s in self._live_overlay().items()
            )

    def content_hash(self, path: str | Path) -> str:
        """A hash of the text the agent would read at `path` (for cache keys)."""
        resolved = self.resolve(path)
        with self._lock:
            snap = self._snapshot(resolved)
        text = "\0absent" if snap.text is None else snap.text
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def list_dir(self, path: str | Path = ".", *, depth: int = 2) -> list[str]:
        """Project-relative entries under a directory, down to `depth` levels; dirs end in `/`."""
        start = self.resolve(path)
        if not self.is_dir(start):
            raise WorkspaceError(f"{self.relative(start)} is not a directory; view it as a file.")
        names: set[str] = set()
        for entry in self.ignore.walk(start, max_depth=depth):
            if not entry.ignored:
                names.add(self.relative(entry.path) + ("/" if entry.is_dir else ""))
        with self._lock:
            for p, snap in self._live_overlay().items():
                parts = p.relative_to(start).parts if p.is_relative_to(start) else ()
                if not parts or len(parts) > depth:
                    continue
                if snap.text is None:
                    names.discard(self.relative(p))
                else:
                    names.add(self.relative(p))
        return sorted(names)

    # writes --------------------------------------------------------------------------

    def write_text(self, path: str | Path, text: str) -> None:
        """Set a file's text (creating it and its directories if needed) and record the change."""
        resolved = self._writable(path)
        with self._lock:
            current = self._snapshot(resolved)
            codec = current.codec
            text = codec.to_tool_text(codec.to_raw_text(text))
            self._flush(resolved, text, codec)
            self._record(resolved, current, text)

    def delete(self, path: str | Path) -> None:
        """Delete a file and record the change."""
        resolved = self._writable(path)
        with self._lock:
            current = self._snapshot(resolved)
            if current.text is None:
                raise self._missing(resolved)
            self._flush(resolved, None, current.codec)
            self._record(resolved, current, None)

    def undo(self, path: str | Path) -> str | None:
        """Revert the last write to a file; returns the restored text (`None`: file removed)."""
        resolved = self.resolve(path)
        with self._lock:
            history = self._history.get(resolved)
            if not history:
                raise WorkspaceError(
                    f"No edit of {self.relative(resolved)} to undo; only the agent's edits undo."
                )
            previous = history[-1]
            codec = self._overlay[resolved].codec
            self._flush(resolved, previous, codec)
            history.pop()
            self._overlay[resolved] = _Snapshot(previous, codec)
            return previous

    def _writable(self, path: str | Path) -> Path:
        """Resolve a path the agent wants to change; directories and VCS internals are refused."""
        resolved = self.resolve(path)
        rel = self.relative(resolved)
        if resolved.is_dir():
            raise WorkspaceError(f"{rel} is a directory; write to a file in it.")
        if VCS_DIRS.intersection(resolved.relative_to(self.root).parts):
            raise WorkspaceError(
                f"{rel} is inside version-control internals, which the agent never writes; "
                "change the project's files instead."
            )
        return resolved

    def _record(self, resolved: Path, current: _Snapshot, text: str | None) -> None:
        """Remember the original and the undo step, then put `text` in the overlay."""
        self._baseline.setdefault(resolved, _snapshot_raw(current))
        self._history.setdefault(resolved, []).append(current.text)
        self._overlay[resolved] = _Snapshot(text, current.codec)
        if self.mode is WorkspaceMode.APPLY:
            self._buffers.pop(resolved, None)  # disk is newer now; the editor reloads it

    def _flush(self, resolved: Path, text: str | None, codec: TextCodec) -> None:
        """Check that `text` can be stored and, in apply mode, put it on disk (before recording)."""
        data = None if text is None else codec.encode(text, name=self.relative(resolved))
        if self.mode is not WorkspaceMode.APPLY:
            return
        if data is None:
            remove_file(resolved)
        else:
            atomic_write(resolved, data)

    # editor buffers ------------------------------------------------------------------

    def set_buffer(self, path: str | Path, text: str, version: int | None) -> None:
        """Record an open editor buffer (its unsaved text wins over disk for reads)."""
        resolved = self.resolve(path)
        with self._lock:
            try:
                like = self._disk(resolved).codec
            except BinaryFileError:
                like = TextCodec()
            self._buffers[resolved] = _Buffer(codec_for_text(text, like=like), version)

    def close_buffer(self, path: str | Path) -> None:
        """Forget an editor buffer (the editor closed it)."""
        with self._lock:
            self._buffers.pop(self.resolve(path), None)

    # changes -------------------------------------------------------------------------

    def changes(self) -> ChangeSet:
        """Every file whose text now differs from before the agent's first edit."""
        with self._lock:
            items = [self._change(path, base) for path, base in self._baseline.items()]
        return ChangeSet(tuple(change for change in items if change is not None))

    def _change(self, path: Path, base: _Snapshot) -> FileChange | None:
        now = self._snapshot(path)
        new = None if now.text is None else now.codec.to_raw_text(now.text)
        if new == base.text:
            return None
        rel = self.relative(path)
        return FileChange(
            path=rel,
            original=base.text,
            new=new,
            created=base.text is None,
            deleted=new is None,
            diff=unified_diff(rel, base.text, new),
            version=base.version,
        )

    # commands ------------------------------------------------------------------------

    def command_root(self) -> Path:
        """Where commands run: the project (apply) or a shadow that shows the overlay (propose)."""
        if self.mode is WorkspaceMode.APPLY:
            return self.root
        with self._lock:
            if self._shadow is None:
                self._shadow = ShadowCopy(
                    self.ignore, parent=self._shadow_parent, hardlinks=self._hardlinks
                )
            self._shadow.sync(self._agent_view())
            return self._shadow.path

    def pending_texts(self) -> dict[Path, str | None]:
        """Files the agent sees differently from disk (buffers; overlay in propose mode)."""
        with self._lock:
            return {path: snap.text for path, snap in self._pending().items()}

    def _pending(self) -> dict[Path, _Snapshot]:
        view = {
            path: _Snapshot(b.decoded.text, b.decoded.codec, b.version)
            for path, b in self._buffers.items()
        }
        view.update(self._live_overlay())
        return view

    def _live_overlay(self) -> dict[Path, _Snapshot]:
        """The overlay where it is what reads see: in propose mode (in apply mode, disk is)."""
        return self._overlay if self.mode is WorkspaceMode.PROPOSE else {}

    def _agent_view(self) -> dict[Path, bytes | None]:
        """What the shadow copy must show instead of the disk."""
        return {
            path: None if snap.text is None else snap.codec.encode(snap.text)
            for path, snap in self._pending().items()
        }

    def close(self) -> None:
        """Remove the shadow copy, if one was made."""
        with self._lock:
            if self._shadow is not None:
                self._shadow.close()
                self._shadow = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # lookup --------------------------------------------------------------------------

    def _snapshot(self, path: Path) -> _Snapshot:
        """Overlay (propose mode) → editor buffer → disk."""
        overlay = self._live_overlay()
        if path in overlay:
            return overlay[path]
        buffer = self._buffers.get(path)
        if buffer is not None:
            return _Snapshot(buffer.decoded.text, buffer.decoded.codec, buffer.version)
        return self._disk(path)

    def _disk(self, path: Path) -> _Snapshot:
        if not path.is_file():
            codec = self._overlay[path].codec if path in self._overlay else TextCodec()
            return _Snapshot(None, codec)
        decoded = decode(path.read_bytes(), name=self.relative(path))
        return _Snapshot(decoded.text, decoded.codec)

    def _missing(self, path: Path) -> WorkspaceError:
        if path.is_dir():
            return WorkspaceError(f"{self.relative(path)} is a directory; use `view` to list it.")
        return WorkspaceError(
            f"{self.relative(path)} does not exist; `view` its directory to see what is there."
        )


def _snapshot_raw(snap: _Snapshot) -> _Snapshot:
    """The snapshot with its text as on disk (CRLF restored), for diffs and LSP edits."""
    raw = None if snap.text is None else snap.codec.to_raw_text(snap.text)
    return _Snapshot(raw, snap.codec, snap.version)
