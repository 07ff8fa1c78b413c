"""Proposals the editor could not take yet, kept so the user can still get them.

A change is kept when the user edited the same lines while the agent worked (a
conflict), or when the client cannot create or delete files through LSP. The
user is told once, naming the file and what to do; code actions and commands
then retry the proposal against the current text, open it from
`.trae/proposals/` (git-ignored), or discard it. One kept proposal per file:
a newer one replaces it, and delivering a fresh change for the file drops it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from lsprotocol import types

from trae_lsp.server.edits import ProposedChange

RETRY_PROPOSAL = "trae.retryProposal"
"""Command: rebase a kept proposal onto the current text and deliver it; `{"uri"}`."""

SHOW_PROPOSAL = "trae.showProposal"
"""Command: open a kept proposal's text (`window/showDocument`); `{"uri"}`."""

DISCARD_PROPOSAL = "trae.discardProposal"
"""Command: forget a kept proposal; `{"uri"}`."""

PROPOSALS_DIR = Path(".trae") / "proposals"
"""Where `trae.showProposal` writes proposed texts, relative to the project root."""

CONFLICT = "conflict"
"""Why a proposal was kept: the user edited the same lines meanwhile."""

UNSUPPORTED = "unsupported"
"""Why a proposal was kept: the client cannot create or delete files through LSP."""


class KeptProposal(NamedTuple):
    """A change the editor did not get, why, and the task that proposed it."""

    change: ProposedChange
    reason: str
    label: str


class ProposalStore:
    """Kept proposals per document URI; one per server."""

    def __init__(self) -> None:
        self._kept: dict[str, KeptProposal] = {}

    def keep(self, uri: str, proposal: KeptProposal) -> None:
        """Keep `proposal` for `uri`, replacing an older one."""
        self._kept[uri] = proposal

    def get(self, uri: str) -> KeptProposal | None:
        """The proposal kept for `uri`, if any."""
        return self._kept.get(uri)

    def take(self, uri: str) -> KeptProposal | None:
        """Remove and return the proposal kept for `uri`."""
        return self._kept.pop(uri, None)

    def items(self) -> list[tuple[str, KeptProposal]]:
        """Every kept proposal with its document URI, oldest first."""
        return list(self._kept.items())


def describe_unsupported(changes: list[ProposedChange]) -> str:
    """The message naming new and deleted files the client cannot take, and what to do."""
    parts = []
    created = [c.path.name for c in changes if c.created]
    deleted = [c.path.name for c in changes if c.deleted]
    if created:
        parts.append(
            f"Trae proposes the new file(s) {', '.join(created)}, but your editor cannot "
            "create files through the language server: run `Trae: show kept proposal` "
            f"({SHOW_PROPOSAL}) to open the proposed text, then save it in place yourself."
        )
    if deleted:
        parts.append(
            f"Trae proposes deleting {', '.join(deleted)}, but your editor cannot delete "
            "files through the language server: delete them yourself if you agree."
        )
    return " ".join(parts)


def proposal_path(root: Path, change: ProposedChange) -> Path:
    """Where the proposed text of `change` is written: `.trae/proposals/<its path>`."""
    try:
        relative = change.path.resolve().relative_to(root)
    except ValueError:
        relative = Path(change.path.name)
    return root / PROPOSALS_DIR / relative


def write_proposal(root: Path, change: ProposedChange) -> Path:
    """Write the proposed text under `.trae/proposals/` (git-ignored there); its path."""
    folder = root / PROPOSALS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Trae's kept proposals: never commit them.\n*\n")
    path = proposal_path(root, change)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(change.new, encoding="utf-8", newline="")
    return path


def lsp_code_actions(store: ProposalStore) -> list[types.CodeAction]:
    """Retry, show and discard actions for every kept proposal, each naming its file."""
    actions = []
    for uri, kept in store.items():
        offered = [("retry", RETRY_PROPOSAL)] if kept.reason == CONFLICT else []
        offered += [] if kept.change.deleted else [("show", SHOW_PROPOSAL)]
        offered.append(("discard", DISCARD_PROPOSAL))
        for verb, command in offered:
            title = f"Trae: {verb} kept proposal for {kept.change.path.name}"
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    command=types.Command(title=title, command=command, arguments=[{"uri": uri}]),
                )
            )
    return actions
