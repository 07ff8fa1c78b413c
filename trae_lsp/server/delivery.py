"""Deliver the agent's file changes to the editor in the configured edit mode.

`apply` sends one versioned `WorkspaceEdit`; `confirm` annotates it with
`needsConfirmation` (falling back to `review` for clients without change
annotation support, which would otherwise apply it silently); `review` turns
changes to open documents into pending hunks and sends the rest (new, deleted
or closed files) as an annotated edit. Changes read from a buffer the user has
edited since are rebased first; conflicting files are reported, never applied,
and kept (see `proposals`) with the new or deleted files a client cannot take.
`retry_proposal` delivers a kept proposal again against the current text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lsprotocol import types
from pygls import uris

from trae_lsp.server.edit_support import edit_support
from trae_lsp.server.edits import ProposedChange, lsp_workspace_edit
from trae_lsp.server.proposals import (
    CONFLICT,
    RETRY_PROPOSAL,
    SHOW_PROPOSAL,
    UNSUPPORTED,
    KeptProposal,
    describe_unsupported,
    write_proposal,
)
from trae_lsp.server.rebase import (
    FileConflict,
    OpenDocument,
    Rebased,
    merge_preferring_agent,
    rebase,
    rebase_changes,
)

if TYPE_CHECKING:
    from trae_lsp.server.server import TraeServer


class Delivery(NamedTuple):
    """What became of a set of changes: applied by the editor, under review, in conflict."""

    applied: bool
    reviewed: list[str]
    conflicts: list[FileConflict]
    kept: tuple[str, ...] = ()
    """URIs of the files whose proposal is kept (conflicts, files the client cannot take)."""

    def as_json(self) -> dict[str, object]:
        """What a command that delivers changes answers."""
        return {
            "applied": self.applied,
            "reviewed": self.reviewed,
            "conflicts": [c.change.path.name for c in self.conflicts],
            "kept": list(self.kept),
        }


def uri_of(path: Path) -> str:
    """The `file:` URI the editor uses for `path`."""
    return uris.from_fs_path(str(path)) or path.as_uri()


def describe_conflicts(conflicts: list[FileConflict]) -> str:
    """One message naming each conflicting file and its lines, saying what happened."""
    parts = [
        f"{c.change.path.name} (lines "
        + ", ".join(f"{h.base_start + 1}-{max(h.base_end, h.base_start + 1)}" for h in c.hunks)
        + ")"
        for c in conflicts
    ]
    return (
        "Trae: not applied because you edited the same lines meanwhile: "
        + "; ".join(parts)
        + ". Your text is unchanged and the proposal is kept: run `Trae: retry kept proposal` "
        f"({RETRY_PROPOSAL}) to merge it into your current text (what still overlaps goes "
        f"under review), or `Trae: show kept proposal` ({SHOW_PROPOSAL}) to open it."
    )


async def deliver_changes(
    ls: TraeServer, changes: Sequence[ProposedChange], *, label: str
) -> Delivery:
    """Send `changes` to the editor as `ls.settings.edits.mode` says."""
    ready, conflicts = rebase_changes(changes, lambda path: _open_document(ls, path))
    ready, kept = _keep_undeliverable(ls, ready, conflicts, label)
    mode = ls.settings.edits.mode
    annotations = edit_support(ls.client_capabilities).annotations
    if mode == "apply" or (mode == "confirm" and annotations):
        applied = await _apply(ls, ready, label if mode == "confirm" else None)
        return Delivery(applied, [], conflicts, kept)
    reviewed = [c for c in ready if _open_document(ls, c.path) and not (c.created or c.deleted)]
    for change in reviewed:
        uri = uri_of(change.path)
        ls.reviews.propose(uri, change.version, change.original, change.new)
        ls.publish_review(uri)
    rest = [c for c in ready if c not in reviewed]
    applied = await _apply(ls, rest, label if annotations else None)
    return Delivery(applied, [uri_of(c.path) for c in reviewed], conflicts, kept)


def _keep_undeliverable(
    ls: TraeServer, ready: list[ProposedChange], conflicts: list[FileConflict], label: str
) -> tuple[list[ProposedChange], tuple[str, ...]]:
    """Keep conflicting changes and those the client cannot take; tell the user; the rest."""
    support = edit_support(ls.client_capabilities)
    unsupported = [
        c for c in ready if (c.created and not support.create) or (c.deleted and not support.delete)
    ]
    for change in ready:
        ls.proposals.take(uri_of(change.path))  # a fresh proposal supersedes a kept one
    for change, reason in [(c.change, CONFLICT) for c in conflicts] + [
        (c, UNSUPPORTED) for c in unsupported
    ]:
        ls.proposals.keep(uri_of(change.path), KeptProposal(change, reason, label))
    if conflicts:
        ls.show_warning(describe_conflicts(conflicts))
    if unsupported:
        ls.show_warning(describe_unsupported(unsupported))
    kept = tuple(uri_of(c.change.path) for c in conflicts) + tuple(
        uri_of(c.path) for c in unsupported
    )
    return [c for c in ready if c not in unsupported], kept


async def retry_proposal(ls: TraeServer, uri: str) -> Delivery:
    """Deliver a kept proposal onto the current text; what still overlaps goes under review."""
    kept = ls.proposals.take(uri)
    if kept is None:
        ls.show_warning(f"Trae: no kept proposal for {Path(uri).name}; run the task again.")
        return Delivery(False, [], [])
    change = kept.change
    if change.created or change.deleted:
        return await deliver_changes(ls, [change], label=kept.label)
    current = ls.document(uri)
    result = rebase(change.original, change.new, current.source)
    if isinstance(result, Rebased):
        rebased = replace(change, original=current.source, new=result.text, version=current.version)
        return await deliver_changes(ls, [rebased], label=kept.label)
    if uri not in ls.workspace.text_documents:
        ls.proposals.keep(uri, kept)
        ls.show_warning(
            f"Trae: the proposal for {change.path.name} overlaps the file's current text; "
            "open the file and retry to review it hunk by hunk."
        )
        return Delivery(False, [], [], (uri,))
    merged = merge_preferring_agent(change.original, change.new, current.source)
    ls.reviews.propose(uri, current.version, current.source, merged)
    ls.publish_review(uri)
    ls.show_info(
        f"Trae: the proposal for {change.path.name} still overlaps your edits; it is now under "
        "review against your current text: accept or reject each hunk."
    )
    return Delivery(False, [uri], [])


async def show_proposal(ls: TraeServer, uri: str, root: Path) -> bool:
    """Open a kept proposal's text from `.trae/proposals/` in the editor."""
    kept = ls.proposals.get(uri)
    if kept is None or kept.change.deleted:
        what = "a deletion" if kept else "no kept proposal"
        ls.show_warning(f"Trae: {what} for {Path(uri).name}: there is no proposed text to show.")
        return False
    path = await asyncio.to_thread(write_proposal, root, kept.change)
    params = types.ShowDocumentParams(uri=uri_of(path), take_focus=True)
    return (await ls.window_show_document_async(params)).success


async def _apply(ls: TraeServer, changes: list[ProposedChange], confirm_label: str | None) -> bool:
    """Send the changes as one edit; False if there was nothing to send or it was refused."""
    edit = lsp_workspace_edit(changes, encoding=ls.encoding, confirm_label=confirm_label)
    if not edit.document_changes:
        return False
    return await ls.apply_edit(edit, confirm_label or "Trae")


def _open_document(ls: TraeServer, path: Path) -> OpenDocument | None:
    """The editor's buffer for `path`, if it is open."""
    document = ls.workspace.text_documents.get(uri_of(path))
    return OpenDocument(document.version, document.source) if document else None
