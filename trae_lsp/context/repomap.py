"""The repo map: ranked symbols as signatures under their file paths, within a token budget."""

from __future__ import annotations

import time
from collections.abc import Iterable

from trae_lsp.config import ContextConfig
from trae_lsp.context.edges import FileGraph
from trae_lsp.context.index import ContextIndex
from trae_lsp.context.rank import Focus, Ranking, rank
from trae_lsp.context.result import Context, ContextSymbol
from trae_lsp.context.symbols import Symbol
from trae_lsp.context.tokens import char_budget, count_tokens

MAP_TITLE = "# Repository map (signatures)"
"""Heading of the signatures section."""

MAP_BREADTH_SHARE = 0.3
"""Share of the map spent first on one signature per ranked file, so the map shows the breadth
of the project before the depth of its best files."""

MAX_MAP_MISSES = 50
"""Stop trying to fit signatures after this many in a row did not fit."""


class TextBudget:
    """Accumulates text blocks and refuses any that would exceed the character budget."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.blocks: list[str] = []
        self.used = 0

    def cost(self, block: str) -> int:
        """Characters `block` adds, counting the newline that joins it to the previous one."""
        return len(block) + (1 if self.blocks else 0)

    def add(self, block: str) -> None:
        """Append a block that fits."""
        self.used += self.cost(block)
        self.blocks.append(block)

    def text(self) -> str:
        """Everything added, joined by newlines."""
        return "\n".join(self.blocks)


def file_header(path: str) -> str:
    """The line that introduces a file's content."""
    return f"## {path}"


def signature_line(sym: Symbol) -> str:
    """A symbol's one-line entry in the map: line number, indentation by depth, signature."""
    return f"{sym.line:>5}│ {'  ' * len(sym.scope)}{sym.signature}"


def render_map(
    ranked: Iterable[tuple[Symbol, float]], out: TextBudget, *, shown: set[Symbol]
) -> list[Symbol]:
    """Add signatures of the best symbols not yet `shown`, grouped by file; return those added."""
    chosen: dict[str, list[Symbol]] = {}
    used = out.cost(MAP_TITLE)
    misses = 0
    candidates = [sym for sym, _ in ranked if sym not in shown]
    for sym in _breadth_first(candidates, out.max_chars - out.used - used):
        cost = len(signature_line(sym)) + 1
        if sym.file not in chosen:
            cost += len(file_header(sym.file)) + 1
        if out.used + used + cost > out.max_chars:
            misses += 1
            if misses >= MAX_MAP_MISSES:
                break
            continue
        misses = 0
        used += cost
        chosen.setdefault(sym.file, []).append(sym)
    if not chosen:
        return []
    out.add(MAP_TITLE)
    added: list[Symbol] = []
    for path, syms in chosen.items():
        out.add(file_header(path))
        for sym in sorted(syms, key=lambda s: (s.line, s.column)):
            out.add(signature_line(sym))
            added.append(sym)
    return added


def _breadth_first(ranked: list[Symbol], room: int) -> list[Symbol]:
    """The best symbol of each file first (within `MAP_BREADTH_SHARE` of `room`), then the rest."""
    firsts: list[Symbol] = []
    files: set[str] = set()
    spent = 0
    for sym in ranked:
        if sym.file in files:
            continue
        files.add(sym.file)
        cost = len(signature_line(sym)) + len(file_header(sym.file)) + 2
        if spent + cost > room * MAP_BREADTH_SHARE:
            break
        firsts.append(sym)
        spent += cost
    first_set = set(firsts)
    return firsts + [sym for sym in ranked if sym not in first_set]


def repo_map(
    index: ContextIndex,
    task: str,
    *,
    budget: int,
    focus: Focus | None = None,
    config: ContextConfig | None = None,
    graph: FileGraph | None = None,
) -> Context:
    """Signatures of the symbols most relevant to `task`, by file, within `budget` tokens."""
    start = time.perf_counter()
    ranking = rank(index, task, config or ContextConfig(), focus, graph)
    out = TextBudget(char_budget(budget))
    listed = render_map(ranking.symbols, out, shown=set())
    return package(ranking, out, full=[], listed=listed, budget=budget, start=start)


def package(
    ranking: Ranking,
    out: TextBudget,
    *,
    full: list[Symbol],
    listed: list[Symbol],
    budget: int,
    start: float,
) -> Context:
    """The `Context` of what was rendered: symbols and files best-first, only those in the text."""
    text = out.text()
    visible = set(full) | set(listed)
    full_set = set(full)
    symbols = [
        ContextSymbol(s.file, s.qualname, s.kind, s.line, s in full_set)
        for s, _ in ranking.symbols
        if s in visible
    ]
    in_text = {s.file for s in symbols}
    files = [path for path, _ in ranking.files if path in in_text]
    files += sorted(in_text - set(files))
    elapsed = (time.perf_counter() - start) * 1000
    return Context(files, symbols, text, count_tokens(text), budget, {"elapsed_ms": elapsed})
