"""Client edit capabilities, and edits reshaped for clients without `documentChanges`."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.e2e.editor import initialize_params
from trae_lsp.server.edit_support import (
    EditSupport,
    UnsupportedEditError,
    edit_support,
    fit_edit,
)

URI = "file:///p/m.py"
EDIT = types.TextEdit(
    range=types.Range(
        start=types.Position(line=1, character=0), end=types.Position(line=1, character=3)
    ),
    new_text="new",
)


def capabilities(**workspace_edit: object) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(**workspace_edit)
        )
    )


def test_recorded_clients_take_document_changes_and_file_operations() -> None:
    vscode = edit_support(initialize_params("vscode").capabilities)
    assert vscode == EditSupport(True, True, True, True)
    # Neovim lists resource operations (which exist only in documentChanges) without the flag.
    neovim = edit_support(initialize_params("neovim").capabilities)
    assert neovim == EditSupport(True, True, True, False)


def test_a_client_without_document_changes_gets_the_changes_map_only() -> None:
    assert edit_support(types.ClientCapabilities()) == EditSupport(False, False, False, False)
    plain = edit_support(
        capabilities(change_annotation_support=types.ChangeAnnotationsSupportOptions())
    )
    assert plain == EditSupport(False, False, False, False)
    no_ops = edit_support(capabilities(document_changes=True))
    assert no_ops == EditSupport(True, False, False, False)


def test_fit_edit_turns_document_changes_into_the_changes_map() -> None:
    annotated = types.AnnotatedTextEdit(range=EDIT.range, new_text="x", annotation_id="a")
    edit = types.WorkspaceEdit(
        document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=URI, version=4),
                edits=[EDIT, annotated],
            )
        ],
        change_annotations={"a": types.ChangeAnnotation(label="Trae", needs_confirmation=True)},
    )
    assert fit_edit(edit, EditSupport(True, True, True, True)) is edit
    fitted = fit_edit(edit, EditSupport(False, False, False, False))
    assert fitted == types.WorkspaceEdit(
        changes={URI: [EDIT, types.TextEdit(range=EDIT.range, new_text="x")]}
    )


def test_fit_edit_refuses_file_operations_it_cannot_express() -> None:
    edit = types.WorkspaceEdit(document_changes=[types.CreateFile(uri=URI)])
    with pytest.raises(UnsupportedEditError, match="cannot create, rename or delete files"):
        fit_edit(edit, EditSupport(False, False, False, False))
