"""The language server: thin handlers that translate LSP types and call plain functions."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.workspace import TextDocument

from trae_lsp import __version__
from trae_lsp.errors import TraeError
from trae_lsp.server import actions, commands, proposals, review, suggestions
from trae_lsp.server.commands import CancelArgs, TaskArgs
from trae_lsp.server.edit_support import edit_support, fit_edit
from trae_lsp.server.positions import UTF16
from trae_lsp.server.review import DocumentRef, ReviewStore
from trae_lsp.server.runs import AgentRuns, AgentTask, RunReport, run_agent_task
from trae_lsp.server.settings import (
    SECTION,
    SettingsProblem,
    TraeSettings,
    describe_problems,
    parse_settings,
)
from trae_lsp.server.symbols import SymbolCache, document_symbols, symbol_under

SERVER_NAME = "trae-lsp"
"""Name reported to the client in `initialize`."""

SETTINGS_UPDATED = "Trae: settings updated"
"""Logged (`window/logMessage`) whenever the settings have been pulled again."""

logger = logging.getLogger(__name__)


class TraeProtocol(LanguageServerProtocol):
    """pygls' protocol, plus: `$/cancelRequest` of a command also cancels its agent run."""

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        super()._handle_cancel_notification(msg_id)
        if isinstance(self._server, TraeServer):
            self._server.runs.cancel_where(request_id=msg_id)


class TraeServer(LanguageServer):
    """The trae language server; per-session state lives on typed attributes here."""

    def __init__(self, name: str, version: str) -> None:
        super().__init__(name, version, protocol_cls=TraeProtocol)
        self.settings = TraeSettings()
        """Settings in effect: `initializationOptions` < `workspace/configuration` `trae`."""
        self.initialization_options: object = None
        """The client's `initializationOptions`, the lower settings layer."""
        self.settings_problems: list[SettingsProblem] = []
        """Problems last reported for the settings (reported again only when they change)."""
        self.reviews = ReviewStore()
        """Pending hunks of the documents under review (`edits.mode` = `review`)."""
        self.runs = AgentRuns()
        """Agent runs in progress, their limit and the session's shell permissions."""
        self.symbols = SymbolCache()
        """Tree-sitter symbols of the open documents, per version."""
        self.suggestions = suggestions.Suggestions()
        """On-save findings per document, reviewed content hashes, reviews in flight."""
        self.proposals = proposals.ProposalStore()
        """Proposals kept after a conflict or because the client cannot take them."""

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
        diagnostics += self.suggestions.diagnostics.get(uri, [])
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

    def show_info(self, message: str) -> None:
        """Show an informational message (an explanation, a run's outcome)."""
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Info, message=message)
        )

    def document(self, uri: str) -> TextDocument:
        """An open document (or a file on disk); unknown URIs raise an actionable error."""
        if uri in self.workspace.text_documents:
            opened: TextDocument = self.workspace.text_documents[uri]
            return opened
        path = uris.to_fs_path(uri)
        if path is None or not Path(path).is_file():
            raise TraeError(f"Trae: {uri} is neither open in the editor nor a file on disk.")
        found: TextDocument = self.workspace.get_text_document(uri)
        return found

    def refresh_symbols(self, uri: str, *, debounce: bool) -> None:
        """Parse an open document's current version off the loop (after a pause in typing)."""
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return
        parse = self.symbols.parse_later if debounce else self.symbols.parse
        parse(uri, Path(document.path), document.source, document.version)

    async def apply_edit(self, edit: types.WorkspaceEdit, label: str) -> bool:
        """Send one `workspace/applyEdit`; False (and a warning) if the editor refused it."""
        edit = fit_edit(edit, edit_support(self.client_capabilities))
        params = types.ApplyWorkspaceEditParams(edit=edit, label=label)
        result = await self.workspace_apply_edit_async(params)
        if not result.applied:
            self.show_warning(
                f"Trae: the editor did not apply the change ({result.failure_reason})"
            )
        return result.applied

    async def apply_review_edit(self, uri: str, edit: types.WorkspaceEdit | None) -> None:
        """Send an accepted edit; the remaining hunks follow with its `didChange` (now, they
        would carry the old version: Neovim sends `didChange` after answering applyEdit)."""
        applied = edit is not None and await self.apply_edit(edit, "Trae: accept change")
        if not applied or self.reviews.get(uri) is None:
            self.publish_review(uri)


def initialize(ls: TraeServer, params: types.InitializeParams) -> None:
    """Read the settings; invalid ones are reported and replaced by defaults."""
    ls.initialization_options = params.initialization_options
    ls.update_settings()


