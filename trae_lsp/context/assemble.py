"""Token-budgeted context for a task: full bodies of the best symbols, then the repo map."""

from __future__ import annotations

import time

from trae_lsp.config import ContextConfig
from trae_lsp.context.edges import FileGraph
from trae_lsp.context.index import ContextIndex
from trae_lsp.context.lexical import query_terms, words
from trae_lsp.context.rank import Focus, Ranking, rank
from trae_lsp.context.repomap import TextBudget, file_header, package, render_map
from trae_lsp.context.result import Context
from trae_lsp.context.symbols import CLASS_LIKE_KINDS, Symbol
from trae_lsp.context.tokens import char_budget

CODE_TITLE = "# Relevant code"
"""Heading of the full-bodies section."""

MAX_BODY_FRACTION = 0.4
"""One body takes at most this share of the body budget; longer ones keep their head."""

MAX_BODY_MISSES = 30
"""Stop looking for bodies after this many ranked symbols in a row did not fit."""

MIN_BODY_LINES = 3
"""A body is shown only if at least this many of its lines fit."""

MIN_BODY_CHARS = 200
"""Body budget left below which no further body is attempted."""

ELIDED = "⋮"
"""Marks lines left out of a shown body."""


def assemble(
    index: ContextIndex,
    task: str,
    *,
    budget: int,
    focus: Focus | None = None,
    config: ContextConfig | None = None,
    graph: FileGraph | None = None,
) -> Context:
    """Context for `task`: bodies of the most relevant symbols first, signatures for the rest."""
    start = time.perf_counter()
    config = config or ContextConfig()
    ranking = rank(index, task, config, focus, graph)
    out = TextBudget(char_budget(budget))
    terms = frozenset(query_terms(task))
    full = _render_bodies(index, ranking, out, int(char_budget(budget) * config.body_share), terms)
    listed = render_map(ranking.symbols, out, shown=set(full))
    return package(ranking, out, full=full, listed=listed, budget=budget, start=start)


def _render_bodies(
    index: ContextIndex, ranking: Ranking, out: TextBudget, limit: int, terms: frozenset[str]
) -> list[Symbol]:
    shown: list[Symbol] = []
    if limit <= 0 or not ranking.symbols:
        return shown
    lines_of: dict[str, list[str]] = {}
    symbols_of: dict[str, list[Symbol]] = {}
    chunks: dict[str, list[str]] = {}
    used = len(CODE_TITLE) + 1
    misses = 0
    for sym, _ in ranking.symbols:
        if misses >= MAX_BODY_MISSES or limit - used < MIN_BODY_CHARS:
            break
        if sym.file not in lines_of:
            lines_of[sym.file] = index.read_text(sym.file).split("\n")
            symbols_of[sym.file] = index.store.symbols_in(sym.file)
        if sym.kind in CLASS_LIKE_KINDS and _children(sym, symbols_of[sym.file]):
            continue  # its methods get bodies of their own; the map lists the class
        header = 0 if sym.file in chunks else len(file_header(sym.file)) + 1
        room = limit - used - header
        if shown:  # the best symbol may fill the body budget; later ones get a share each
            room = min(room, int(limit * MAX_BODY_FRACTION))
        block = _body(sym, lines_of[sym.file], symbols_of[sym.file], room, terms)
        if block is None:
            misses += 1
            continue
        misses = 0
        used += header + len(block) + 1
        chunks.setdefault(sym.file, []).append(block)
        shown.append(sym)
    if chunks:
        out.add(CODE_TITLE)
        for path, blocks in chunks.items():
            out.add(file_header(path))
            for block in blocks:
                out.add(block)
    return shown


def _inside(inner: Symbol, outer: Symbol) -> bool:
    return (
        inner.file == outer.file and outer.line <= inner.line and inner.end_line <= outer.end_line
    )


def _children(sym: Symbol, in_file: list[Symbol]) -> list[Symbol]:
    return [s for s in in_file if s != sym and _inside(s, sym)]


def _body(
    sym: Symbol, lines: list[str], in_file: list[Symbol], room: int, terms: frozenset[str]
) -> str | None:
    """The symbol's own lines (nested definitions collapsed to their header), fitted to `room`."""
    if room <= 0:
        return None
    children = _children(sym, in_file)
    keep: list[str] = [f"### {sym.qualname} (lines {sym.start_line}-{sym.end_line})"]
    row = sym.start_line
    for child in sorted(children, key=lambda s: s.line):
        if child.start_line < row:
            continue  # nested in a child already collapsed
        keep.extend(lines[row - 1 : child.line - 1])
        keep.append(f"{lines[child.line - 1]} {ELIDED}")
        row = child.end_line + 1
    keep.extend(lines[row - 1 : sym.end_line])
    text = "\n".join(keep)
    return text if len(text) <= room else _excerpt(keep, sym.line - sym.start_line + 2, room, terms)


def _excerpt(keep: list[str], head_len: int, room: int, terms: frozenset[str]) -> str | None:
    """Title and definition line, then the window of the body that mentions the task most."""
    head, rest = keep[:head_len], keep[head_len:]
    avail = room - len("\n".join(head)) - 2 * (len(ELIDED) + 1)
    hits = [sum(w in terms for w in words(line)) for line in rest]
    best, lo, size, score = (-1, 0, 0), 0, 0, 0
    for hi, line in enumerate(rest):
        size += len(line) + 1
        score += hits[hi]
        while size > avail and lo <= hi:
            size -= len(rest[lo]) + 1
            score -= hits[lo]
            lo += 1
        if hi - lo + 1 >= MIN_BODY_LINES and score > best[0]:
            best = (score, lo, hi + 1)
    if best[0] < 0:
        return None
    _, start, end = best
    before = [ELIDED] if start > 0 else []
    after = [ELIDED] if end < len(rest) else []
    return "\n".join([*head, *before, *rest[start:end], *after])
