"""The pure parts of delivering changes: conflict messages and client capability checks."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from trae_lsp.server.delivery import describe_conflicts
from trae_lsp.server.edit_support import edit_support
from trae_lsp.server.edits import ProposedChange
from trae_lsp.server.rebase import ConflictHunk, FileConflict


def test_conflict_message_names_files_and_lines() -> None:
    conflicts = [
        FileConflict(
            ProposedChange(Path("/p/m.py"), "a\n", "b\n", version=1),
            [ConflictHunk(3, 5, "", "", ""), ConflictHunk(9, 9, "", "x\n", "y\n")],
        )
    ]
    message = describe_conflicts(conflicts)
    assert "m.py (lines 4-5, 10-10)" in message
    assert "Your text is unchanged and the proposal is kept" in message
    assert "trae.retryProposal" in message and "trae.showProposal" in message


def test_change_annotation_support_is_read_from_the_capabilities() -> None:
    assert not edit_support(types.ClientCapabilities()).annotations
    with_support = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(
                document_changes=True,
                change_annotation_support=types.ChangeAnnotationsSupportOptions(
                    groups_on_label=True
                ),
            )
        )
    )
    assert edit_support(with_support).annotations
