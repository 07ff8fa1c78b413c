"""The SQLite file behind the index: files, symbols, reference counts and BM25 postings."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from trae_lsp.context.buildlock import build_lock
from trae_lsp.context.dbfile import (
    BUILDING_KEY,
    DATA_TABLES,
    INDEXES,
    connect,
    create_indexes,
    discard,
    reset,
    set_journal,
    usable,
)
from trae_lsp.context.rows import (
    SYMBOL_ID_BITS,
    FileUpdate,
    insert_file,
    symbol_rows,
)
from trae_lsp.context.symbols import Symbol

_SYMBOL_COLUMNS = (
    "f.path, s.name, s.qualname, s.kind, s.line, s.col, s.end_line, s.end_col, "
    "s.name_line, s.name_col, s.start_line, s.signature, s.doc"
)


@dataclass(frozen=True, slots=True)
class FileRecord:
    """What the index last saw of a file."""

    mtime_ns: int
    size: int
    hash: str


class Store:
    """Thread-safe access to one index database; every call holds the lock briefly."""

    def __init__(self, db_path: Path) -> None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self.path = db_path
        self._lock = threading.RLock()
        self.generation = 0
        """Bumped by every write or removal, so caches of derived data know to drop."""
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        """Connect, starting over when the file is from another schema, damaged or half-built.

        Under the build lock: a build in another process finishes first, and a marker
        found here is from a builder that died.
        """
        with build_lock(self.path):
            db: sqlite3.Connection | None = None
            try:
                db = connect(self.path)
                if not usable(db):
                    reset(db)
            except sqlite3.DatabaseError:  # not a database, or damaged beyond a reset
                if db is not None:
                    db.close()
                discard(self.path)
                db = connect(self.path)
                reset(db)
            create_indexes(db)  # an index built by an older version may lack some
        return db

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def records(self) -> dict[str, FileRecord]:
        """Every known file with the stat and hash it was indexed at."""
        with self._lock:
            rows = self._db.execute("SELECT path, mtime_ns, size, hash FROM files").fetchall()
        return {p: FileRecord(m, s, h) for p, m, s, h in rows}

    def hash_of(self, path: str) -> str | None:
        """The content hash a file was indexed at, or None if it is not indexed."""
        with self._lock:
            row = self._db.execute("SELECT hash FROM files WHERE path=?", (path,)).fetchone()
        return row[0] if row else None

    def touch(self, stats: Iterable[tuple[str, int, int]]) -> None:
        """Record a new mtime/size for files whose content hash did not change."""
        with self._transaction() as db:
            db.executemany(
                "UPDATE files SET mtime_ns=?, size=? WHERE path=?", [(m, s, p) for p, m, s in stats]
            )

    def write(self, updates: Sequence[FileUpdate]) -> None:
        """Replace everything stored for these files, in one transaction."""
        if not updates:
            return
        with self._transaction() as db:
            self.generation += 1
            for u in updates:
                row = db.execute("SELECT id FROM files WHERE path=?", (u.path,)).fetchone()
                if row is None:
                    insert_file(db, u)
                else:
                    _replace_rows(db, int(row[0]), u)

    def insert_new(self, updates: Iterable[tuple[int, FileUpdate]]) -> None:
        """Insert files the index does not hold, under the given file ids, in one transaction."""
        with self._transaction() as db:
            self.generation += 1
            for file_id, u in updates:
                insert_file(db, u, file_id)

    def merge(self, chunk: Path) -> None:
        """Copy all rows of a database built by a worker (`TABLES`, disjoint file ids)."""
        with self._lock:
            self._db.execute("ATTACH DATABASE ? AS chunk", (str(chunk),))
            try:
                with self._transaction() as db:
                    self.generation += 1
                    for table in DATA_TABLES:
                        db.execute(f"INSERT INTO {table} SELECT * FROM chunk.{table}")
            finally:
                self._db.execute("DETACH DATABASE chunk")

    @contextmanager
    def bulk_load(self) -> Iterator[bool]:
        """Fill an empty index fast: no journal, secondary indexes built once at the end.

        Yields False (and changes nothing) when another process filled the index while
        this one waited for the build lock. Without a journal a crash can leave a damaged
        file, so a marker row says a build is under way: opening a database that still
        has it starts over. If the load raises, the tables are emptied, so the next
        refresh is a cold build again.
        """
        with build_lock(self.path):
            with self._lock:
                if self._db.execute("SELECT 1 FROM files LIMIT 1").fetchone():
                    yield False
                    return
                self._db.execute("REPLACE INTO meta VALUES(?, '1')", (BUILDING_KEY,))
                set_journal(self._db, "OFF")
                for name in INDEXES:
                    self._db.execute(f"DROP INDEX IF EXISTS {name}")
            try:
                yield True
            except BaseException:
                with self._lock:
                    for table in DATA_TABLES:
                        self._db.execute(f"DELETE FROM {table}")
                raise
            finally:
                with self._lock:
                    create_indexes(self._db)
                    set_journal(self._db, "WAL")
                    self._db.execute("DELETE FROM meta WHERE key=?", (BUILDING_KEY,))

    def remove(self, paths: Iterable[str]) -> None:
        """Forget these files."""
        paths = list(paths)
        if not paths:
            return
        with self._transaction() as db:
            self.generation += 1
            for path in paths:
                self._delete(db, path)

    @staticmethod
    def _delete(db: sqlite3.Connection, path: str) -> None:
        row = db.execute("SELECT id FROM files WHERE path=?", (path,)).fetchone()
        if row is None:
            return
        fid = row[0]
        db.execute("DELETE FROM terms WHERE file_id=?", (fid,))
        db.execute("DELETE FROM symbols WHERE file_id=?", (fid,))
        db.execute("DELETE FROM file_refs WHERE file_id=?", (fid,))
        db.execute("DELETE FROM files WHERE id=?", (fid,))

    def _symbols(self, where: str, args: Sequence[object]) -> list[tuple[int, Symbol]]:
        sql = (
            f"SELECT s.id, {_SYMBOL_COLUMNS} FROM symbols s JOIN files f ON f.id = s.file_id"
            f" WHERE {where}"
        )
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [(r[0], Symbol(*r[1:])) for r in rows]

    def symbols_named(self, name: str) -> list[Symbol]:
        """Definitions called `name`, in path and line order."""
        return sorted(
            (s for _, s in self._symbols("s.name = ?", (name,))), key=lambda s: (s.file, s.line)
        )

    def symbols_named_with_ids(self, name: str) -> dict[int, Symbol]:
        """Definitions called `name`, by row id."""
        return dict(self._symbols("s.name = ?", (name,)))

    def symbols_in_with_ids(self, path: str) -> dict[int, Symbol]:
        """Definitions of one file, by row id."""
        return dict(self._symbols("f.path = ?", (path,)))

    def symbols_in(self, path: str) -> list[Symbol]:
        """Definitions of one file, in document order."""
        return [s for _, s in self._symbols("f.path = ? ORDER BY s.line, s.col", (path,))]

    def symbols_by_id(self, ids: Sequence[int]) -> dict[int, Symbol]:
        """Definitions by their row id."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return dict(self._symbols(f"s.id IN ({marks})", list(ids)))

    def all_symbols(self) -> list[tuple[int, Symbol]]:
        """Every definition with its id (for small projects and tests)."""
        return self._symbols("1", ())

    def language_of(self, path: str) -> str | None:
        """The language a file was parsed as (None if unknown or not parseable)."""
        with self._lock:
            row = self._db.execute("SELECT language FROM files WHERE path=?", (path,)).fetchone()
        return row[0] if row else None

    def files_referencing(self, name: str) -> list[str]:
        """Files that mention `name` at least once, by path."""
        sql = (
            "SELECT f.path FROM file_refs r JOIN files f ON f.id = r.file_id"
            " WHERE r.name=? ORDER BY f.path"
        )
        with self._lock:
            return [r[0] for r in self._db.execute(sql, (name,))]

    def ref_counts(self, path: str) -> dict[str, int]:
        """How often each name is referenced in one file (the file's out-edges)."""
        sql = (
            "SELECT r.name, r.count FROM file_refs r JOIN files f ON f.id = r.file_id"
            " WHERE f.path=?"
        )
        with self._lock:
            return dict(self._db.execute(sql, (path,)).fetchall())

    def definer_counts(self, name: str) -> dict[str, int]:
        """Files defining `name`, with how many definitions each has (the name's out-edges)."""
        sql = (
            "SELECT f.path, COUNT(*) FROM symbols s JOIN files f ON f.id = s.file_id"
            " WHERE s.name=? GROUP BY f.path"
        )
        with self._lock:
            return dict(self._db.execute(sql, (name,)).fetchall())

    def definers(self, names: Iterable[str]) -> dict[str, list[str]]:
        """For each of `names` that some file defines: the defining files (with repeats)."""
        wanted = list(set(names))
        out: dict[str, list[str]] = {}
        for i in range(0, len(wanted), _SQL_CHUNK):
            chunk = wanted[i : i + _SQL_CHUNK]
            sql = (
                "SELECT s.name, f.path FROM symbols s JOIN files f ON f.id = s.file_id"
                f" WHERE s.name IN ({','.join('?' * len(chunk))})"
            )
            with self._lock:
                for name, path in self._db.execute(sql, chunk):
                    out.setdefault(name, []).append(path)
        return out

    def defined_names(self, names: Iterable[str]) -> set[str]:
        """The subset of `names` that some file defines."""
        wanted = list(set(names))
        found: set[str] = set()
        for i in range(0, len(wanted), _SQL_CHUNK):
            chunk = wanted[i : i + _SQL_CHUNK]
            sql = f"SELECT DISTINCT name FROM symbols WHERE name IN ({','.join('?' * len(chunk))})"
            with self._lock:
                found.update(r[0] for r in self._db.execute(sql, chunk))
        return found

    def postings(self, terms: Sequence[str]) -> dict[str, list[tuple[int, int, int]]]:
        """For each term: (symbol id, term frequency, symbol length) of symbols containing it."""
        out: dict[str, list[tuple[int, int, int]]] = {}
        with self._lock:
            for term in terms:
                sql = "SELECT file_id, postings FROM terms WHERE term=?"
                rows = self._db.execute(sql, (term,)).fetchall()
                out[term] = [_posting(fid, p) for fid, row in rows for p in row.split(" ")]
        return out

    def doc_stats(self) -> tuple[int, float]:
        """Number of symbols and their mean length in words (BM25's N and avgdl)."""
        with self._lock:
            n, total = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(length), 0) FROM symbols"
            ).fetchone()
        return int(n), (total / n if n else 0.0)

    def paths(self) -> list[str]:
        """Every indexed path (including ones that could not be parsed)."""
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT path FROM files ORDER BY path")]


