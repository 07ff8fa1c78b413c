"""The index database file: its schema version, connection settings, checks and resets."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from trae_lsp.context.rows import TABLES

SCHEMA_VERSION = "4"
"""Bumped when the tables change; an index with another version is rebuilt from scratch."""

CACHE_KIB = 65536
"""SQLite page cache per connection, in KiB; the hot indexes of a large project fit."""

INDEXES = {
    "symbols_name": "symbols(name)",
    "symbols_file": "symbols(file_id)",
    "file_refs_name": "file_refs(name)",
    "file_refs_file": "file_refs(file_id)",
    "terms_term": "terms(term)",
    "terms_file": "terms(file_id)",
}
"""Secondary indexes; a cold build drops them and creates them once at the end (much faster)."""

DATA_TABLES = ("files", "symbols", "file_refs", "terms")
"""Tables holding indexed data (all but `meta`)."""

BUILDING_KEY = "building"
"""`meta` key present while a bulk load runs without a journal."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the index database with the settings every user of it needs."""
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    # The index is a rebuildable cache: trade durability on power loss for fast commits.
    db.execute("PRAGMA synchronous=OFF")
    db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    return db


def reset(db: sqlite3.Connection) -> None:
    """Empty the database in place (other connections stay valid) and create the tables;
    the caller then adds the indexes (`create_indexes`), as it does for any opened index."""
    for table in (*DATA_TABLES, "meta"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    db.executescript(TABLES)
    db.execute("REPLACE INTO meta VALUES('schema', ?)", (SCHEMA_VERSION,))


def create_indexes(db: sqlite3.Connection) -> None:
    """Create the secondary indexes that are missing."""
    for name, target in INDEXES.items():
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def usable(db: sqlite3.Connection) -> bool:
    """Whether the database holds a complete index of the current schema."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "meta" not in tables:
        return False
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    return meta.get("schema") == SCHEMA_VERSION and BUILDING_KEY not in meta


def discard(path: Path) -> None:
    """Delete a database file with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def set_journal(db: sqlite3.Connection, mode: str) -> None:
    """Switch the journal mode; it stays as it is while another connection has the file open."""
    with contextlib.suppress(sqlite3.OperationalError):
        db.execute(f"PRAGMA journal_mode={mode}")
