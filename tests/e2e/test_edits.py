"""A real agent run's changes reach the editor as versioned WorkspaceEdits in each edit mode.

Conflicts are covered in `test_conflicts`, confirm mode in `test_agent_modes`,
clients without `documentChanges` in `test_plain_edits`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from tests.e2e.agent import (
    CALC,
    CALC_FIXED,
    FIX_SCRIPT,
    PAUSE,
    TESTS,
    Pause,
    confirming_project,
    done,
    span,
    start,
    tool,
)
from tests.e2e.editor import Editor

EVERY_KIND = [
    FIX_SCRIPT[0],
    tool("create", path="test_calc.py", file_text=TESTS),
    tool("str_replace", path="closed.py", old_str="y = 1", new_str="y = 2"),
    tool("apply_patch", patch="--- a/old.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-obsolete\n"),
    done("fixed, tested, cleaned up"),
]
"""A run that edits an open and a closed file, creates one and deletes one."""


def versions(edit: types.WorkspaceEdit) -> dict[str, int | None]:
    """The version each `TextDocumentEdit` of `edit` is for, by file name."""
    return {
        Path(c.text_document.uri).name: c.text_document.version
        for c in edit.document_changes or []
        if isinstance(c, types.TextDocumentEdit)
    }


async def test_apply_mode_edits_creates_and_deletes_files(editor: Editor, tmp_path: Path) -> None:
    for name, text in {"calc.py": CALC, "closed.py": "y = 1\n", "old.py": "obsolete\n"}.items():
        (tmp_path / name).write_text(text)
    await start(editor, tmp_path, EVERY_KIND, **{"trae.edits.mode": "apply"})
    uri = editor.open(tmp_path / "calc.py", CALC)
    result = await editor.execute("trae.fixFile", {"uri": uri})
    assert (result["applied"], result["reviewed"], result["conflicts"]) == (True, [], [])
    assert editor.text(uri) == CALC_FIXED
    assert (tmp_path / "test_calc.py").read_text() == TESTS
    assert (tmp_path / "closed.py").read_text() == "y = 2\n"
    assert not (tmp_path / "old.py").exists()
    (edit,) = editor.applied_edits
    assert versions(edit) == {"calc.py": 1, "test_calc.py": None, "closed.py": None}
    assert edit.change_annotations is None


async def test_stale_change_is_rebased_onto_the_users_typing(
    editor: Editor, tmp_path: Path
) -> None:
    project = confirming_project(tmp_path, {"calc.py": CALC})
    await start(editor, project, [PAUSE, *FIX_SCRIPT], edits={"mode": "apply"})
    pause = Pause(editor)
    uri = editor.open(project / "calc.py", CALC)
    running = asyncio.ensure_future(editor.execute("trae.fixFile", {"uri": uri}))
    await pause.asked.wait()
    editor.type(uri, span(5, 0, 5, 0), "\nprint(total([1]))\n")
    pause.released.set()
    assert (await running)["applied"] is True
    assert editor.text(uri) == CALC_FIXED + "\nprint(total([1]))\n"
    assert versions(editor.applied_edits[0]) == {"calc.py": 2}


async def test_review_mode_reviews_open_files_and_creates_new_ones(
    editor: Editor, tmp_path: Path
) -> None:
    (tmp_path / "calc.py").write_text(CALC)
    script = [FIX_SCRIPT[0], tool("create", path="test_calc.py", file_text=TESTS), done()]
    await start(editor, tmp_path, script)
    uri = editor.open(tmp_path / "calc.py", CALC)
    result = await editor.execute("trae.addTests", {"uri": uri})
    assert (result["applied"], result["reviewed"], result["conflicts"]) == (True, [uri], [])
    assert editor.text(uri) == CALC
    assert (tmp_path / "test_calc.py").read_text() == TESTS
    (hint,) = editor.client.diagnostics[uri]
    assert hint.range == span(4, 0, 5, 0) and hint.source == "trae"
