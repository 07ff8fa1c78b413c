"""Review mode end to end: a real run's hunks shown, accepted and rejected, following edits."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.e2e.agent import done, start, tool
from tests.e2e.editor import Editor

TEXT = 'greeting = "😋 hi"\n\ndef add(a, b):\n    return a - b\n\nname = "😋名前"\n'
PROPOSED = (
    'greeting = "😋 hi"\nimport math\n\ndef add(a, b):\n    return a + b\n\nname = "😋氏名"\n'
)
PENDING = "trae/pendingChanges"


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def span(sl: int, sc: int, el: int, ec: int) -> types.Range:
    return types.Range(start=at(sl, sc), end=at(el, ec))


async def propose(editor: Editor, path: Path, text: str, proposed: str) -> str:
    """Open `path` holding `text`; an agent run (default review mode) proposes `proposed`."""
    path.write_text(text, newline="")
    script = [tool("write_file", path=path.name, content=proposed), done("rewritten")]
    await start(editor, path.parent, script)
    editor.record(PENDING)
    uri = editor.open(path, text)
    result = await editor.execute("trae.runTask", {"uri": uri, "task": "rewrite the file"})
    assert (result["reviewed"], result["applied"]) == ([uri], False)
    return uri


async def open_with_proposal(editor: Editor, tmp_path: Path) -> tuple[str, list[dict[str, str]]]:
    """Open a file, let an agent run put PROPOSED under review, return (uri, hunk refs)."""
    uri = await propose(editor, tmp_path / "calc.py", TEXT, PROPOSED)
    lenses = await editor.client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert lenses is not None
    refs = [lens.command.arguments[0] for lens in lenses if lens.command and lens.command.arguments]
    return uri, refs[::2]


def cjk_columns(editor: Editor) -> tuple[int, int]:
    """Columns of `名前` after `name = "😋` in the negotiated encoding."""
    return (12, 18) if editor.encoding == "utf-8" else (10, 12)


async def test_proposal_shows_hints_lenses_and_pending_changes(
    editor: Editor, client_name: str, tmp_path: Path
) -> None:
    negotiated = {"vscode": "utf-16", "neovim": "utf-16", "neovim-0.11": "utf-8"}
    uri, refs = await open_with_proposal(editor, tmp_path)
    assert editor.encoding == negotiated[client_name]
    assert len(refs) == 3
    diagnostics = editor.client.diagnostics[uri]
    assert [d.range for d in diagnostics] == [span(1, 0, 1, 0), span(3, 0, 4, 0), span(5, 0, 6, 0)]
    assert {(d.source, d.severity) for d in diagnostics} == {
        ("trae", types.DiagnosticSeverity.Hint)
    }
    (payload,) = editor.notifications[PENDING]
    assert payload.uri == uri and payload.version == 1
    assert [(h.oldText, h.newText) for h in payload.hunks] == [
        ("", "import math\n"),
        ("    return a - b\n", "    return a + b\n"),
        ('name = "😋名前"\n', 'name = "😋氏名"\n'),
    ]
    assert payload.hunks[1].range.start.line == 3 and payload.hunks[1].range.end.line == 4
    # Only VS Code declares workspace.codeLens.refreshSupport.
    assert (editor.code_lens_refreshes > 0) == (client_name == "vscode")


async def test_accepting_one_hunk_applies_only_that_hunk(editor: Editor, tmp_path: Path) -> None:
    uri, (_, _, cjk) = await open_with_proposal(editor, tmp_path)
    await editor.execute("trae.acceptHunk", cjk)
    assert editor.text(uri) == TEXT.replace("名前", "氏名")
    (edit,) = editor.applied_edits
    assert edit.document_changes is not None
    (document_edit,) = edit.document_changes
    assert isinstance(document_edit, types.TextDocumentEdit)
    assert document_edit.text_document.version == 1
    start, end = cjk_columns(editor)
    assert list(document_edit.edits) == [
        types.TextEdit(range=span(5, start, 5, end), new_text="氏名")
    ]
    last = editor.notifications[PENDING][-1]
    assert [h.newText for h in last.hunks] == ["import math\n", "    return a + b\n"]


async def test_hunks_left_after_an_accept_come_in_the_new_version(
    editor: Editor, tmp_path: Path
) -> None:
    editor.late_did_change = True  # like Neovim: the edit's didChange after the applyEdit answer
    uri, (imports, _, cjk) = await open_with_proposal(editor, tmp_path)
    before = len(editor.notifications[PENDING])
    await editor.execute("trae.acceptHunk", cjk)
    while not any(n.version == 2 for n in editor.notifications[PENDING]):
        await editor.next_notification(PENDING)
    after = editor.notifications[PENDING][before:]
    assert [n.version for n in after] == [2], "never the remaining hunks at version 1"
    assert [h.newText for h in after[0].hunks] == ["import math\n", "    return a + b\n"]
    await editor.execute("trae.acceptHunk", imports)
    assert "import math\n" in editor.text(uri)


async def test_reject_one_then_accept_all(editor: Editor, tmp_path: Path) -> None:
    uri, (imports, _, _) = await open_with_proposal(editor, tmp_path)
    await editor.execute("trae.rejectHunk", imports)
    assert editor.text(uri) == TEXT
    await editor.execute("trae.acceptAll", {"uri": uri})
    assert editor.text(uri) == PROPOSED.replace("import math\n", "")
    assert list(editor.client.diagnostics[uri]) == []
    assert editor.notifications[PENDING][-1].hunks == []


async def test_hunks_follow_typing_above_and_vanish_when_typed_over(
    editor: Editor, tmp_path: Path
) -> None:
    uri, (_, returns, cjk) = await open_with_proposal(editor, tmp_path)
    editor.type(uri, span(0, 0, 0, 0), '"""Calculator."""\n')
    moved = await editor.next_notification(PENDING)
    assert [h.range.start.line for h in moved.hunks] == [2, 4, 6]
    editor.type(uri, span(4, 13, 4, 14), "*")
    remaining = await editor.next_notification(PENDING)
    assert [h.newText for h in remaining.hunks] == ["import math\n", 'name = "😋氏名"\n']
    await editor.execute("trae.acceptHunk", cjk)
    expected = '"""Calculator."""\n' + TEXT.replace("a - b", "a * b").replace("名前", "氏名")
    assert editor.text(uri) == expected
    await editor.execute("trae.acceptHunk", returns)
    (message,) = editor.client.messages
    assert message.type == types.MessageType.Warning
    assert f"no pending change {returns['hunkId']!r}" in message.message
    assert editor.text(uri) == expected


async def test_code_actions_accept_and_reject(editor: Editor, tmp_path: Path) -> None:
    uri, _ = await open_with_proposal(editor, tmp_path)
    actions = await editor.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=span(3, 4, 3, 4),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert actions is not None
    assert all(isinstance(action, types.CodeAction) for action in actions)
    titles = [action.title for action in actions if isinstance(action, types.CodeAction)]
    assert titles[:4] == [
        "Trae: accept hunk",
        "Trae: reject hunk",
        "Trae: accept all",
        "Trae: reject all",
    ]
    accept = actions[0]
    assert isinstance(accept, types.CodeAction) and accept.command is not None
    await editor.execute(accept.command.command, *(accept.command.arguments or []))
    assert editor.text(uri) == TEXT.replace("a - b", "a + b")


async def test_crlf_document_keeps_crlf(editor: Editor, tmp_path: Path) -> None:
    uri = await propose(editor, tmp_path / "win.py", "a = 1\r\nb = 2\r\n", "a = 1\nb = 3\nc = 4\n")
    (payload,) = editor.notifications[PENDING]
    assert [(h.oldText, h.newText) for h in payload.hunks] == [("b = 2\r\n", "b = 3\r\nc = 4\r\n")]
    await editor.execute("trae.acceptAll", {"uri": uri})
    assert editor.text(uri) == "a = 1\r\nb = 3\r\nc = 4\r\n"


async def test_closing_the_document_drops_its_hunks(editor: Editor, tmp_path: Path) -> None:
    uri, _ = await open_with_proposal(editor, tmp_path)
    editor.close(uri)
    cleared = await editor.next_notification(PENDING)
    assert (cleared.uri, cleared.hunks) == (uri, [])
    assert list(editor.client.diagnostics[uri]) == []
