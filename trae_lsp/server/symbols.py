"""Tree-sitter symbols of the open documents, for symbol-aware titles and `documentSymbol`.

Parsing runs in the symbol worker process (`symbol_parser`) and is cached per
document version, so code actions stay instant after the first request on a
version. Symbols use the context engine's convention (1-based lines,
code-point columns); this module converts to and from LSP positions in the
negotiated encoding.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lsprotocol import types

from trae_lsp.server.positions import LineIndex
from trae_lsp.server.symbol_parser import SymbolParser, SymbolParserError

if TYPE_CHECKING:  # the context package loads tree-sitter: imported when first used
    from trae_lsp.context.symbols import Position, Symbol

SYMBOL_KINDS: dict[str, types.SymbolKind] = {
    "function": types.SymbolKind.Function,
    "method": types.SymbolKind.Method,
    "class": types.SymbolKind.Class,
    "interface": types.SymbolKind.Interface,
    "module": types.SymbolKind.Module,
    "constant": types.SymbolKind.Constant,
    "type": types.SymbolKind.TypeParameter,
}
"""Context engine symbol kind → LSP symbol kind."""


PARSE_DELAY = 0.5
"""Seconds a document must be left alone after a change before it is parsed again."""

logger = logging.getLogger(__name__)


class Parsed(NamedTuple):
    """One document version's symbols."""

    version: int | None
    symbols: list[Symbol]


class SymbolCache:
    """Parsed symbols of open documents, keyed by URI and version.

    A new version is parsed in the background while requests keep getting the
    previous version's symbols (titles may lag one keystroke, never the loop).
    """

    def __init__(self, parser: SymbolParser | None = None) -> None:
        self.parser = parser or SymbolParser()
        """The symbol worker's end: `close` it at shutdown, `kill` it at exit."""
        self._parsed: dict[str, Parsed] = {}
        self._parsing: dict[str, tuple[int | None, asyncio.Task[list[Symbol]]]] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._indexes: dict[str, tuple[str, str, LineIndex]] = {}

    async def symbols(self, uri: str, path: Path, text: str, version: int | None) -> list[Symbol]:
        """Symbols of this version, or of the last parsed one while this one is parsed."""
        cached = self._parsed.get(uri)
        if cached is not None and cached.version == version and version is not None:
            return cached.symbols
        if cached is not None:
            self.parse_later(uri, path, text, version)
            return cached.symbols
        return await asyncio.shield(self.parse(uri, path, text, version))

    def parse(
        self, uri: str, path: Path, text: str, version: int | None
    ) -> asyncio.Task[list[Symbol]]:
        """Start parsing a version (once per version); the task gives its symbols."""
        running = self._parsing.get(uri)
        if running is not None and running[0] == version and version is not None:
            return running[1]
        task = asyncio.ensure_future(self._parse(path.name, text))
        self._parsing[uri] = (version, task)

        def store(done: asyncio.Task[list[Symbol]]) -> None:
            if self._parsing.get(uri, (None, None))[1] is done:
                del self._parsing[uri]
            if not done.cancelled() and done.exception() is None:
                self._parsed[uri] = Parsed(version, done.result())

        task.add_done_callback(store)
        return task

    async def _parse(self, name: str, text: str) -> list[Symbol]:
        """The worker's symbols, or none (titles stay generic) if it failed: it says why."""
        try:
            return await self.parser.parse(name, text)
        except SymbolParserError as e:
            logger.warning("Trae: no symbols for %s: %s", name, e)
            return []

    def parse_later(self, uri: str, path: Path, text: str, version: int | None) -> None:
        """Parse this version once the document has been quiet for `PARSE_DELAY` seconds."""
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self._timers[uri] = asyncio.get_running_loop().call_later(
            PARSE_DELAY,
            lambda: self._timers.pop(uri, None) and self.parse(uri, path, text, version),
        )

    def line_index(self, uri: str, text: str, encoding: str) -> LineIndex:
        """The line index of a document's text, built once per text rather than per request.

        Indexing a 10k-line buffer costs ~5 ms, which was most of a code action's time.
        """
        cached = self._indexes.get(uri)
        if cached is not None and cached[0] is text and cached[1] == encoding:
            return cached[2]
        index = LineIndex(text, encoding)
        self._indexes[uri] = (text, encoding, index)
        return index

    def discard(self, uri: str) -> None:
        """Forget a closed document."""
        self._parsed.pop(uri, None)
        self._indexes.pop(uri, None)
        running = self._parsing.pop(uri, None)
        if running is not None:
            running[1].cancel()
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()


def engine_position(index: LineIndex, position: types.Position) -> Position:
    """An LSP position as the context engine counts (1-based line, code-point column)."""
    line = min(max(position.line, 0), index.position(len(index.text)).line)
    from trae_lsp.context.symbols import Position

    start = index.offset(types.Position(line=line, character=0))
    return Position(line + 1, index.offset(position) - start)


def lsp_position(index: LineIndex, line: int, column: int) -> types.Position:
    """The LSP position of an engine position (1-based line, code-point column)."""
    start = index.offset(types.Position(line=max(line - 1, 0), character=0))
    return index.position(start + column)


def symbol_range(index: LineIndex, symbol: Symbol) -> types.Range:
    """The whole definition as an LSP range."""
    return types.Range(
        start=lsp_position(index, symbol.line, symbol.column),
        end=lsp_position(index, symbol.end_line, symbol.end_column),
    )


def symbol_under(symbols: list[Symbol], index: LineIndex, at: types.Position) -> Symbol | None:
    """The innermost definition containing an LSP position."""
    from trae_lsp.context.symbols import symbol_at

    return symbol_at(symbols, engine_position(index, at))


def document_symbols(symbols: list[Symbol], index: LineIndex) -> list[types.DocumentSymbol]:
    """The outline as nested `DocumentSymbol`s (methods inside their classes)."""
    from trae_lsp.context.symbols import Position, outline

    roots: list[types.DocumentSymbol] = []
    stack: list[tuple[Symbol, list[types.DocumentSymbol]]] = []
    for symbol in outline(symbols):
        children: list[types.DocumentSymbol] = []
        node = types.DocumentSymbol(
            name=symbol.name,
            detail=symbol.signature,
            kind=SYMBOL_KINDS.get(symbol.kind, types.SymbolKind.Variable),
            range=symbol_range(index, symbol),
            selection_range=types.Range(
                start=lsp_position(index, symbol.name_line, symbol.name_column),
                end=lsp_position(index, symbol.name_line, symbol.name_column + len(symbol.name)),
            ),
            children=children,
        )
        while stack and not stack[-1][0].contains(Position(symbol.line, symbol.column)):
            stack.pop()
        (stack[-1][1] if stack else roots).append(node)
        stack.append((symbol, children))
    return roots
