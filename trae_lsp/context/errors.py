"""Typed errors of the context engine."""

from __future__ import annotations

from trae_lsp.errors import TraeError


class ContextError(TraeError):
    """A context request that cannot be served; the message says what to change."""
