"""A real agent run whose change collides with the user's typing: the proposal is kept.

The run waits on the shell confirmation dialog (`Pause`) while the user edits the
very line the agent is about to fix; then the proposal is kept, retried (merged,
or reviewed where it still overlaps), shown from `.trae/proposals/`, or discarded.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lsprotocol import types

from tests.e2e.agent import (
    CALC,
    CALC_FIXED,
    FIX_SCRIPT,
    PAUSE,
    Pause,
    code_actions,
    confirming_project,
    run_action,
    span,
    start,
)
from tests.e2e.editor import Editor

PENDING = "trae/pendingChanges"
ONE = span(4, 21, 4, 22)
"""The `1` of `return sum(xs) - 1`, the line the agent fixes."""


async def conflicted_run(editor: Editor, tmp_path: Path, **settings: Any) -> tuple[str, Any]:
    """Fix `calc.py` while the user changes `- 1` into `- 2`; (uri, the run's result)."""
    project = confirming_project(tmp_path, {"calc.py": CALC})
    await start(editor, project, [PAUSE, *FIX_SCRIPT], **settings)
    pause = Pause(editor)
    editor.record(PENDING)
    uri = editor.open(project / "calc.py", CALC)
    running = asyncio.ensure_future(editor.execute("trae.fixFile", {"uri": uri}))
    await pause.asked.wait()
    editor.type(uri, ONE, "2")
    pause.released.set()
    return uri, await running


async def test_conflict_is_kept_and_retry_reviews_what_still_overlaps(
    editor: Editor, tmp_path: Path
) -> None:
    uri, result = await conflicted_run(editor, tmp_path)
    assert (result["applied"], result["reviewed"], result["conflicts"]) == (False, [], ["calc.py"])
    assert result["kept"] == [uri]
    mine = CALC.replace("- 1", "- 2")
    assert editor.text(uri) == mine and not editor.applied_edits
    (warning,) = [m for m in editor.client.messages if m.type == types.MessageType.Warning]
    assert "calc.py (lines 5-5)" in warning.message and "trae.retryProposal" in warning.message
    titles = [a.title for a in await code_actions(editor, uri, span(0, 0, 0, 0))]
    assert "Trae: retry kept proposal for calc.py" in titles
    retried = await editor.execute("trae.retryProposal", {"uri": uri})
    assert retried == {"applied": False, "reviewed": [uri], "conflicts": [], "kept": []}
    pending = editor.notifications[PENDING][-1]
    assert [(h.oldText, h.newText) for h in pending.hunks] == [
        ("    return sum(xs) - 2\n", "    return sum(xs)\n")
    ]
    assert editor.text(uri) == mine
    await editor.execute("trae.acceptAll", {"uri": uri})
    assert editor.text(uri) == CALC_FIXED
    titles = [a.title for a in await code_actions(editor, uri, span(0, 0, 0, 0))]
    assert not [t for t in titles if "kept proposal" in t]


async def test_retry_after_the_overlap_is_gone_delivers_in_the_edit_mode(
    editor: Editor, tmp_path: Path
) -> None:
    uri, _ = await conflicted_run(editor, tmp_path, edits={"mode": "apply"})
    editor.type(uri, ONE, "1")
    editor.type(uri, span(0, 0, 0, 0), "# mine\n")
    listed = await code_actions(editor, uri, span(1, 0, 1, 0))
    retry = next(a for a in listed if a.title == "Trae: retry kept proposal for calc.py")
    result = await run_action(editor, retry)
    assert result == {"applied": True, "reviewed": [], "conflicts": [], "kept": []}
    assert editor.text(uri) == "# mine\n" + CALC_FIXED
    (edit,) = editor.applied_edits
    assert edit.document_changes is not None
    (change,) = edit.document_changes
    assert isinstance(change, types.TextDocumentEdit) and change.text_document.version == 4


async def test_show_opens_the_kept_proposal_and_discard_forgets_it(
    editor: Editor, tmp_path: Path
) -> None:
    uri, _ = await conflicted_run(editor, tmp_path)
    assert await editor.execute("trae.showProposal", {"uri": uri}) is True
    (shown,) = editor.client.shown_documents
    proposal = tmp_path / ".trae" / "proposals" / "calc.py"
    assert shown.uri == proposal.as_uri() and shown.take_focus is True
    assert proposal.read_text() == CALC_FIXED
    assert (proposal.parent / ".gitignore").read_text().endswith("*\n")
    assert await editor.execute("trae.discardProposal", {"uri": uri}) is True
    assert await editor.execute("trae.showProposal", {"uri": uri}) is False
    assert "no kept proposal for calc.py" in editor.client.messages[-1].message
    assert editor.text(uri) == CALC.replace("- 1", "- 2")


async def test_retry_of_a_closed_file_edits_it_on_disk(editor: Editor, tmp_path: Path) -> None:
    uri, _ = await conflicted_run(editor, tmp_path, edits={"mode": "apply"})
    editor.close(uri)  # the user's "- 2" was never saved: the file on disk is the agent's base
    result = await editor.execute("trae.retryProposal", {"uri": uri})
    assert result == {"applied": True, "reviewed": [], "conflicts": [], "kept": []}
    assert (tmp_path / "calc.py").read_text() == CALC_FIXED
    (edit,) = editor.applied_edits
    assert edit.document_changes is not None
    (change,) = edit.document_changes
    assert isinstance(change, types.TextDocumentEdit) and change.text_document.version is None
