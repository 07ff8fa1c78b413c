"""The persistent, incremental symbol index of one project (SQLite under `<project>/.trae/`)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from trae_lsp.context.bulk import PARALLEL_MIN_FILES, chunked, cold_build, worker_pool
from trae_lsp.context.errors import ContextError
from trae_lsp.context.ingest import IngestJob, content_hash, ingest_batch, ingest_bytes
from trae_lsp.context.parse import parse_source
from trae_lsp.context.rows import FileUpdate
from trae_lsp.context.store import FileRecord, Store
from trae_lsp.context.symbols import Position, Reference, Symbol, outline, symbol_at
from trae_lsp.context.walk import FileStat, IgnoreRules, walk_project

INDEX_DIR = ".trae"
"""Per-project folder holding the index database."""

INDEX_FILE = "context.sqlite3"
"""Database file name inside `INDEX_DIR`."""

WRITE_BATCH = 256
"""Files written per database transaction."""

UNSAVED_MTIME = -1
"""mtime recorded for editor buffers, so the next refresh re-checks the file on disk."""


@dataclass(frozen=True, slots=True)
class RefreshStats:
    """What one refresh did."""

    files: int
    parsed: int
    unchanged: int
    removed: int
    elapsed_ms: float


@dataclass(frozen=True, slots=True)
class Usage:
    """One use of a name: where, the innermost enclosing definition, and the line's text."""

    file: str
    line: int
    column: int
    enclosing: str
    text: str


