"""The agent commands (`workspace/executeCommand`): ids, typed arguments, task texts.

Every command takes one argument object (attrs classes, structured by pygls'
converter, camelCase on the wire where it differs). The code actions carry the
same objects, so a command run from the palette and one run from a light bulb
are the same request.
"""

from __future__ import annotations

import attrs
from lsprotocol import types

FIX_FILE = "trae.fixFile"
"""Fix the problems of a file (diagnostics in range, or the whole file)."""

ADD_TESTS = "trae.addTests"
"""Write tests for a symbol or a file (new test files arrive as `CreateFile`)."""

RUN_TASK = "trae.runTask"
"""Run any task text on a file, optionally focused on a range."""

EXPLAIN = "trae.explain"
"""Explain a symbol or range; the answer is shown, nothing is edited."""

CANCEL = "trae.cancel"
"""Cancel the agent run of a document (or every run)."""

SHOW_TRAJECTORY = "trae.showTrajectory"
"""Open the recorded trajectory of the last run (of a document) in the editor."""

USER_COMMAND = "trae.userCommand"
"""Run one of the user's `trae.commands` by name."""

AGENT_COMMANDS = (FIX_FILE, ADD_TESTS, RUN_TASK, EXPLAIN, CANCEL, SHOW_TRAJECTORY, USER_COMMAND)
"""Every agent command the server registers (the review commands live in `review`)."""


@attrs.define
class TaskArgs:
    """Argument of the agent commands: which document, where, and what to do.

    `task` is required by `trae.runTask`; for the other commands it adds to the
    built-in instruction. `symbol` names the definition the action was offered
    for; `diagnostics` are the problems a quick fix is about.
    """

    uri: str
    range: types.Range | None = None
    task: str = ""
    symbol: str | None = None
    diagnostics: list[types.Diagnostic] = attrs.field(factory=list)
    name: str | None = None


@attrs.define
class CancelArgs:
    """Argument of `trae.cancel` and `trae.showTrajectory`: a document, or none for all/last."""

    uri: str | None = None


def describe_diagnostic(diagnostic: types.Diagnostic) -> str:
    """`E0602 undefined name x` — the code (if any) and the message, on one line."""
    code = f"{diagnostic.code} " if diagnostic.code is not None else ""
    return (code + diagnostic.message).replace("\n", " ").strip()


def where(args: TaskArgs) -> str:
    """The part of the file the task is about, for the task text."""
    if args.symbol:
        return f"`{args.symbol}`"
    if args.range is not None:
        return f"lines {args.range.start.line + 1}-{args.range.end.line + 1}"
    return "the file"


def fix_task(path: str, args: TaskArgs) -> str:
    """The agent task of `trae.fixFile` (a quick fix when diagnostics are given)."""
    if args.diagnostics:
        problems = "; ".join(
            f"line {d.range.start.line + 1}: {describe_diagnostic(d)}" for d in args.diagnostics
        )
        text = f"Fix these problems in {path}: {problems}."
    else:
        text = f"Find and fix the bugs in {path} ({where(args)})."
    return _with_extra(text + " Change only what the fix needs.", args.task)


def tests_task(path: str, args: TaskArgs) -> str:
    """The agent task of `trae.addTests`."""
    subject = f"`{args.symbol}` in {path}" if args.symbol else path
    text = (
        f"Write pytest-style unit tests for {subject}. Put them in a new test file "
        "next to the existing tests (or next to the file), without changing the code under test."
    )
    return _with_extra(text, args.task)


def explain_task(path: str, args: TaskArgs) -> str:
    """The agent task of `trae.explain`: read only, answer in `task_done`'s summary."""
    text = (
        f"Explain {where(args)} in {path}: what it does, how, and anything surprising. "
        "Do not change any file; give the explanation as the summary of task_done."
    )
    return _with_extra(text, args.task)


def custom_task(path: str, args: TaskArgs) -> str:
    """The agent task of `trae.runTask` / a user command, focused on the file and range."""
    return f"{args.task}\n\n(The user is looking at {path}, {where(args)}.)"


def _with_extra(text: str, extra: str) -> str:
    return f"{text}\n\n{extra}" if extra else text
