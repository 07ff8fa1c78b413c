"""Rank a project's symbols and files for a task: BM25 over symbols, mentions, and PageRank."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trae_lsp.config import ContextConfig
from trae_lsp.context.edges import FileGraph
from trae_lsp.context.graph import personalized_pagerank
from trae_lsp.context.index import ContextIndex
from trae_lsp.context.lexical import bm25_idf, bm25_term, query_terms
from trae_lsp.context.symbols import Position, Symbol, symbol_at

MIN_MENTION_LENGTH = 3
"""Shorter identifiers in the task are not treated as mentions of a definition."""

MIN_STEM_MENTION_LENGTH = 5
"""A bare task word this long matches a file name stem (`sessions` → `sessions.py`)."""

LEXICAL_CANDIDATES = 300
"""Best BM25 symbols considered; the long tail of weak matches never makes it into a budget."""

GRAPH_FILES = 30
"""Best-ranked PageRank files whose symbols are candidates even without a lexical match."""

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PATHLIKE = re.compile(r"[\w./-]+")
_TEST_PATH = re.compile(
    r"(^|/)(tests?|testing)/|(^|/)test_[^/]*$|_tests?\.[^/]*$|\.(test|spec)\.[^/]*$"
)


@dataclass(frozen=True, slots=True)
class Focus:
    """Where the user is: a project-relative file and optionally a 1-based line."""

    path: str
    line: int | None = None


@dataclass(slots=True)
class Ranking:
    """Symbols and files best-first, with their scores."""

    symbols: list[tuple[Symbol, float]] = field(default_factory=list)
    files: list[tuple[str, float]] = field(default_factory=list)


def is_test_path(path: str) -> bool:
    """Whether a path looks like a test file or lives in a tests folder."""
    return bool(_TEST_PATH.search(path))


def rank(
    index: ContextIndex,
    task: str,
    config: ContextConfig,
    focus: Focus | None = None,
    graph: FileGraph | None = None,
) -> Ranking:
    """Score symbols and files of `index` for `task` (and the focus), best first.

    Pass a long-lived `graph` to reuse file edges across calls until the index changes.
    """
    lexical = _bm25(index, task)
    mentioned = _mentioned_names(index, task)
    cursor = _cursor_symbol(index, focus)
    if cursor is not None:
        mentioned.add(cursor.name)
    seeds = _seeds(index, task, config, lexical, mentioned, focus)
    file_rank = _normalise(
        personalized_pagerank(
            seeds,
            graph or FileGraph(index.store, config.max_definers),
            restart=config.pagerank_restart,
        )
    )
    candidates = _candidates(index, lexical, mentioned, file_rank)
    scored: list[tuple[Symbol, float]] = []
    best_lexical = max(lexical.values(), default=0.0) or 1.0
    for sid, sym in candidates.items():
        score = config.lexical_weight * lexical.get(sid, 0.0) / best_lexical
        score += config.graph_weight * file_rank.get(sym.file, 0.0)
        score += config.mention_weight * (sym.name in mentioned)
        if focus is not None and sym.file == focus.path:
            score += config.focus_weight * (2 if sym == cursor else 1)
        if is_test_path(sym.file):
            score *= config.test_file_factor
        scored.append((sym, score))
    scored.sort(key=lambda x: (-x[1], x[0].file, x[0].line))
    return Ranking(scored, _file_order(scored, file_rank, config))


def _file_order(
    scored: list[tuple[Symbol, float]], file_rank: dict[str, float], config: ContextConfig
) -> list[tuple[str, float]]:
    best: dict[str, float] = {}
    for sym, score in scored:
        best.setdefault(sym.file, score)
    for path, value in file_rank.items():
        factor = config.test_file_factor if is_test_path(path) else 1.0
        best[path] = max(best.get(path, 0.0), config.graph_weight * value * factor)
    return sorted(best.items(), key=lambda x: (-x[1], x[0]))


def _bm25(index: ContextIndex, task: str) -> dict[int, float]:
    """BM25 score of every symbol sharing a word with the task, by symbol id."""
    terms = query_terms(task)
    n_docs, avg_len = index.store.doc_stats()
    scores: dict[int, float] = {}
    for postings in index.store.postings(terms).values():
        if not postings:
            continue
        idf = bm25_idf(n_docs, len(postings))
        for sid, tf, length in postings:
            scores[sid] = scores.get(sid, 0.0) + bm25_term(tf, length, avg_len, idf)
    return scores


def _mentioned_names(index: ContextIndex, task: str) -> set[str]:
    words = {w for w in _IDENT.findall(task) if len(w) >= MIN_MENTION_LENGTH}
    words |= {w.rsplit(".", 1)[-1] for w in re.findall(r"\w+(?:\.\w+)+", task)}
    return index.store.defined_names(words)


def _cursor_symbol(index: ContextIndex, focus: Focus | None) -> Symbol | None:
    if focus is None or focus.line is None:
        return None
    lines = index.read_text(focus.path).split("\n")
    text = lines[focus.line - 1] if 0 < focus.line <= len(lines) else ""
    column = len(text) - len(text.lstrip())
    return symbol_at(index.store.symbols_in(focus.path), Position(focus.line, column))


def mentioned_paths(paths: list[str], task: str) -> set[str]:
    """Files the task names by path, file name, dotted module name or a long enough stem."""
    tokens = {t.strip(".,:;'\"`()[]") for t in _PATHLIKE.findall(task)}
    tokens |= {t.replace(".", "/") for t in tokens}
    words = {w.lower() for w in _IDENT.findall(task) if len(w) >= MIN_STEM_MENTION_LENGTH}
    found = set()
    dirs = [t for t in tokens if "/" in t]
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        stem, _, _ = name.partition(".")
        module = path[: len(path) - len(name)] + stem
        if (
            path in tokens
            or name in tokens
            or module in tokens
            or stem.lower() in words
            or any(module.endswith("/" + t) for t in dirs)
        ):
            found.add(path)
    return found


def _seeds(
    index: ContextIndex,
    task: str,
    config: ContextConfig,
    lexical: dict[int, float],
    mentioned: set[str],
    focus: Focus | None,
) -> dict[str, float]:
    seeds: dict[str, float] = {}

    def add(path: str, weight: float) -> None:
        """Accumulate seed weight on a file."""
        seeds[path] = seeds.get(path, 0.0) + weight

    for path in sorted(mentioned_paths(index.store.paths(), task)):
        add(path, config.path_seed_weight)
    for _, paths in sorted(index.store.definers(mentioned).items()):
        for path in sorted(paths):
            add(path, config.mention_weight / len(paths))
    top = sorted(lexical.items(), key=lambda x: -x[1])[: config.lexical_seed_count]
    best = top[0][1] if top else 1.0
    for sid, sym in index.store.symbols_by_id([sid for sid, _ in top]).items():
        add(sym.file, config.lexical_weight * lexical[sid] / best)
    if focus is not None:
        add(focus.path, config.focus_weight)
    return seeds


def _candidates(
    index: ContextIndex, lexical: dict[int, float], mentioned: set[str], file_rank: dict[str, float]
) -> dict[int, Symbol]:
    top = sorted(lexical, key=lambda sid: -lexical[sid])[:LEXICAL_CANDIDATES]
    found = index.store.symbols_by_id(top)
    for name in sorted(mentioned):
        found.update(index.store.symbols_named_with_ids(name))
    for path, _ in sorted(file_rank.items(), key=lambda x: (-x[1], x[0]))[:GRAPH_FILES]:
        found.update(index.store.symbols_in_with_ids(path))
    return found


def _normalise(values: dict[str, float]) -> dict[str, float]:
    top = max(values.values(), default=0.0)
    return {k: v / top for k, v in values.items()} if top > 0 else {}
