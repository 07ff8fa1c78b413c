"""The language server: thin handlers that translate LSP types and call plain functions."""

from __future__ import annotations

from pygls.lsp.server import LanguageServer

from trae_lsp import __version__

SERVER_NAME = "trae-lsp"
"""Name reported to the client in `initialize`."""


class TraeServer(LanguageServer):
    """The trae language server; per-session state lives on typed attributes here."""


def create_server() -> TraeServer:
    """A fresh server with every feature registered."""
    return TraeServer(SERVER_NAME, __version__)
