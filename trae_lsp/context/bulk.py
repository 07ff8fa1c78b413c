"""Cold builds: parse every file, in worker processes for large projects, into an empty index.

Workers write their rows into small SQLite files of their own, which the parent copies
into the index with `INSERT ... SELECT`: no rows are pickled back, and the parent's only
per-row work happens inside SQLite.
"""

from __future__ import annotations

import gc
import multiprocessing
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import chain, islice
from pathlib import Path
from typing import TypeVar

from trae_lsp.context.ingest import IngestJob, ingest
from trae_lsp.context.rows import TABLES, insert_file
from trae_lsp.context.store import Store

JOB_CHUNK = 64
"""Files per worker round trip."""

PARALLEL_MIN_FILES = 800
"""Below this many files to parse, parsing stays in-process: starting workers costs about a
second, what parsing ~800 files takes here."""

_T = TypeVar("_T")

NumberedJob = tuple[int, IngestJob]
"""A file to ingest with the file id it gets in the index."""


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """Processes that parse files; spawned, since the language server calls from a thread."""
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def chunked(items: Iterable[_T]) -> Iterator[list[_T]]:
    """`items` in pieces of `JOB_CHUNK` (one worker round trip each), taken as they come."""
    it = iter(items)
    while chunk := list(islice(it, JOB_CHUNK)):
        yield chunk


def cold_build(store: Store, jobs: Iterable[IngestJob], *, workers: int) -> int:
    """Ingest `jobs` into an empty `store` (inside its `bulk_load`); returns the files parsed.

    Workers start once `PARALLEL_MIN_FILES` jobs have come in, and get chunks while the
    caller's walk produces the rest.
    """
    rest = enumerate(jobs, start=1)
    head = list(islice(rest, PARALLEL_MIN_FILES))
    numbered = chain(head, rest)
    if workers < 2 or len(head) < PARALLEL_MIN_FILES:
        parsed = 0
        for chunk in chunked(numbered):
            updates = [(file_id, u) for file_id, job in chunk if (u := ingest(job)) is not None]
            store.insert_new(updates)
            parsed += len(updates)
        return parsed
    folder = Path(tempfile.mkdtemp(prefix=f"{store.path.name}.build-", dir=store.path.parent))
    try:
        return _parallel(store, numbered, workers, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _parallel(store: Store, jobs: Iterable[NumberedJob], workers: int, folder: Path) -> int:
    parsed = 0
    with worker_pool(workers) as pool:
        pending: list[tuple[Path, Future[int]]] = []
        for i, chunk in enumerate(chunked(jobs)):
            path = folder / f"{i}.sqlite3"
            pending.append((path, pool.submit(build_chunk, str(path), chunk)))
        for path, future in pending:
            parsed += future.result()
            store.merge(path)
            path.unlink()
    return parsed


def build_chunk(db_path: str, jobs: list[NumberedJob]) -> int:
    """In a worker: ingest `jobs` into a new database at `db_path`; returns the files parsed.

    The cyclic garbage collector is off meanwhile: parsing makes millions of short-lived
    containers and no cycles, and collections took about 7% of a worker's time.
    """
    db = sqlite3.connect(db_path, isolation_level=None)
    gc.disable()
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
        gc.enable()
        db.close()
    return parsed