async def initialized(ls: TraeServer, params: types.InitializedParams) -> None:
    """Overlay the client's `trae` configuration; warm up the agent workers' fork server."""
    ls.runs.warm_up()
    await ls.pull_settings()


async def did_change_configuration(
    ls: TraeServer, params: types.DidChangeConfigurationParams
) -> None:
    """Settings changed in the editor: pull them again."""
    await ls.pull_settings()


def did_open(ls: TraeServer, params: types.DidOpenTextDocumentParams) -> None:
    """Parse the new document's symbols in the background."""
    ls.refresh_symbols(params.text_document.uri, debounce=False)


def did_change(ls: TraeServer, params: types.DidChangeTextDocumentParams) -> None:
    """Move pending hunks along with the user's edits; re-parse symbols in the background."""
    uri = params.text_document.uri
    ls.refresh_symbols(uri, debounce=True)
    suggestions.cancel_review(ls, uri)
    pending = ls.reviews.get(uri)
    if pending is None:
        return
    changes = review.splices_from_content_changes(pending.text, params.content_changes, ls.encoding)
    pending.follow(changes, params.text_document.version)
    document = ls.workspace.get_text_document(uri)
    if pending.text != document.source:
        pending.follow_text(document.source, params.text_document.version)
    ls.publish_review(uri)


def did_save(ls: TraeServer, params: types.DidSaveTextDocumentParams) -> None:
    """On-save suggestions, when enabled with the `on-save` trigger."""
    wanted = ls.settings.suggestions
    if not (ls.settings.enabled and wanted.enabled and wanted.trigger == "on-save"):
        return
    uri = params.text_document.uri
    document = ls.workspace.text_documents.get(uri)
    text = params.text if params.text is not None else (document.source if document else None)
    if text is not None:
        suggestions.schedule_review(ls, uri, text, document.version if document else None)


def did_close(ls: TraeServer, params: types.DidCloseTextDocumentParams) -> None:
    """Pending hunks of a closed document are dropped (and cleared in the client)."""
    ls.reviews.discard(params.text_document.uri)
    ls.symbols.discard(params.text_document.uri)
    suggestions.cancel_review(ls, params.text_document.uri)
    ls.suggestions.forget(params.text_document.uri)
    ls.publish_review(params.text_document.uri)


def code_lens(ls: TraeServer, params: types.CodeLensParams) -> list[types.CodeLens] | None:
    """ "Accept | Reject" above every pending hunk."""
    pending = ls.reviews.get(params.text_document.uri)
    return review.lsp_code_lenses(pending, ls.encoding) if pending else None


