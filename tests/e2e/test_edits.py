"""Agent changes reach the editor as versioned WorkspaceEdits in each edit mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types

from tests.e2e.editor import Editor
from tests.e2e.review_server import DELIVER

MAIN = 'names = ["😋", "名前"]\n\ndef total(xs):\n    return sum(xs) - 1\n'
FIXED = 'names = ["😋", "名前"]\n\ndef total(xs):\n    return sum(xs)\n'
TESTS = "from m import total\n\ndef test_total():\n    assert total([1, 2]) == 3\n"


def span(sl: int, sc: int, el: int, ec: int) -> types.Range:
    return types.Range(
        start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec)
    )


def change(path: Path, original: str, new: str, **flags: Any) -> dict[str, Any]:
    return {"path": str(path), "original": original, "new": new, **flags}


async def deliver(editor: Editor, *changes: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = await editor.execute(DELIVER, {"changes": list(changes)})
    return result


def document_versions(edit: types.WorkspaceEdit) -> list[int | None]:
    return [
        c.text_document.version
        for c in edit.document_changes or []
        if isinstance(c, types.TextDocumentEdit)
    ]


async def test_apply_mode_edits_creates_and_deletes_files(
    test_editor: Editor, tmp_path: Path
) -> None:
    await test_editor.initialize(initialization_options={"trae.edits.mode": "apply"})
    main, closed, gone = tmp_path / "m.py", tmp_path / "closed.py", tmp_path / "old.py"
    main.write_text(MAIN)
    closed.write_text("y = 1\n")
    gone.write_text("obsolete\n")
    uri = test_editor.open(main, MAIN)
    result = await deliver(
        test_editor,
        change(main, MAIN, FIXED, version=1),
        change(tmp_path / "test_m.py", "", TESTS, created=True),
        change(closed, "y = 1\n", "y = 2\n"),
        change(gone, "obsolete\n", "", deleted=True),
    )
    assert result == {"applied": True, "reviewed": [], "conflicts": []}
    assert test_editor.text(uri) == FIXED
    assert (tmp_path / "test_m.py").read_text() == TESTS
    assert closed.read_text() == "y = 2\n"
    assert not gone.exists()
    (edit,) = test_editor.applied_edits
    assert document_versions(edit) == [1, None, None]
    assert edit.change_annotations is None


async def test_stale_change_is_rebased_onto_the_users_typing(
    test_editor: Editor, tmp_path: Path
) -> None:
    await test_editor.initialize(initialization_options={"edits": {"mode": "apply"}})
    uri = test_editor.open(tmp_path / "m.py", MAIN)
    test_editor.type(uri, span(4, 0, 4, 0), "\nprint(total([1]))\n")
    result = await deliver(test_editor, change(tmp_path / "m.py", MAIN, FIXED, version=1))
    assert result["applied"] is True
    assert test_editor.text(uri) == FIXED + "\nprint(total([1]))\n"
    assert document_versions(test_editor.applied_edits[0]) == [2]


async def test_conflicting_change_is_reported_and_not_applied(
    test_editor: Editor, tmp_path: Path
) -> None:
    await test_editor.initialize(initialization_options={"edits": {"mode": "apply"}})
    uri = test_editor.open(tmp_path / "m.py", MAIN)
    test_editor.type(uri, span(3, 18, 3, 22), " + 1")
    result = await deliver(test_editor, change(tmp_path / "m.py", MAIN, FIXED, version=1))
    assert result == {"applied": False, "reviewed": [], "conflicts": ["m.py"]}
    assert test_editor.applied_edits == []
    assert test_editor.text(uri) == MAIN.replace("sum(xs) - 1", "sum(xs) + 1")
    (message,) = test_editor.client.messages
    assert "m.py (lines 4-4)" in message.message and "unchanged" in message.message


async def test_confirm_mode_asks_where_the_editor_can_else_reviews(
    test_editor: Editor, client_name: str, tmp_path: Path
) -> None:
    await test_editor.initialize(initialization_options={"edits": {"mode": "confirm"}})
    test_editor.record("trae/pendingChanges")
    uri = test_editor.open(tmp_path / "m.py", MAIN)
    result = await deliver(test_editor, change(tmp_path / "m.py", MAIN, FIXED, version=1))
    if client_name == "vscode":
        assert result == {"applied": True, "reviewed": [], "conflicts": []}
        (edit,) = test_editor.applied_edits
        assert edit.change_annotations is not None
        (annotation,) = edit.change_annotations.values()
        assert annotation.needs_confirmation is True and annotation.label == "Trae: test task"
        assert test_editor.text(uri) == FIXED
    else:
        assert result == {"applied": False, "reviewed": [uri], "conflicts": []}
        assert test_editor.applied_edits == []
        (pending,) = test_editor.notifications["trae/pendingChanges"]
        assert [h.newText for h in pending.hunks] == ["    return sum(xs)\n"]
        assert test_editor.text(uri) == MAIN


async def test_review_mode_reviews_open_files_and_creates_new_ones(
    review_editor: Editor, tmp_path: Path
) -> None:
    uri = review_editor.open(tmp_path / "m.py", MAIN)
    result = await deliver(
        review_editor,
        change(tmp_path / "m.py", MAIN, FIXED, version=1),
        change(tmp_path / "test_m.py", "", TESTS, created=True),
    )
    assert result == {"applied": True, "reviewed": [uri], "conflicts": []}
    assert review_editor.text(uri) == MAIN
    assert (tmp_path / "test_m.py").read_text() == TESTS
    (hint,) = review_editor.client.diagnostics[uri]
    assert hint.range == span(3, 0, 4, 0) and hint.source == "trae"
