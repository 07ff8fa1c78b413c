"""A scripted editor on top of the pytest-lsp client: open documents, type, apply edits.

It behaves like a real editor where the server can tell: recorded client
capabilities, versioned buffers, `didChange` after every change, and
`workspace/applyEdit` applied to its own copies (refusing stale versions, as VS
Code does) so tests check the text that results. Edits are applied with pygls'
own `TextDocument` and position codec, not with the server's code under test.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls import uris
from pygls.protocol import default_converter
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import PositionCodec
from pytest_lsp import LanguageClient

CAPABILITIES_DIR = Path(__file__).parent / "capabilities"
"""Recorded `clientInfo` + `capabilities` of real editors (see its README)."""


def initialize_params(client_name: str, **fields: Any) -> types.InitializeParams:
    """The recorded initialize payload of `client_name` (vscode, neovim…) plus `fields`."""
    recorded = json.loads((CAPABILITIES_DIR / f"{client_name}.json").read_text())
    params = default_converter().structure(recorded, types.InitializeParams)
    for name, value in fields.items():
        setattr(params, name, value)
    return params


def install_code_action_hook(client: LanguageClient) -> None:
    """Work around lsprotocol 2025.0.0 structuring a CodeAction with a command as a Command.

    Client side only (real editors are not affected): pick `Command` only when the
    object's `command` field is the command id string.
    """
    converter = client.protocol._converter

    def structure(obj: Any, _: Any) -> types.Command | types.CodeAction:
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, types.Command)
        return converter.structure(obj, types.CodeAction)

    converter.register_structure_hook(types.Command | types.CodeAction, structure)


class Editor:
    """The test client's open documents and files, changed the way an editor changes them."""

    def __init__(self, client: LanguageClient, client_name: str) -> None:
        self.client = client
        self.client_name = client_name
        self.encoding: str = types.PositionEncodingKind.Utf16
        self.documents: dict[str, TextDocument] = {}
        self.notifications: dict[str, list[Any]] = {}
        self.applied_edits: list[types.WorkspaceEdit] = []
        self.code_lens_refreshes = 0
        self.document_changes = True
        """False: initialize without `documentChanges` and resource operations."""
        self.late_did_change = False
        """True: answer `workspace/applyEdit` first and send its `didChange` after (Neovim)."""
        install_code_action_hook(client)

        # pygls registers plain functions only (it tags them), not bound methods.
        def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
            return self._on_apply_edit(params)

        def refresh_code_lenses(_: None) -> None:
            self.code_lens_refreshes += 1

        client.feature(types.WORKSPACE_APPLY_EDIT)(apply_edit)
        client.feature(types.WORKSPACE_CODE_LENS_REFRESH)(refresh_code_lenses)

    async def initialize(self, **fields: Any) -> types.InitializeResult:
        """Initialize the server with this editor's recorded capabilities."""
        params = initialize_params(self.client_name, **fields)
        if not self.document_changes:
            _strip_document_changes(params.capabilities)
        result = await self.client.initialize_session(params)
        self.encoding = result.capabilities.position_encoding or types.PositionEncodingKind.Utf16
        return result

    def record(self, method: str) -> None:
        """Keep every notification `method` (e.g. `trae/pendingChanges`) the server sends."""
        received = self.notifications.setdefault(method, [])

        def keep(params: Any) -> None:
            received.append(params)

        self.client.feature(method)(keep)

    def open(self, path: Path, text: str) -> str:
        """Open `path` with `text` (version 1) and return its URI."""
        uri = uris.from_fs_path(str(path)) or path.as_uri()
        codec = PositionCodec(self.encoding)
        self.documents[uri] = TextDocument(uri, text, version=1, position_codec=codec)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=text
                )
            )
        )
        return uri

    def close(self, uri: str) -> None:
        """Close an open document."""
        del self.documents[uri]
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    def text(self, uri: str) -> str:
        """The editor's current text of an open document."""
        return self.documents[uri].source

    def type(self, uri: str, at: types.Range, text: str) -> None:
        """The user replaces `at` with `text` (ranges in the negotiated encoding)."""
        self._change(uri, [types.TextDocumentContentChangePartial(range=at, text=text)])

    def save(self, uri: str) -> None:
        """Save a document (`didSave` with its text, as the server's save options ask)."""
        self.client.text_document_did_save(
            types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=uri), text=self.text(uri)
            )
        )

    def apply(self, edit: types.WorkspaceEdit) -> bool:
        """Apply an edit the way a chosen code action's edit is applied."""
        return self._on_apply_edit(types.ApplyWorkspaceEditParams(edit=edit)).applied

    async def execute(self, command: str, *arguments: Any) -> Any:
        """Run a `workspace/executeCommand` and wait for its answer."""
        return await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=command, arguments=list(arguments))
        )

    async def next_notification(self, method: str) -> Any:
        """Wait for the next `method` notification (registered before the loop runs)."""
        return await self.client.wait_for_notification(method)

    def _change(
        self, uri: str, changes: list[types.TextDocumentContentChangePartial], *, late: bool = False
    ) -> None:
        document = self.documents[uri]
        for change in changes:
            document.apply_change(change)
        document.version = (document.version or 0) + 1
        params = types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=document.version),
            content_changes=list(changes),
        )
        if late:  # after the answer to the request being handled has gone out
            asyncio.get_running_loop().call_soon(self.client.text_document_did_change, params)
        else:
            self.client.text_document_did_change(params)

    def _on_apply_edit(
        self, params: types.ApplyWorkspaceEditParams
    ) -> types.ApplyWorkspaceEditResult:
        self.applied_edits.append(params.edit)
        plain = [
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=list(edits),
            )
            for uri, edits in (params.edit.changes or {}).items()
        ]
        try:
            for change in [*(params.edit.document_changes or []), *plain]:
                self._apply_document_change(change)
        except EditRefused as e:
            return types.ApplyWorkspaceEditResult(applied=False, failure_reason=str(e))
        return types.ApplyWorkspaceEditResult(applied=True)

    def _apply_document_change(
        self,
        change: types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile,
    ) -> None:
        if isinstance(change, types.CreateFile):
            _create_file(change)
        elif isinstance(change, types.DeleteFile):
            _path(change.uri).unlink()
        elif isinstance(change, types.TextDocumentEdit):
            self._apply_text_edits(change)
        else:
            raise EditRefused(f"unexpected resource operation {change}")

    def _apply_text_edits(self, change: types.TextDocumentEdit) -> None:
        uri, version = change.text_document.uri, change.text_document.version
        edits = sorted(change.edits, key=lambda e: _start(e.range), reverse=True)
        partial = [
            types.TextDocumentContentChangePartial(range=e.range, text=_text(e)) for e in edits
        ]
        document = self.documents.get(uri)
        if document is None:
            path = _path(uri)
            on_disk = TextDocument(
                uri, path.read_text(), position_codec=PositionCodec(self.encoding)
            )
            for item in partial:
                on_disk.apply_change(item)
            path.write_text(on_disk.source)
            return
        if version is not None and version != document.version:
            raise EditRefused(f"{uri} is at version {document.version}, edit is for {version}")
        self._change(uri, partial, late=self.late_did_change)


