"""The real trae language server plus one test-only command: the settings in effect.

Every other stand-in is gone: review, delivery, conflict and edit tests drive the
real agent with a scripted model (`scripted:<file>`), which makes exactly the
needed proposals (edits of open and closed files, created and deleted files) and
can be held on the shell confirmation dialog while the user types.
`trae.test.settings` stays because no agent run can show the parsed settings as
a whole (defaults for bad keys, layer precedence, camelCase names); it only reads
`ls.settings`, so it cannot mask a bug in what it tests.
Run as a script: `python tests/e2e/review_server.py`.
"""

from __future__ import annotations

from typing import Any

from trae_lsp.server.server import TraeServer, create_server

SETTINGS = "trae.test.settings"
"""Test-only command: the server's settings in effect, camelCase."""


def settings(ls: TraeServer) -> dict[str, Any]:
    """The settings the server parsed at initialize."""
    return ls.settings.model_dump(by_alias=True)


def main() -> None:
    """Start the server with the test-only command on stdio."""
    server = create_server()
    server.command(SETTINGS)(settings)
    server.start_io()


if __name__ == "__main__":
    main()
