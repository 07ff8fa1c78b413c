"""Cold builds: parse every file, in worker processes for large projects, into an empty index.

Workers write their rows into small SQLite files of their own, which the parent copies
into the index with `INSERT ... SELECT`: no rows are pickled back, and the parent's only
per-row work happens inside SQLite.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from trae_lsp.context.ingest import IngestJob, ingest
from trae_lsp.context.rows import TABLES, insert_file
from trae_lsp.context.store import Store

JOB_CHUNK = 64
"""Files per worker round trip."""

_T = TypeVar("_T")

NumberedJob = tuple[int, IngestJob]
"""A file to ingest with the file id it gets in the index."""


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """Processes that parse files; spawned, since the language server calls from a thread."""
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def chunked(items: list[_T]) -> list[list[_T]]:
    """`items` in pieces of `JOB_CHUNK` (one worker round trip each)."""
    return [items[i : i + JOB_CHUNK] for i in range(0, len(items), JOB_CHUNK)]


def cold_build(store: Store, jobs: list[IngestJob], *, workers: int) -> int:
    """Ingest `jobs` into an empty `store` (inside its `bulk_load`); returns the files parsed."""
    chunks = chunked(list(enumerate(jobs, start=1)))
    if workers < 2:
        parsed = 0
        for chunk in chunks:
            updates = [(file_id, u) for file_id, job in chunk if (u := ingest(job)) is not None]
            store.insert_new(updates)
            parsed += len(updates)
        return parsed
    folder = tempfile.mkdtemp(prefix=f"{store.path.name}.build-", dir=store.path.parent)
    paths = [str(Path(folder) / f"{i}.sqlite3") for i in range(len(chunks))]
    parsed = 0
    try:
        with worker_pool(workers) as pool:
            for path, count in zip(paths, pool.map(build_chunk, paths, chunks), strict=True):
                store.merge(Path(path))
                Path(path).unlink()
                parsed += count
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return parsed


def build_chunk(db_path: str, jobs: list[NumberedJob]) -> int:
    """In a worker: ingest `jobs` into a new database at `db_path`; returns the files parsed."""
    db = sqlite3.connect(db_path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=OFF")  # a scratch file: deleted unless merged whole
        db.execute("PRAGMA synchronous=OFF")
        db.executescript(TABLES)
        db.execute("BEGIN")
        parsed = 0
        for file_id, job in jobs:
            update = ingest(job)
            if update is not None:
                insert_file(db, update, file_id)
                parsed += 1
        db.execute("COMMIT")
    finally:
        db.close()
    return parsed
