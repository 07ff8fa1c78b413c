"""What a file defines and references, and lookups over one file's symbols.

Positions follow editors' display conventions: lines are 1-based, columns are
0-based code points. The language server converts to LSP's 0-based lines and
UTF-16 columns at its boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

DEFINITION_KINDS = ("function", "method", "class", "interface", "module", "constant", "type")
"""Every kind a `Symbol` can have."""

CLASS_LIKE_KINDS = frozenset({"class", "interface", "type"})
"""Kinds whose nested functions are methods."""


class Position(NamedTuple):
    """A place in a file: 1-based line, 0-based column in code points."""

    line: int
    column: int


class Symbol(NamedTuple):
    """One definition: where it is, what it is called and how to show it briefly."""

    file: str
    """Project-relative POSIX path."""
    name: str
    qualname: str
    """Name prefixed by the enclosing definitions, dotted: `Class.method`."""
    kind: str
    """One of `DEFINITION_KINDS`."""
    line: int
    """First line of the definition node (the `def`/`class` line)."""
    column: int
    end_line: int
    """Last line of the definition (inclusive)."""
    end_column: int
    name_line: int
    name_column: int
    start_line: int
    """First line to show with the body: includes decorators and leading doc comments."""
    signature: str
    """The header of the definition on one line, e.g. `def get(self, key: str) -> int:`."""
    doc: str = ""
    """First paragraph of the docstring or leading comment, if any."""

    @property
    def scope(self) -> tuple[str, ...]:
        """Names of the enclosing definitions, outermost first."""
        return tuple(self.qualname.split(".")[:-1])

    def contains(self, pos: Position) -> bool:
        """Whether `pos` lies inside this definition, both ends included."""
        return (
            (self.line, self.column)
            <= (pos.line, pos.column)
            <= (
                self.end_line,
                self.end_column,
            )
        )


class Reference(NamedTuple):
    """One use of a name, with the definition it sits in (`""` at module level)."""

    name: str
    line: int
    column: int
    enclosing: str


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """Everything extracted from one file; `terms[i]` is the word bag of `symbols[i]`."""

    path: str
    language: str
    symbols: list[Symbol]
    references: list[Reference]
    """Empty unless the parse asked for references."""
    terms: list[dict[str, int]] = field(default_factory=list)
    names: dict[str, int] = field(default_factory=dict)
    """How often each identifier-shaped word occurs in the file."""


def symbol_at(symbols: Sequence[Symbol], pos: Position) -> Symbol | None:
    """The innermost symbol containing `pos`, or None at module level."""
    best: Symbol | None = None
    for sym in symbols:
        if sym.contains(pos) and (
            best is None or (sym.line, sym.column) >= (best.line, best.column)
        ):
            best = sym
    return best


def outline(symbols: Sequence[Symbol]) -> list[Symbol]:
    """The symbols in document order (outer before inner), as an outline view lists them."""
    return sorted(symbols, key=lambda s: (s.line, s.column, -s.end_line))
