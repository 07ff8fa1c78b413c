"""The SQLite file behind the index: files, symbols, reference counts and BM25 postings."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from trae_lsp.context.lexical import informative
from trae_lsp.context.symbols import ParsedFile, Symbol

SCHEMA_VERSION = "4"
"""Bumped when the tables change; an index with another version is rebuilt from scratch."""

CACHE_KIB = 65536
"""SQLite page cache per connection, in KiB; the hot indexes of a large project fit."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files(
  id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, mtime_ns INTEGER, size INTEGER,
  hash TEXT, language TEXT);
CREATE TABLE IF NOT EXISTS symbols(
  id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, name TEXT, qualname TEXT, kind TEXT,
  line INTEGER, col INTEGER, end_line INTEGER, end_col INTEGER, name_line INTEGER,
  name_col INTEGER, start_line INTEGER, signature TEXT, doc TEXT, length INTEGER);
CREATE TABLE IF NOT EXISTS file_refs(file_id INTEGER NOT NULL, name TEXT, count INTEGER);
CREATE TABLE IF NOT EXISTS terms(term TEXT NOT NULL, file_id INTEGER NOT NULL, postings TEXT);
"""
# `terms` holds one row per (word, file): "position:tf:length" postings joined by spaces,
# where position is the symbol's place in its file. Per-file rows keep an edit's
# delete/insert small and a query's lookups few.

_INDEXES = {
    "symbols_name": "symbols(name)",
    "symbols_file": "symbols(file_id)",
    "file_refs_name": "file_refs(name)",
    "file_refs_file": "file_refs(file_id)",
    "terms_term": "terms(term)",
    "terms_file": "terms(file_id)",
}
"""Secondary indexes; a cold build drops them and creates them once at the end (much faster)."""

SYMBOL_ID_BITS = 20
"""A symbol's id is `file_id << SYMBOL_ID_BITS | position in file`, so workers can build rows."""

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


@dataclass(frozen=True, slots=True)
class FileUpdate:
    """A file to (re)write: its stat, content hash and parse result (None: not indexable)."""

    path: str
    mtime_ns: int
    size: int
    hash: str
    rows: FileRows | None


@dataclass(frozen=True, slots=True)
class FileRows:
    """A parsed file flattened into table rows, built by the worker that parsed it."""

    language: str
    ref_counts: list[tuple[str, int]]
    symbols: list[tuple[object, ...]]
    terms: list[tuple[str, str]]


def file_rows(parsed: ParsedFile) -> FileRows:
    """Flatten a parse result into rows (everything but the file id, known only at insert).

    Symbol lengths count every word, but postings are kept only for `informative` words:
    no query asks for the others.
    """
    symbols: list[tuple[object, ...]] = []
    postings: dict[str, list[str]] = {}
    for pos, (sym, bag) in enumerate(zip(parsed.symbols, parsed.terms, strict=True)):
        length = sum(bag.values())
        symbols.append((pos, *sym[1:], length))
        once = f"{pos}:1:{length}"  # most words occur once in a symbol: format that once
        for term, tf in bag.items():
            entry = once if tf == 1 else f"{pos}:{tf}:{length}"
            found = postings.get(term)
            if found is None:
                postings[term] = [entry]
            else:
                found.append(entry)
    terms = [(t, " ".join(p)) for t, p in postings.items() if informative(t)]
    return FileRows(parsed.language, list(parsed.names.items()), symbols, terms)


class Store:
    """Thread-safe access to one index database; every call holds the lock briefly."""

    def __init__(self, db_path: Path) -> None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self.generation = 0
        """Bumped by every write or removal, so caches of derived data know to drop."""
        self._db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # The index is a rebuildable cache: trade durability on power loss for fast commits.
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            self._db.executescript(_SCHEMA)
            self._create_indexes()
            row = self._db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None or row[0] != SCHEMA_VERSION:
                for table in ("files", "symbols", "file_refs", "terms"):
                    self._db.execute(f"DROP TABLE {table}")
                self._db.executescript(_SCHEMA)
                self._create_indexes()
                self._db.execute("REPLACE INTO meta VALUES('schema', ?)", (SCHEMA_VERSION,))

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
                    _insert_file(db, u)
                else:
                    _replace_rows(db, int(row[0]), u)

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Drop the secondary indexes for a large load and rebuild them afterwards."""
        with self._lock:
            for name in _INDEXES:
                self._db.execute(f"DROP INDEX IF EXISTS {name}")
        try:
            yield
        finally:
            self._create_indexes()

    def _create_indexes(self) -> None:
        with self._lock:
            for name, target in _INDEXES.items():
                self._db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

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


_INSERT_SYMBOL = f"INSERT INTO symbols VALUES({','.join('?' * 15)})"


def _insert_file(db: sqlite3.Connection, u: FileUpdate) -> None:
    rows = u.rows
    cur = db.execute(
        "INSERT INTO files(path, mtime_ns, size, hash, language) VALUES(?,?,?,?,?)",
        (u.path, u.mtime_ns, u.size, u.hash, rows and rows.language),
    )
    if rows is None:
        return
    file_id = int(cur.lastrowid or 0)
    db.executemany("INSERT INTO file_refs VALUES(?,?,?)", [(file_id, *r) for r in rows.ref_counts])
    db.executemany(_INSERT_SYMBOL, _symbol_rows(file_id, rows.symbols))
    db.executemany("INSERT INTO terms VALUES(?,?,?)", [(t, file_id, p) for t, p in rows.terms])


def _symbol_rows(file_id: int, symbols: Iterable[tuple[object, ...]]) -> list[tuple[object, ...]]:
    base = file_id << SYMBOL_ID_BITS
    return [(base | int(str(r[0])), file_id, *r[1:]) for r in symbols]


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
    symbols = _symbol_rows(file_id, rows.symbols) if rows else []
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