async def close(client: LanguageClient) -> None:
    """Shut the server down; one that was never initialized is told to exit."""
    if client.capabilities is None:
        client.exit(None)
    else:
        await client.shutdown_session()


class EditRefused(Exception):
    """The editor refuses a workspace edit (stale version, existing file…)."""


def _strip_document_changes(capabilities: types.ClientCapabilities) -> None:
    """Capabilities of a client that takes only the `changes` map of a WorkspaceEdit."""
    workspace = capabilities.workspace
    if workspace is not None and workspace.workspace_edit is not None:
        workspace.workspace_edit.document_changes = None
        workspace.workspace_edit.resource_operations = None
        workspace.workspace_edit.change_annotation_support = None


def _path(uri: str) -> Path:
    path = uris.to_fs_path(uri)
    assert path is not None, uri
    return Path(path)


def _create_file(change: types.CreateFile) -> None:
    path = _path(change.uri)
    options = change.options or types.CreateFileOptions()
    if path.exists() and not (options.overwrite or options.ignore_if_exists):
        raise EditRefused(f"{path} already exists")
    if not path.exists() or options.overwrite:
        path.write_text("")


def _start(at: types.Range) -> tuple[int, int]:
    return (at.start.line, at.start.character)


def _text(edit: types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit) -> str:
    if isinstance(edit, types.SnippetTextEdit):
        return edit.snippet.value
    return edit.new_text
