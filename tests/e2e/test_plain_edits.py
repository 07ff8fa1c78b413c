"""A client without `documentChanges`: edits arrive as the `changes` map, new files are kept.

Each recorded client is stripped of `workspace.workspaceEdit.documentChanges`,
resource operations and change annotations, then runs the real agent.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.e2e.agent import (
    CALC,
    CALC_FIXED,
    FIX_SCRIPT,
    TESTS,
    code_actions,
    done,
    span,
    start,
    tool,
)
from tests.e2e.editor import Editor

DELETE_OLD = "--- a/old.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-obsolete\n"

EVERY_KIND = [
    FIX_SCRIPT[0],
    tool("create", path="test_calc.py", file_text=TESTS),
    tool("str_replace", path="closed.py", old_str="y = 1", new_str="y = 2"),
    tool("apply_patch", patch=DELETE_OLD),
    done("fixed, tested, cleaned up"),
]
"""A run that edits an open and a closed file, creates one and deletes one."""


def plain_editor(editor: Editor) -> Editor:
    """The same editor, minus `documentChanges` support."""
    editor.document_changes = False
    return editor


async def test_text_edits_use_the_changes_map_and_new_and_deleted_files_are_kept(
    editor: Editor, tmp_path: Path
) -> None:
    for name, text in {"calc.py": CALC, "closed.py": "y = 1\n", "old.py": "obsolete\n"}.items():
        (tmp_path / name).write_text(text)
    await start(plain_editor(editor), tmp_path, EVERY_KIND, edits={"mode": "confirm"})
    uri = editor.open(tmp_path / "calc.py", CALC)
    result = await editor.execute("trae.fixFile", {"uri": uri})
    assert result["applied"] is True, "confirm needs annotations: it falls back to review"
    (edit,) = editor.applied_edits
    assert edit.document_changes is None and edit.change_annotations is None
    assert edit.changes is not None and set(edit.changes) == {(tmp_path / "closed.py").as_uri()}
    assert result["reviewed"] == [uri]
    assert (tmp_path / "closed.py").read_text() == "y = 2\n"
    assert not (tmp_path / "test_calc.py").exists() and (tmp_path / "old.py").exists()
    (warning,) = editor.client.messages
    assert "new file(s) test_calc.py" in warning.message and "trae.showProposal" in warning.message
    assert "deleting old.py" in warning.message
    titles = [a.title for a in await code_actions(editor, uri, span(0, 0, 0, 0))]
    assert "Trae: show kept proposal for test_calc.py" in titles
    assert "Trae: discard kept proposal for old.py" in titles
    test_uri = (tmp_path / "test_calc.py").as_uri()
    assert await editor.execute("trae.showProposal", {"uri": test_uri}) is True
    assert (tmp_path / ".trae" / "proposals" / "test_calc.py").read_text() == TESTS


async def test_accepted_hunks_use_the_changes_map(editor: Editor, tmp_path: Path) -> None:
    await start(plain_editor(editor), tmp_path, FIX_SCRIPT)
    uri = editor.open(tmp_path / "calc.py", CALC)
    assert (await editor.execute("trae.fixFile", {"uri": uri}))["reviewed"] == [uri]
    await editor.execute("trae.acceptAll", {"uri": uri})
    assert editor.text(uri) == CALC_FIXED
    (edit,) = editor.applied_edits
    assert edit.document_changes is None and edit.changes is not None
    (edits,) = edit.changes.values()
    assert list(edits) == [types.TextEdit(range=span(4, 18, 4, 22), new_text="")]
