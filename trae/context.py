"""The context engine's public API: `from trae.context import ContextEngine`."""

from trae_lsp.context import (
    Context,
    ContextEngine,
    ContextError,
    ContextIndex,
    ContextSymbol,
    Focus,
    Position,
    Reference,
    RefreshStats,
    Symbol,
    Usage,
)

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