class ContextIndex:
    """Symbols of a project, kept current incrementally; all methods are thread-safe."""

    def __init__(self, root: Path, *, workers: int | None = None) -> None:
        self.root = root.resolve()
        if not self.root.is_dir():
            raise ContextError(f"{root} is not a directory; pass the project folder to index.")
        self.store = Store(self.root / INDEX_DIR / INDEX_FILE)
        _keep_out_of_git(self.root / INDEX_DIR)
        self._workers = workers if workers is not None else (os.cpu_count() or 1)
        self._refresh_lock = threading.Lock()
        self._buffers: dict[str, str] = {}
        self._buffers_lock = threading.Lock()
        self._rules = IgnoreRules(self.root)
        self._rules.load("")

    def close(self) -> None:
        """Release the database."""
        self.store.close()

    def refresh(self) -> RefreshStats:
        """Bring the index up to date with the disk: parse new/changed files, drop deleted ones."""
        start = time.perf_counter()
        with self._refresh_lock:
            files, parsed, unchanged, removed = self._refresh()
        ms = (time.perf_counter() - start) * 1000
        return RefreshStats(files, parsed, unchanged, removed, ms)

    def _refresh(self) -> tuple[int, int, int, int]:
        """One refresh: files seen, parsed, unchanged (same hash) and removed."""
        records = self.store.records()
        with self._buffers_lock:
            open_paths = set(self._buffers)
        seen: list[FileStat] = []
        jobs = self._jobs(seen, records, open_paths)
        built = False
        if not records:  # a cold build: parsing starts while the walk goes on
            with self.store.bulk_load() as built:
                if built:
                    parsed, unchanged = cold_build(self.store, jobs, workers=self._workers), 0
            if not built:  # another process built the index while this one waited
                records = self.store.records()
                jobs = self._jobs(seen, records, open_paths)
        if not built:
            parsed, unchanged = self._ingest(list(jobs))
        removed = set(records) - {fs.path for fs in seen} - open_paths
        self.store.remove(removed)
        return len(seen), parsed, unchanged, len(removed)

    def _jobs(
        self, seen: list[FileStat], records: dict[str, FileRecord], open_paths: set[str]
    ) -> Iterator[IngestJob]:
        """Walk the project, listing every file in `seen`; yield the ones to (re)parse."""
        for fs in walk_project(self.root):
            seen.append(fs)
            rec = records.get(fs.path)
            if fs.path in open_paths or (
                rec and (rec.mtime_ns, rec.size) == (fs.mtime_ns, fs.size)
            ):
                continue
            yield IngestJob(
                str(self.root), fs.path, fs.mtime_ns, fs.size, rec.hash if rec else None
            )

    async def refresh_async(self) -> RefreshStats:
        """`refresh` in a worker thread, so an asyncio loop (the language server) never blocks."""
        return await asyncio.to_thread(self.refresh)

    def _ingest(self, jobs: list[IngestJob]) -> tuple[int, int]:
        parsed = unchanged = 0
        pending: list[FileUpdate] = []
        for job, update in self._parse_all(jobs):
            if update is None:
                if job.known_hash is not None:
                    self.store.touch([(job.path, job.mtime_ns, job.size)])
                    unchanged += 1
                continue
            pending.append(update)
            parsed += 1
            if len(pending) >= WRITE_BATCH:
                self.store.write(pending)
                pending = []
        self.store.write(pending)
        return parsed, unchanged

    def _parse_all(self, jobs: list[IngestJob]) -> Iterator[tuple[IngestJob, FileUpdate | None]]:
        chunks = chunked(jobs)
        if len(jobs) < PARALLEL_MIN_FILES or self._workers < 2:
            for chunk in chunks:
                yield from ingest_batch(chunk)
            return
        with worker_pool(self._workers) as pool:
            for results in pool.map(ingest_batch, chunks):
                yield from results

    def relative(self, path: str | Path) -> str:
        """The project-relative POSIX path of `path`; refuses paths outside the project."""
        p = Path(path)
        full = (p if p.is_absolute() else self.root / p).resolve()
        try:
            return full.relative_to(self.root).as_posix()
        except ValueError:
            raise ContextError(
                f"{path} is outside the project {self.root}; open it from there."
            ) from None

    def update_text(self, path: str | Path, text: str) -> bool:
        """Re-index one file from an editor buffer without walking; False if the file is ignored."""
        rel = self.relative(path)
        if self._rules.excluded(rel):
            return False
        data = text.encode("utf-8")
        with self._buffers_lock:
            self._buffers[rel] = text
        if self.store.hash_of(rel) != content_hash(data):
            self.store.write([ingest_bytes(rel, data, UNSAVED_MTIME, len(data))])
        return True

    def close_buffer(self, path: str | Path) -> None:
        """Forget an editor buffer; the next refresh re-reads the file from disk."""
        with self._buffers_lock:
            self._buffers.pop(self.relative(path), None)

    def read_text(self, path: str) -> str:
        """The current text of an indexed file: the editor buffer if open, else the disk."""
        with self._buffers_lock:
            text = self._buffers.get(path)
        if text is not None:
            return text
        try:
            return (self.root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def definitions(self, name: str) -> list[Symbol]:
        """Every definition called `name`."""
        return self.store.symbols_named(name)

    def find_usages(self, name: str) -> list[Usage]:
        """Every reference to `name`, with file, line, enclosing symbol and the line's text."""
        out: list[Usage] = []
        for path in self.store.files_referencing(name):
            language = self.store.language_of(path)
            if language is None:
                continue
            text = self.read_text(path)
            parsed = parse_source(path, text.encode("utf-8"), language, references=True)
            lines = text.split("\n")
            out.extend(_usage(path, r, lines) for r in parsed.references if r.name == name)
        return out

    def related_files(self, path: str) -> list[str]:
        """Files linked to `path` by references either way, most strongly linked first."""
        rel = self.relative(path)
        weight: dict[str, int] = {}
        for name, count in self.store.ref_counts(rel).items():
            for other in self.store.definer_counts(name):
                weight[other] = weight.get(other, 0) + count
        for sym in self.store.symbols_in(rel):
            for other in self.store.files_referencing(sym.name):
                weight[other] = weight.get(other, 0) + 1
        weight.pop(rel, None)
        return sorted(weight, key=lambda p: (-weight[p], p))

    def outline(self, path: str) -> list[Symbol]:
        """The definitions of one file in document order."""
        return outline(self.store.symbols_in(self.relative(path)))

    def symbol_at(self, path: str, pos: Position) -> Symbol | None:
        """The innermost definition containing `pos` in `path`, or None."""
        return symbol_at(self.store.symbols_in(self.relative(path)), pos)


def _keep_out_of_git(folder: Path) -> None:
    """Add a `.gitignore` for the index files, so nobody commits a cache by accident."""
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(f"{INDEX_FILE}*\n")


def _usage(path: str, ref: Reference, lines: list[str]) -> Usage:
    text = lines[ref.line - 1].strip() if ref.line <= len(lines) else ""
    return Usage(path, ref.line, ref.column, ref.enclosing, text)
