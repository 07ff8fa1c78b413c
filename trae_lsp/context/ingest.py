"""Read, fingerprint and parse files; runs in worker processes as well as in-process."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from trae_lsp.context.languages import detect_language
from trae_lsp.context.parse import parse_source
from trae_lsp.context.rows import FileUpdate, file_rows

BINARY_SNIFF_BYTES = 8192
"""A NUL byte in this many leading bytes marks a file as binary."""

MAX_MEAN_LINE_BYTES = 300
"""Files with longer lines on average are minified or generated and are not parsed."""

SHEBANG_BYTES = 128
"""Leading bytes read to find a `#!` line."""


@dataclass(frozen=True, slots=True)
class IngestJob:
    """One file to look at: where it is, its stat, and the hash the index holds (if any)."""

    root: str
    path: str
    mtime_ns: int
    size: int
    known_hash: str | None


def content_hash(data: bytes) -> str:
    """The fingerprint that decides whether a file changed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def indexable(data: bytes) -> bool:
    """Whether bytes look like hand-written text: not binary, not minified."""
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        return False
    return len(data) <= MAX_MEAN_LINE_BYTES * (data.count(b"\n") + 1)


def ingest_bytes(path: str, data: bytes, mtime_ns: int, size: int) -> FileUpdate:
    """Parse file content into a store update (unparseable content gets no symbols)."""
    rows = None
    if indexable(data):
        rows = file_rows(parse_source(path, data, detect_language(path, data[:SHEBANG_BYTES])))
    return FileUpdate(path, mtime_ns, size, content_hash(data), rows)


def ingest(job: IngestJob) -> FileUpdate | None:
    """Read and parse one file; None when its content hash is unchanged or it vanished."""
    try:
        with open(os.path.join(job.root, job.path), "rb") as f:  # pathlib costs ~2% here
            data = f.read()
    except OSError:
        return None
    if job.known_hash is not None and content_hash(data) == job.known_hash:
        return None
    return ingest_bytes(job.path, data, job.mtime_ns, job.size)


def ingest_batch(jobs: list[IngestJob]) -> list[tuple[IngestJob, FileUpdate | None]]:
    """Ingest several files (one round trip to a worker process)."""
    return [(job, ingest(job)) for job in jobs]
