"""Trae's code actions: listed instantly (no model call), named after the symbol at the cursor.

Each action carries the command (and typed `TaskArgs`) that does the work. For
clients that can resolve a code action's `command` (`resolveSupport`), the list
carries only `data` and `codeAction/resolve` attaches the command; other
clients get the command in the list. Either way the agent runs when the client
executes the command.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from trae_lsp.server import commands
from trae_lsp.server.commands import TaskArgs, describe_diagnostic
from trae_lsp.server.settings import UserCommand

if TYPE_CHECKING:
    from trae_lsp.context.symbols import Symbol

TRAE_SOURCE = "trae"
"""Diagnostic source of Trae's own diagnostics (not offered as things to fix)."""

FIX_ALL = "source.fixAll.trae"
"""Kind of "Trae: fix file"."""

ACTION_KINDS = [
    types.CodeActionKind.QuickFix,
    types.CodeActionKind.RefactorRewrite,
    types.CodeActionKind.Source,
    FIX_ALL,
]
"""Kinds the server offers (its `codeActionProvider.codeActionKinds`)."""

TITLE_LIMIT = 80
"""Diagnostic messages are cut to this many characters in titles."""


def list_actions(
    params: types.CodeActionParams,
    symbol: Symbol | None,
    user_commands: list[UserCommand],
) -> list[types.CodeAction]:
    """Every Trae action for a range, filtered by the client's `only` kinds."""
    uri = params.text_document.uri
    found = [
        *_quick_fixes(uri, params.context.diagnostics),
        *_symbol_actions(uri, params.range, symbol),
        _action(
            "Trae: add tests for this file",
            types.CodeActionKind.Source,
            commands.ADD_TESTS,
            TaskArgs(uri),
        ),
        _action("Trae: fix file", FIX_ALL, commands.FIX_FILE, TaskArgs(uri)),
        *(_user_action(uri, params.range, symbol, command) for command in user_commands),
    ]
    only = params.context.only
    return [a for a in found if not only or any(_within(a.kind, k) for k in only)]


def _quick_fixes(uri: str, diagnostics: Sequence[types.Diagnostic]) -> list[types.CodeAction]:
    fixes = []
    for diagnostic in diagnostics:
        if diagnostic.source == TRAE_SOURCE:
            continue
        text = describe_diagnostic(diagnostic)
        if len(text) > TITLE_LIMIT:
            text = text[: TITLE_LIMIT - 1] + "…"
        action = _action(
            f"Trae: fix '{text}'",
            types.CodeActionKind.QuickFix,
            commands.FIX_FILE,
            TaskArgs(uri, range=diagnostic.range, diagnostics=[diagnostic]),
        )
        action.diagnostics = [diagnostic]
        fixes.append(action)
    return fixes


def _symbol_actions(uri: str, at: types.Range, symbol: Symbol | None) -> list[types.CodeAction]:
    if symbol is None:
        return []
    name = symbol.qualname
    rewrite = types.CodeActionKind.RefactorRewrite

    def task(text: str) -> TaskArgs:
        return TaskArgs(uri, range=at, task=text, symbol=name)

    return [
        _action(
            f"Trae: refactor `{name}`",
            rewrite,
            commands.RUN_TASK,
            task(f"Refactor `{name}` for clarity without changing its behaviour."),
        ),
        _action(
            f"Trae: document `{name}`",
            rewrite,
            commands.RUN_TASK,
            task(f"Write or improve the docstring of `{name}`; change nothing else."),
        ),
        _action(f"Trae: explain `{name}`", rewrite, commands.EXPLAIN, task("")),
        _action(
            f"Trae: add tests for `{name}`",
            types.CodeActionKind.Source,
            commands.ADD_TESTS,
            task(""),
        ),
    ]


def _user_action(
    uri: str, at: types.Range, symbol: Symbol | None, command: UserCommand
) -> types.CodeAction:
    args = TaskArgs(uri, range=at, symbol=symbol.qualname if symbol else None, name=command.name)
    return _action(
        f"Trae: {command.name}", types.CodeActionKind.Source, commands.USER_COMMAND, args
    )


def _action(title: str, kind: str, command: str, args: TaskArgs) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=kind,
        command=types.Command(title=title, command=command, arguments=[args]),
    )


def _within(kind: str | None, wanted: str) -> bool:
    """Is `kind` the `wanted` kind or a sub-kind of it (`source.fixAll.trae` ⊂ `source`)?"""
    return kind is not None and (kind == wanted or kind.startswith(wanted + "."))


def resolves_commands(capabilities: types.ClientCapabilities) -> bool:
    """Can the client fill in an action's `command` through `codeAction/resolve`?"""
    document = capabilities.text_document
    action = document.code_action if document else None
    support = action.resolve_support if action else None
    return bool(support and "command" in support.properties and action and action.data_support)


def defer_commands(actions: list[types.CodeAction]) -> list[types.CodeAction]:
    """Move each action's command into `data`, for `codeAction/resolve` to put back."""
    for action in actions:
        if action.command is not None:
            action.data = {"command": action.command.command, "arguments": action.command.arguments}
            action.command = None
    return actions
