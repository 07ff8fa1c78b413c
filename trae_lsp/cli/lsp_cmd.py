"""`trae lsp`: start the language server on stdio, TCP or WebSocket."""

from __future__ import annotations

import logging
import sys

import typer

from trae_lsp.server.server import create_server
from trae_lsp.server.stdio import serve_stdio


def lsp(
    tcp: bool = typer.Option(False, "--tcp", help="Listen on TCP instead of stdio."),
    ws: bool = typer.Option(False, "--ws", help="Listen on a WebSocket instead of stdio."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on with --tcp/--ws."),
    port: int = typer.Option(2087, help="Port to listen on with --tcp/--ws."),
    log_level: str = typer.Option("WARNING", help="Logging level; logs go to stderr."),
) -> None:
    """Run the trae language server (stdio by default, the form editors launch)."""
    # stdout belongs to JSON-RPC: every log line goes to stderr.
    logging.basicConfig(stream=sys.stderr, level=log_level.upper())
    server = create_server()
    if tcp:
        server.start_tcp(host, port)
    elif ws:
        server.start_ws(host, port)
    else:
        serve_stdio(server)
