"""The language server: thin handlers that translate LSP types and call plain functions."""

from __future__ import annotations

import logging

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from trae_lsp import __version__
from trae_lsp.server import review
from trae_lsp.server.positions import UTF16
from trae_lsp.server.review import DocumentRef, HunkRef, ReviewStore, UnknownHunkError
from trae_lsp.server.settings import (
    SECTION,
    SettingsProblem,
    TraeSettings,
    describe_problems,
    parse_settings,
)

SERVER_NAME = "trae-lsp"
"""Name reported to the client in `initialize`."""

SETTINGS_UPDATED = "Trae: settings updated"
"""Logged (`window/logMessage`) whenever the settings have been pulled again."""

logger = logging.getLogger(__name__)


class TraeServer(LanguageServer):
    """The trae language server; per-session state lives on typed attributes here."""

    def __init__(self, name: str, version: str) -> None:
        super().__init__(name, version)
        self.settings = TraeSettings()
        """Settings in effect: `initializationOptions` < `workspace/configuration` `trae`."""
        self.initialization_options: object = None
        """The client's `initializationOptions`, the lower settings layer."""
        self.settings_problems: list[SettingsProblem] = []
        """Problems last reported for the settings (reported again only when they change)."""
        self.reviews = ReviewStore()
        """Pending hunks of the documents under review (`edits.mode` = `review`)."""

    @property
    def encoding(self) -> str:
        """The negotiated position encoding."""
        return self.workspace.position_encoding or UTF16

    def update_settings(self, configuration: object = None) -> None:
        """Parse the settings layers; report problems once per change of problems."""
        self.settings, problems = parse_settings(self.initialization_options, configuration)
        if problems and problems != self.settings_problems:
            self.show_warning(describe_problems(problems))
        self.settings_problems = problems

    async def pull_settings(self) -> None:
        """Re-read `workspace/configuration` section `trae` if the client offers it."""
        workspace = self.client_capabilities.workspace
        if not (workspace and workspace.configuration):
            return
        item = types.ConfigurationItem(section=SECTION)
        (configuration,) = await self.workspace_configuration_async(
            types.ConfigurationParams(items=[item])
        )
        self.update_settings(configuration)
        self.window_log_message(
            types.LogMessageParams(type=types.MessageType.Info, message=SETTINGS_UPDATED)
        )

    def show_warning(self, message: str) -> None:
        """Pop up a warning in the editor and log it."""
        logger.warning(message)
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Warning, message=message)
        )

    def publish_review(self, uri: str) -> None:
        """Show `uri`'s pending hunks (or that none are left) to the client."""
        pending = self.reviews.get(uri)
        diagnostics = review.lsp_diagnostics(pending, self.encoding) if pending else []
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
        )
        params = (
            review.lsp_pending_changes(pending, self.encoding)
            if pending
            else review.PendingChangesParams(uri=uri, version=None, hunks=[])
        )
        self.protocol.notify(review.PENDING_CHANGES, params)
        capabilities = self.client_capabilities.workspace
        if capabilities and capabilities.code_lens and capabilities.code_lens.refresh_support:
            self.workspace_code_lens_refresh(None)

    async def apply_edit(self, edit: types.WorkspaceEdit, label: str) -> bool:
        """Send one `workspace/applyEdit`; False (and a warning) if the editor refused it."""
        params = types.ApplyWorkspaceEditParams(edit=edit, label=label)
        result = await self.workspace_apply_edit_async(params)
        if not result.applied:
            self.show_warning(
                f"Trae: the editor did not apply the change ({result.failure_reason})"
            )
        return result.applied

    async def apply_review_edit(self, uri: str, edit: types.WorkspaceEdit | None) -> None:
        """Send an accepted edit to the client, then show the hunks that remain."""
        if edit is not None:
            await self.apply_edit(edit, "Trae: accept change")
        self.publish_review(uri)


def initialize(ls: TraeServer, params: types.InitializeParams) -> None:
    """Read the settings; invalid ones are reported and replaced by defaults."""
    ls.initialization_options = params.initialization_options
    ls.update_settings()


async def initialized(ls: TraeServer, params: types.InitializedParams) -> None:
    """Overlay the client's `trae` configuration on the initialization options."""
    await ls.pull_settings()


async def did_change_configuration(
    ls: TraeServer, params: types.DidChangeConfigurationParams
) -> None:
    """Settings changed in the editor: pull them again."""
    await ls.pull_settings()


def did_change(ls: TraeServer, params: types.DidChangeTextDocumentParams) -> None:
    """Move pending hunks along with the user's edits."""
    uri = params.text_document.uri
    pending = ls.reviews.get(uri)
    if pending is None:
        return
    changes = review.splices_from_content_changes(pending.text, params.content_changes, ls.encoding)
    pending.follow(changes, params.text_document.version)
    document = ls.workspace.get_text_document(uri)
    if pending.text != document.source:
        pending.follow_text(document.source, params.text_document.version)
    ls.publish_review(uri)


def did_close(ls: TraeServer, params: types.DidCloseTextDocumentParams) -> None:
    """Pending hunks of a closed document are dropped (and cleared in the client)."""
    ls.reviews.discard(params.text_document.uri)
    ls.publish_review(params.text_document.uri)


def code_lens(ls: TraeServer, params: types.CodeLensParams) -> list[types.CodeLens] | None:
    """ "Accept | Reject" above every pending hunk."""
    pending = ls.reviews.get(params.text_document.uri)
    return review.lsp_code_lenses(pending, ls.encoding) if pending else None


def code_action(ls: TraeServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    """Accept/reject the pending hunks in range, or all of them."""
    pending = ls.reviews.get(params.text_document.uri)
    return review.lsp_code_actions(pending, params.range, ls.encoding) if pending else None


async def accept_hunk(ls: TraeServer, ref: HunkRef) -> None:
    """`trae.acceptHunk`: apply one pending hunk."""
    try:
        edit = ls.reviews.require(ref.uri).accept(ref.hunk_id, ls.encoding)
    except UnknownHunkError as e:
        ls.show_warning(str(e))
        return
    await ls.apply_review_edit(ref.uri, edit)


def reject_hunk(ls: TraeServer, ref: HunkRef) -> None:
    """`trae.rejectHunk`: drop one pending hunk."""
    try:
        ls.reviews.require(ref.uri).reject(ref.hunk_id)
    except UnknownHunkError as e:
        ls.show_warning(str(e))
    ls.publish_review(ref.uri)


async def accept_all(ls: TraeServer, ref: DocumentRef) -> None:
    """`trae.acceptAll`: apply every pending hunk of a document."""
    pending = ls.reviews.get(ref.uri)
    await ls.apply_review_edit(ref.uri, pending.accept_all(ls.encoding) if pending else None)


def reject_all(ls: TraeServer, ref: DocumentRef) -> None:
    """`trae.rejectAll`: drop every pending hunk of a document."""
    pending = ls.reviews.get(ref.uri)
    if pending is not None:
        pending.reject_all()
    ls.publish_review(ref.uri)


def create_server() -> TraeServer:
    """A fresh server with every feature registered."""
    server = TraeServer(SERVER_NAME, __version__)
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(did_close)
    server.feature(types.TEXT_DOCUMENT_CODE_LENS)(code_lens)
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )(code_action)
    server.command(review.ACCEPT_HUNK)(accept_hunk)
    server.command(review.REJECT_HUNK)(reject_hunk)
    server.command(review.ACCEPT_ALL)(accept_all)
    server.command(review.REJECT_ALL)(reject_all)
    return server
