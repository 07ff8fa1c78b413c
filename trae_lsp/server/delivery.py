"""Deliver the agent's file changes to the editor in the configured edit mode.

`apply` sends one versioned `WorkspaceEdit`; `confirm` annotates it with
`needsConfirmation` (falling back to `review` for clients without change
annotation support, which would otherwise apply it silently); `review` turns
changes to open documents into pending hunks and sends the rest (new, deleted
or closed files) as an annotated edit. Changes read from a buffer the user has
edited since are rebased first; conflicting files are reported, never applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lsprotocol import types
from pygls import uris

from trae_lsp.server.edits import ProposedChange, lsp_workspace_edit
from trae_lsp.server.rebase import FileConflict, OpenDocument, rebase_changes

if TYPE_CHECKING:
    from trae_lsp.server.server import TraeServer


class Delivery(NamedTuple):
    """What became of a set of changes: applied by the editor, under review, in conflict."""

    applied: bool
    reviewed: list[str]
    conflicts: list[FileConflict]


def uri_of(path: Path) -> str:
    """The `file:` URI the editor uses for `path`."""
    return uris.from_fs_path(str(path)) or path.as_uri()


def supports_change_annotations(capabilities: types.ClientCapabilities) -> bool:
    """Does the client honour change annotations (so `needsConfirmation` really asks)?"""
    workspace_edit = capabilities.workspace and capabilities.workspace.workspace_edit
    return bool(workspace_edit and workspace_edit.change_annotation_support)


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
        + ". Your text is unchanged; run the task again to get a fresh proposal."
    )


async def deliver_changes(
    ls: TraeServer, changes: Sequence[ProposedChange], *, label: str
) -> Delivery:
    """Send `changes` to the editor as `ls.settings.edits.mode` says."""
    ready, conflicts = rebase_changes(changes, lambda path: _open_document(ls, path))
    if conflicts:
        ls.show_warning(describe_conflicts(conflicts))
    mode = ls.settings.edits.mode
    annotations = supports_change_annotations(ls.client_capabilities)
    if mode == "apply" or (mode == "confirm" and annotations):
        applied = await _apply(ls, ready, label if mode == "confirm" else None)
        return Delivery(applied, [], conflicts)
    reviewed = [c for c in ready if _open_document(ls, c.path) and not (c.created or c.deleted)]
    for change in reviewed:
        uri = uri_of(change.path)
        ls.reviews.propose(uri, change.version, change.original, change.new)
        ls.publish_review(uri)
    rest = [c for c in ready if c not in reviewed]
    applied = await _apply(ls, rest, label if annotations else None)
    return Delivery(applied, [uri_of(c.path) for c in reviewed], conflicts)


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
