"""Helpers for e2e tests that drive the real agent with a scripted model (`scripted:<file>`)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from lsprotocol import types

from tests.e2e.editor import Editor

CALC = 'names = ["😋", "名前"]\n\n\ndef total(xs):\n    return sum(xs) - 1\n'
"""The file under test: `total` has a bug; non-ASCII text exercises position encodings."""

CALC_FIXED = 'names = ["😋", "名前"]\n\n\ndef total(xs):\n    return sum(xs)\n'

TESTS = "from calc import total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n"


def tool(name: str, **arguments: Any) -> dict[str, Any]:
    """One scripted answer calling a tool."""
    return {"tool": name, "arguments": arguments}


def done(summary: str = "done") -> dict[str, Any]:
    """The scripted answer ending the run."""
    return tool("task_done", summary=summary)


FIX_SCRIPT = [
    tool("str_replace", path="calc.py", old_str="return sum(xs) - 1", new_str="return sum(xs)"),
    done("total no longer subtracts 1"),
]
"""A run that fixes `total`."""


def write_script(tmp_path: Path, items: list[Any], name: str = "script.json") -> str:
    """Write a model script under `tmp_path/.scripts`; the `trae.model` value naming it."""
    folder = tmp_path.parent / f"{tmp_path.name}-scripts"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(items))
    return f"scripted:{path}"


async def start(
    editor: Editor, project: Path, script: list[Any], **settings: Any
) -> types.InitializeResult:
    """Initialize on `project` with the scripted model and `settings` (camelCase)."""
    options = {"model": write_script(project, script), "autoRecord": False, **settings}
    return await editor.initialize(
        initialization_options=options,
        root_uri=project.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name=project.name)],
    )


def at(line: int, character: int) -> types.Position:
    """An LSP position."""
    return types.Position(line=line, character=character)


def span(sl: int, sc: int, el: int, ec: int) -> types.Range:
    """An LSP range."""
    return types.Range(start=at(sl, sc), end=at(el, ec))


async def code_actions(
    editor: Editor,
    uri: str,
    where: types.Range,
    diagnostics: list[types.Diagnostic] | None = None,
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    """The code actions the server lists for a range (resolved when the client would)."""
    listed = await editor.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(diagnostics=diagnostics or [], only=only),
        )
    )
    found = [a for a in listed or [] if isinstance(a, types.CodeAction)]
    return [
        await editor.client.code_action_resolve_async(a) if a.command is None else a for a in found
    ]


async def run_action(editor: Editor, action: types.CodeAction) -> Any:
    """Execute the command an action carries, as the editor does when it is chosen."""
    assert action.command is not None, action
    return await editor.execute(action.command.command, *(action.command.arguments or []))


SHELL_POLICY = {
    "tools": {"shell": {"allowed_commands": ["echo"], "require_confirmation": ["echo"]}}
}
"""Project config: `echo` may run, but only after the user says yes."""

PAUSE = tool("shell", command="echo waiting-for-the-user")
"""A scripted step that makes the run wait on the editor's confirmation dialog."""


class Pause:
    """The editor's shell confirmation dialog, held open: the user types while the agent waits."""

    def __init__(self, editor: Editor) -> None:
        self.asked = asyncio.Event()
        self.released = asyncio.Event()

        async def ask(params: types.ShowMessageRequestParams) -> types.MessageActionItem:
            self.asked.set()
            await self.released.wait()
            return types.MessageActionItem(title="Allow")

        editor.client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)(ask)


def confirming_project(tmp_path: Path, files: dict[str, str]) -> Path:
    """A project with `files` whose shell policy asks before `echo` (see `PAUSE`)."""
    (tmp_path / ".trae").mkdir(exist_ok=True)
    (tmp_path / ".trae" / "config.json").write_text(json.dumps(SHELL_POLICY))
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path
