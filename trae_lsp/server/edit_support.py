"""What kinds of `WorkspaceEdit` a client accepts, and edits reshaped to fit it.

The server builds every edit with `documentChanges` (versioned, with resource
operations). A client that does not take those gets the `changes` map instead:
text edits per URI, without versions, and no way to create or delete files.
"""

from __future__ import annotations

from typing import NamedTuple

from lsprotocol import types

from trae_lsp.errors import TraeError


class EditSupport(NamedTuple):
    """The parts of `WorkspaceEdit` a client declares it supports."""

    document_changes: bool
    """Versioned `documentChanges` (else only the `changes` map)."""
    create: bool
    """`CreateFile` operations."""
    delete: bool
    """`DeleteFile` operations."""
    annotations: bool
    """Change annotations (`needsConfirmation` really asks the user)."""


class UnsupportedEditError(TraeError):
    """The edit needs a file operation the client cannot perform."""


def edit_support(capabilities: types.ClientCapabilities) -> EditSupport:
    """Read the client's `workspace.workspaceEdit` capabilities.

    Resource operations exist only inside `documentChanges`, so a client that lists
    them takes `documentChanges` even without the flag (Neovim up to 0.11 does so).
    """
    workspace_edit = capabilities.workspace and capabilities.workspace.workspace_edit
    if not workspace_edit:
        return EditSupport(False, False, False, False)
    operations = set(workspace_edit.resource_operations or [])
    document_changes = bool(workspace_edit.document_changes or operations)
    return EditSupport(
        document_changes=document_changes,
        create=document_changes and types.ResourceOperationKind.Create in operations,
        delete=document_changes and types.ResourceOperationKind.Delete in operations,
        annotations=document_changes and bool(workspace_edit.change_annotation_support),
    )


def fit_edit(edit: types.WorkspaceEdit, support: EditSupport) -> types.WorkspaceEdit:
    """`edit` as the client takes it: unchanged, or as the `changes` map of plain text edits."""
    if support.document_changes or not edit.document_changes:
        return edit
    changes: dict[str, list[types.TextEdit]] = {}
    for change in edit.document_changes:
        if not isinstance(change, types.TextDocumentEdit):
            raise UnsupportedEditError(
                f"Trae: your editor cannot create, rename or delete files through the "
                f"language server ({change.kind} {change_uri(change)}); do it by hand."
            )
        edits = changes.setdefault(change.text_document.uri, [])
        edits.extend(_plain(edit) for edit in change.edits)
    return types.WorkspaceEdit(changes=changes)


def change_uri(change: types.CreateFile | types.RenameFile | types.DeleteFile) -> str:
    """The file a resource operation is about."""
    return change.new_uri if isinstance(change, types.RenameFile) else change.uri


def _plain(
    edit: types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit,
) -> types.TextEdit:
    """A plain `TextEdit` (the `changes` map has no annotations or snippets)."""
    text = edit.snippet.value if isinstance(edit, types.SnippetTextEdit) else edit.new_text
    return types.TextEdit(range=edit.range, new_text=text)
