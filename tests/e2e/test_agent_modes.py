"""The real agent's changes in review and confirm mode; user commands; outline; bad requests."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.e2e.agent import (
    CALC,
    CALC_FIXED,
    FIX_SCRIPT,
    at,
    code_actions,
    run_action,
    span,
    start,
)
from tests.e2e.editor import Editor

PENDING = "trae/pendingChanges"


async def test_review_mode_puts_the_fix_under_review_then_accept_applies_it(
    editor: Editor, tmp_path: Path
) -> None:
    await start(editor, tmp_path, FIX_SCRIPT)
    editor.record(PENDING)
    uri = editor.open(tmp_path / "calc.py", CALC)
    result = await editor.execute("trae.fixFile", {"uri": uri})
    assert result["reviewed"] == [uri] and result["applied"] is False
    assert editor.text(uri) == CALC, "nothing applied before review"
    (pending,) = editor.notifications[PENDING]
    (hunk,) = pending["hunks"] if isinstance(pending, dict) else pending.hunks
    listed = await code_actions(editor, uri, span(4, 0, 4, 0))
    accept = next(a for a in listed if a.title.startswith("Trae: accept hunk"))
    await run_action(editor, accept)
    assert editor.text(uri) == CALC_FIXED
    assert hunk is not None


async def test_confirm_mode_asks_the_editor_or_falls_back_to_review(
    editor: Editor, tmp_path: Path
) -> None:
    await start(editor, tmp_path, FIX_SCRIPT, edits={"mode": "confirm"})
    uri = editor.open(tmp_path / "calc.py", CALC)
    result = await editor.execute("trae.fixFile", {"uri": uri})
    if editor.client_name == "vscode":
        (edit,) = editor.applied_edits
        assert edit.change_annotations is not None
        (annotation,) = edit.change_annotations.values()
        assert annotation.needs_confirmation is True
        assert editor.text(uri) == CALC_FIXED
    else:
        assert result["reviewed"] == [uri] and not editor.applied_edits


async def test_user_command_is_an_action_and_a_command(editor: Editor, tmp_path: Path) -> None:
    command = {"name": "Fix current file", "command": "trae run 'Fix bugs in current file'"}
    await start(editor, tmp_path, FIX_SCRIPT, edits={"mode": "apply"}, commands=[command])
    uri = editor.open(tmp_path / "calc.py", CALC)
    listed = await code_actions(editor, uri, span(0, 0, 0, 0), only=["source"])
    (action,) = [a for a in listed if a.title == "Trae: Fix current file"]
    assert (await run_action(editor, action))["applied"] is True
    assert editor.text(uri) == CALC_FIXED


async def test_document_symbols_come_from_tree_sitter(editor: Editor, tmp_path: Path) -> None:
    await start(editor, tmp_path, [])
    text = (
        "class Parser:\n    def run(self):\n        return '名前😋'\n\n\n"
        "def parse_args():\n    pass\n"
    )
    uri = editor.open(tmp_path / "p.py", text)
    symbols = await editor.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert symbols is not None
    outline = [
        (s.name, [c.name for c in s.children or []])
        for s in symbols
        if isinstance(s, types.DocumentSymbol)
    ]
    assert outline == [("Parser", ["run"]), ("parse_args", [])]
    listed = await code_actions(editor, uri, span(2, 10, 2, 10))
    assert "Trae: explain `Parser.run`" in [a.title for a in listed]


async def test_bad_requests_get_errors_or_messages_and_the_server_keeps_going(
    editor: Editor, tmp_path: Path
) -> None:
    await start(editor, tmp_path, FIX_SCRIPT, edits={"mode": "apply"})
    uri = editor.open(tmp_path / "calc.py", CALC)
    with pytest.raises(JsonRpcException):
        await code_actions(editor, (tmp_path / "missing.py").as_uri(), span(0, 0, 0, 0))
    past_the_end = await code_actions(editor, uri, types.Range(start=at(99, 99), end=at(120, 0)))
    assert "Trae: fix file" in [a.title for a in past_the_end]
    with pytest.raises(JsonRpcException):
        await editor.execute("trae.fixFile", {"no-uri": True})
    with pytest.raises(JsonRpcException):
        await editor.execute("trae.fixFile")
    missing = await editor.execute("trae.runTask", {"uri": uri})
    assert missing["status"] == "error" and "needs a `task`" in missing["summary"]
    unknown = await editor.execute("trae.fixFile", {"uri": "file:///no/such/file.py"})
    assert unknown["status"] == "error"
    assert any("neither open" in m.message for m in editor.client.messages)
    result = await editor.execute("trae.fixFile", {"uri": uri})
    assert result["applied"] is True and editor.text(uri) == CALC_FIXED
