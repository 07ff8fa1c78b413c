"""Context engine: which code matters for a task or a cursor.

`ContextEngine(root).assemble(task, focus=None, budget=N)` is the entry point; the index
(`ContextIndex`) also serves `definitions`, `find_usages`, `outline` and `symbol_at`.
"""

from trae_lsp.context.engine import ContextEngine
from trae_lsp.context.errors import ContextError
from trae_lsp.context.index import ContextIndex, RefreshStats, Usage
from trae_lsp.context.rank import Focus
from trae_lsp.context.result import Context, ContextSymbol
from trae_lsp.context.symbols import Position, Reference, Symbol

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
