"""The real trae language server plus test-only commands standing in for the agent.

Agent runs are tested through the real agent with a scripted model (`test_actions`,
`test_runs`, `test_agent_modes`); these stand-ins remain for the review and delivery
tests that need exact proposals (deleted and closed files, hunk bookkeeping).
`trae.test.propose` puts a proposal (`{"uri", "text"}`) for an open document under
review through the same store and publishing path the agent will use; `trae.test.deliver` hands a
ChangeSet-like list of file changes to `deliver_changes` exactly as an agent run
will; `trae.test.settings` returns the settings in effect.
Run as a script: `python tests/e2e/review_server.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from trae_lsp.server.delivery import deliver_changes
from trae_lsp.server.edits import ProposedChange
from trae_lsp.server.server import TraeServer, create_server

PROPOSE = "trae.test.propose"
"""Test-only command: put `text` under review as the proposal for `uri`."""

DELIVER = "trae.test.deliver"
"""Test-only command: deliver file changes as an agent run would."""

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


@attrs.define
class FileChangeArgs:
    """One file change of `trae.test.deliver`."""

    path: str
    original: str = ""
    new: str = ""
    created: bool = False
    deleted: bool = False
    version: int | None = None


@attrs.define
class DeliverArgs:
    """Argument of `trae.test.deliver`."""

    changes: list[FileChangeArgs]
    label: str = "Trae: test task"


async def deliver(ls: TraeServer, args: DeliverArgs) -> dict[str, Any]:
    """Deliver the changes in the configured edit mode; report what became of them."""
    changes = [
        ProposedChange(Path(c.path), c.original, c.new, c.created, c.deleted, c.version)
        for c in args.changes
    ]
    result = await deliver_changes(ls, changes, label=args.label)
    return {
        "applied": result.applied,
        "reviewed": result.reviewed,
        "conflicts": [conflict.change.path.name for conflict in result.conflicts],
    }


def settings(ls: TraeServer) -> dict[str, Any]:
    """The settings the server parsed at initialize."""
    return ls.settings.model_dump(by_alias=True)


def main() -> None:
    """Start the server with the test-only commands on stdio."""
    server = create_server()
    server.command(PROPOSE)(propose)
    server.command(DELIVER)(deliver)
    server.command(SETTINGS)(settings)
    server.start_io()


if __name__ == "__main__":
    main()
