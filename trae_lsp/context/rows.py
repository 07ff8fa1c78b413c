"""A parsed file as table rows, and the tables they go into (shared by workers and the store)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from trae_lsp.context.lexical import informative
from trae_lsp.context.symbols import ParsedFile

TABLES = """
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

SYMBOL_ID_BITS = 20
"""A symbol's id is `file_id << SYMBOL_ID_BITS | position in file`, so workers can build rows."""


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


_INSERT_SYMBOL = f"INSERT INTO symbols VALUES({','.join('?' * 15)})"
_INSERT_REFS = "INSERT INTO file_refs SELECT ?, key, value FROM json_each(?)"
_INSERT_TERMS = "INSERT INTO terms SELECT key, ?, value FROM json_each(?)"


def insert_file(db: sqlite3.Connection, u: FileUpdate, file_id: int | None = None) -> None:
    """Insert a file the database does not hold yet, under `file_id` (None: the next free id)."""
    rows = u.rows
    cur = db.execute(
        "INSERT INTO files(id, path, mtime_ns, size, hash, language) VALUES(?,?,?,?,?,?)",
        (file_id, u.path, u.mtime_ns, u.size, u.hash, rows and rows.language),
    )
    if rows is None:
        return
    file_id = int(cur.lastrowid or 0)
    # Hundreds of small rows per file: passed as one JSON object each, SQLite unpacks them
    # in C, a third cheaper than binding every row from Python.
    db.execute(_INSERT_REFS, (file_id, json.dumps(dict(rows.ref_counts))))
    db.execute(_INSERT_TERMS, (file_id, json.dumps(dict(rows.terms))))
    db.executemany(_INSERT_SYMBOL, symbol_rows(file_id, rows.symbols))


def symbol_rows(file_id: int, symbols: Iterable[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """A file's symbol rows with their ids and the file id filled in."""
    base = file_id << SYMBOL_ID_BITS
    return [(base | int(str(r[0])), file_id, *r[1:]) for r in symbols]
