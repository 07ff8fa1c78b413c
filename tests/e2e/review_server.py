"""The real trae language server plus one test-only command that places review hunks.

The agent that normally proposes changes does not exist yet; `trae.test.propose`
puts a proposal (`{"uri", "text"}`) for an open document under review through the
same store and publishing path the agent will use. `trae.test.settings` returns
the settings in effect. Run as a script: `python tests/e2e/review_server.py`.
"""

from __future__ import annotations

from typing import Any

import attrs

from trae_lsp.server.server import TraeServer, create_server

PROPOSE = "trae.test.propose"
"""Test-only command: put `text` under review as the proposal for `uri`."""

SETTINGS = "trae.test.settings"
"""Test-only command: the server's settings in effect, camelCase."""


@attrs.define
class Proposal:
    """Argument of `trae.test.propose`."""

    uri: str
    text: str


def propose(ls: TraeServer, proposal: Proposal) -> None:
    """Review `proposal.text` against the open document's current text."""
    document = ls.workspace.get_text_document(proposal.uri)
    ls.reviews.propose(proposal.uri, document.version, document.source, proposal.text)
    ls.publish_review(proposal.uri)


def settings(ls: TraeServer) -> dict[str, Any]:
    """The settings the server parsed at initialize."""
    return ls.settings.model_dump(by_alias=True)


def main() -> None:
    """Start the server with the test-only commands on stdio."""
    server = create_server()
    server.command(PROPOSE)(propose)
    server.command(SETTINGS)(settings)
    server.start_io()


if __name__ == "__main__":
    main()
