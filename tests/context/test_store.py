"""The index database: cold builds, crash recovery and parallel builds equal to serial ones."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from trae_lsp.context.index import INDEX_DIR, INDEX_FILE, PARALLEL_MIN_FILES, ContextIndex
from trae_lsp.context.ingest import ingest_bytes
from trae_lsp.context.store import Store


def _snapshot(ix: ContextIndex) -> tuple[object, ...]:
    store = ix.store
    paths = store.paths()
    return (
        paths,
        sorted(store.all_symbols()),
        [store.ref_counts(p) for p in paths],
        store.postings(["slugify", "generate", "config"]),
        store.doc_stats(),
    )


def test_a_half_built_database_is_rebuilt_on_open(project: Path, index: ContextIndex) -> None:
    index.close()
    db_path = project / INDEX_DIR / INDEX_FILE
    db = sqlite3.connect(db_path)
    db.execute("REPLACE INTO meta VALUES('building', '1')")  # as a crash mid-build leaves it
    db.commit()
    db.close()
    again = ContextIndex(project, workers=1)
    try:
        assert again.store.paths() == []
        stats = again.refresh()
        assert stats.parsed == stats.files
        assert again.definitions("slugify")
    finally:
        again.close()


def test_a_damaged_database_file_is_replaced(tmp_path: Path) -> None:
    db_path = tmp_path / "context.sqlite3"
    db_path.write_bytes(b"this is not a database" * 100)
    store = Store(db_path)
    try:
        assert store.paths() == []
    finally:
        store.close()


def test_a_failed_cold_build_leaves_an_empty_index(project: Path) -> None:
    ix = ContextIndex(project, workers=1)
    try:
        update = ingest_bytes("pkg/a.py", b"def a():\n    return 1\n", 1, 24)
        with pytest.raises(RuntimeError), ix.store.bulk_load():
            ix.store.insert_new([(1, update)])
            raise RuntimeError("interrupted")
        assert ix.store.paths() == []
        stats = ix.refresh()
        assert stats.parsed == stats.files
        assert ix.definitions("slugify")
    finally:
        ix.close()


def test_parallel_cold_build_equals_serial(project: Path) -> None:
    for i in range(PARALLEL_MIN_FILES + 10):
        (project / "pkg" / f"gen_{i}.py").write_text(
            f"def generated_{i}(config):\n    '''Generate {i}.'''\n    return slugify(config)\n"
        )
    snapshots = []
    for workers in (1, 2):
        ix = ContextIndex(project, workers=workers)
        try:
            stats = ix.refresh()
            assert stats.parsed == stats.files
            snapshots.append(_snapshot(ix))
        finally:
            ix.close()
        for leftover in (project / INDEX_DIR).glob(f"{INDEX_FILE}*"):
            leftover.unlink()
    assert snapshots[0] == snapshots[1]
    assert not list((project / INDEX_DIR).glob("*.build-*"))  # worker files are gone


def test_rows_keep_unicode_names_and_their_order(tmp_path: Path) -> None:
    store = Store(tmp_path / "context.sqlite3")
    try:
        text = "Call naïve_thing() then café_au_lait, then naïve_thing() again.\n"
        update = ingest_bytes("notes.txt", text.encode("utf-8"), 1, len(text))
        assert update.rows is not None
        store.insert_new([(7, update)])
        assert list(store.ref_counts("notes.txt").items()) == update.rows.ref_counts
        assert store.ref_counts("notes.txt")["naïve_thing"] == 2
    finally:
        store.close()


def test_a_cold_build_is_skipped_when_another_process_built_first(project: Path) -> None:
    first, second = ContextIndex(project, workers=1), ContextIndex(project, workers=1)
    try:
        assert second.store.records() == {}  # both saw an empty index
        first.refresh()
        with second.store.bulk_load() as empty:
            assert not empty  # the build lock showed the work already done
        assert second.refresh().parsed == 0
        assert second.definitions("slugify")
    finally:
        first.close()
        second.close()