async def code_action(
    ls: TraeServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    """Review actions for pending hunks in range, then Trae's agent actions (no model call)."""
    uri = params.text_document.uri
    pending = ls.reviews.get(uri)
    found = review.lsp_code_actions(pending, params.range, ls.encoding) if pending else []
    found += proposals.lsp_code_actions(ls.proposals)
    if not ls.settings.enabled:
        return found
    document = ls.document(uri)
    support = edit_support(ls.client_capabilities)
    found += suggestions.quick_fixes(uri, params.context.diagnostics, document.version, support)
    index = ls.symbols.line_index(uri, document.source, ls.encoding)
    symbols = await ls.symbols.symbols(uri, Path(document.path), document.source, document.version)
    symbol = symbol_under(symbols, index, params.range.start)
    listed = actions.list_actions(params, symbol, ls.settings.commands)
    if actions.resolves_commands(ls.client_capabilities):
        listed = actions.defer_commands(listed)
    return found + listed


def code_action_resolve(ls: TraeServer, action: types.CodeAction) -> types.CodeAction:
    """Attach the command an action listed without one (see `actions.defer_commands`)."""
    data = action.data
    if action.command is None and isinstance(data, dict) and "command" in data:
        action.command = types.Command(
            title=action.title, command=data["command"], arguments=data.get("arguments")
        )
    return action


async def document_symbol(
    ls: TraeServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol]:
    """The tree-sitter outline of a document."""
    uri = params.text_document.uri
    document = ls.document(uri)
    symbols = await ls.symbols.symbols(uri, Path(document.path), document.source, document.version)
    return document_symbols(symbols, ls.symbols.line_index(uri, document.source, ls.encoding))


async def run_task(ls: TraeServer, job: AgentTask) -> dict[str, Any]:
    """Run an agent task; its failure becomes a message, never a crash."""
    try:
        report = await run_agent_task(ls, job)
    except asyncio.CancelledError:  # trae.cancel, $/cancelRequest or the progress token
        if ls.runs.exiting:
            raise  # the editor is gone: nobody to answer
        report = RunReport("cancelled")
    except TraeError as e:
        ls.show_warning(str(e))
        report = RunReport("error", str(e))
    return report.as_json()


def agent_job(ls: TraeServer, command: str, args: TaskArgs) -> AgentTask:
    """The agent task a command asks for."""
    path = Path(ls.document(args.uri).path).name
    if command == commands.FIX_FILE:
        return AgentTask(args.uri, "Trae: fix file", commands.fix_task(path, args))
    if command == commands.ADD_TESTS:
        return AgentTask(args.uri, "Trae: add tests", commands.tests_task(path, args))
    if command == commands.EXPLAIN:
        return AgentTask(args.uri, "Trae: explain", commands.explain_task(path, args), edits=False)
    if command == commands.USER_COMMAND:
        found = next((c for c in ls.settings.commands if c.name == args.name), None)
        if found is None:
            raise TraeError(f"Trae: no command named {args.name!r} in the trae.commands setting.")
        args.task = found.task
        return AgentTask(args.uri, f"Trae: {found.name}", commands.custom_task(path, args))
    if not args.task:
        raise TraeError("Trae: trae.runTask needs a `task` text saying what to do.")
    return AgentTask(args.uri, "Trae: task", commands.custom_task(path, args))


def agent_command(command: str) -> Any:
    """The handler of one agent command (`trae.fixFile`, …)."""

    async def handler(ls: TraeServer, args: TaskArgs) -> dict[str, Any]:
        try:
            job = agent_job(ls, command, args)
        except TraeError as e:
            ls.show_warning(str(e))
            return RunReport("error", str(e)).as_json()
        result = await run_task(ls, job)
        if not job.edits and result["summary"]:
            ls.show_info(result["summary"])
        return result

    handler.__annotations__ = {"ls": TraeServer, "args": TaskArgs, "return": dict[str, Any]}
    return handler


def cancel(ls: TraeServer, args: CancelArgs) -> int:
    """`trae.cancel`: stop the run of a document (or every run)."""
    return ls.runs.cancel(args.uri)


def cancel_progress(ls: TraeServer, params: types.WorkDoneProgressCancelParams) -> None:
    """The user cancelled a run's progress in the editor."""
    ls.runs.cancel_where(token=params.token)


async def show_trajectory(ls: TraeServer, args: CancelArgs) -> bool:
    """`trae.showTrajectory`: open the last run's recorded trajectory in the editor."""
    path = ls.runs.trajectories.get(args.uri or "")
    if path is None:
        ls.show_warning("Trae: no recorded trajectory yet; run a Trae action first.")
        return False
    params = types.ShowDocumentParams(uri=path.as_uri(), take_focus=True)
    return (await ls.window_show_document_async(params)).success


async def review_document(ls: TraeServer, ref: DocumentRef) -> int:
    """`trae.review`: on-save suggestions for a document, now; how many findings."""
    return await suggestions.review_now(ls, ref)


async def shutdown(ls: TraeServer, params: None) -> None:
    """Stop every agent run first (each worker ends its trajectory and exits), then the
    symbol worker."""
    await ls.runs.stop_all()
    await ls.symbols.parser.close()


def exit_server(ls: TraeServer, params: None) -> None:
    """Kill the workers still running (an `exit` without `shutdown`)."""
    ls.runs.exit()
    ls.symbols.parser.kill()


def create_server() -> TraeServer:
    """A fresh server with every feature registered."""
    server = TraeServer(SERVER_NAME, __version__)
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.SHUTDOWN)(shutdown)
    server.feature(types.EXIT)(exit_server)
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(did_open)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=True))(did_save)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(did_close)
    server.feature(types.TEXT_DOCUMENT_CODE_LENS)(code_lens)
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=actions.ACTION_KINDS, resolve_provider=True),
    )(code_action)
    server.feature(types.CODE_ACTION_RESOLVE)(code_action_resolve)
    server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)(document_symbol)
    server.feature(types.WINDOW_WORK_DONE_PROGRESS_CANCEL)(cancel_progress)
    for name in (commands.FIX_FILE, commands.ADD_TESTS, commands.RUN_TASK, commands.EXPLAIN):
        server.command(name)(agent_command(name))
    server.command(commands.USER_COMMAND)(agent_command(commands.USER_COMMAND))
    server.command(commands.CANCEL)(cancel)
    server.command(suggestions.REVIEW)(review_document)
    server.command(commands.SHOW_TRAJECTORY)(show_trajectory)
    # review_commands imports this module (pygls reads TraeServer in its handlers' hints).
    from trae_lsp.server import review_commands

    review_commands.register(server)
    return server
