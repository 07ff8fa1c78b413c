"""Context engine: which code matters for a task or a cursor.

`ContextEngine(root).assemble(task, focus=None, budget=N)` is the entry point; the index
(`ContextIndex`) also serves `definitions`, `find_usages`, `outline` and `symbol_at`.

Names are imported on first use: parsing workers import only the modules they run, not
the ranking and settings behind `ContextEngine` (a third of a second per worker).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trae_lsp.context.engine import ContextEngine
    from trae_lsp.context.errors import ContextError
    from trae_lsp.context.index import ContextIndex, RefreshStats, Usage
    from trae_lsp.context.rank import Focus
    from trae_lsp.context.result import Context, ContextSymbol
    from trae_lsp.context.symbols import Position, Reference, Symbol

_HOMES = {
    "Context": "result",
    "ContextEngine": "engine",
    "ContextError": "errors",
    "ContextIndex": "index",
    "ContextSymbol": "result",
    "Focus": "rank",
    "Position": "symbols",
    "Reference": "symbols",
    "RefreshStats": "index",
    "Symbol": "symbols",
    "Usage": "index",
}
"""Public name → the module of this package that defines it."""

__all__ = [
    "Context",
    "ContextEngine",
    "ContextError",
    "ContextIndex",
    "ContextSymbol",
    "Focus",
    "Position",
    "Reference",
    "RefreshStats",
    "Symbol",
    "Usage",
]


def __getattr__(name: str) -> object:
    """Import a public name from its module when it is first asked for."""
    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