_SQL_CHUNK = 500
"""Most `?` parameters bound in one statement."""


def _posting(file_id: int, text: str) -> tuple[int, int, int]:
    pos, tf, length = text.split(":")
    return file_id << SYMBOL_ID_BITS | int(pos), int(tf), int(length)


def _replace_rows(db: sqlite3.Connection, file_id: int, u: FileUpdate) -> None:
    """Rewrite a known file in place, touching only the rows that changed.

    An edit usually changes few of a file's rows; leaving the rest alone keeps the
    transaction (and its index pages) small, and the file keeps its id as a cold build would.
    """
    rows = u.rows
    db.execute(
        "UPDATE files SET mtime_ns=?, size=?, hash=?, language=? WHERE id=?",
        (u.mtime_ns, u.size, u.hash, rows and rows.language, file_id),
    )
    refs = [(file_id, *r) for r in rows.ref_counts] if rows else []
    _sync(db, "file_refs", "file_id, name, count", file_id, refs)
    terms = [(t, file_id, p) for t, p in rows.terms] if rows else []
    _sync(db, "terms", "term, file_id, postings", file_id, terms)
    symbols = symbol_rows(file_id, rows.symbols) if rows else []
    _sync(db, "symbols", "*", file_id, symbols)


def _sync(
    db: sqlite3.Connection,
    table: str,
    columns: str,
    file_id: int,
    new: Sequence[tuple[object, ...]],
) -> None:
    """Make one file's rows of `table` equal `new`: delete the stale rows, insert the missing."""
    old: dict[tuple[object, ...], int] = {}
    for rowid, *values in db.execute(
        f"SELECT rowid, {columns} FROM {table} WHERE file_id=?", (file_id,)
    ):
        old[tuple(values)] = rowid
    wanted = set(new)
    stale = [(rowid,) for values, rowid in old.items() if values not in wanted]
    db.executemany(f"DELETE FROM {table} WHERE rowid=?", stale)
    missing = [r for r in new if r not in old]
    if missing:
        marks = ",".join("?" * len(missing[0]))
        db.executemany(f"INSERT INTO {table} VALUES({marks})", missing)
