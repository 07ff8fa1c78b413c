"""On-save suggestions: one model call per saved content, findings as diagnostics with fixes."""

from __future__ import annotations

import json
from pathlib import Path

from lsprotocol import types

from tests.e2e.agent import CALC, CALC_FIXED, code_actions, span, start
from tests.e2e.editor import Editor
from trae_lsp.server.suggestions import UNCHANGED

FINDINGS = [
    {
        "line": 5,
        "code": "off-by-one",
        "message": "total subtracts 1 from the sum",
        "replacement": "    return sum(xs)\n",
    }
]
"""What the scripted model answers to the review."""

REVIEWED = "Trae: reviewed calc.py"


async def trae_diagnostics(editor: Editor, uri: str) -> list[types.Diagnostic]:
    """Wait for diagnostics from `trae` on `uri`."""
    while not [d for d in editor.client.diagnostics.get(uri, []) if d.code == "off-by-one"]:
        await editor.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(editor.client.diagnostics[uri])


async def test_save_publishes_findings_whose_quick_fix_applies_them(
    editor: Editor, tmp_path: Path
) -> None:
    result = await start(editor, tmp_path, [json.dumps(FINDINGS)], suggestions={"enabled": True})
    sync = result.capabilities.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert isinstance(sync.save, types.SaveOptions) and sync.save.include_text
    (tmp_path / "calc.py").write_text(CALC)
    uri = editor.open(tmp_path / "calc.py", CALC)
    editor.save(uri)
    (finding,) = await trae_diagnostics(editor, uri)
    assert finding.source == "trae" and finding.message == "total subtracts 1 from the sum"
    assert finding.range == span(4, 0, 5, 0)
    editor.save(uri)
    while not [m for m in editor.client.log_messages if m.message.startswith(UNCHANGED)]:
        await editor.client.wait_for_notification(types.WINDOW_LOG_MESSAGE)
    listed = await code_actions(editor, uri, finding.range, [finding])
    fix = listed[0]
    assert fix.title == "Trae: apply suggestion: total subtracts 1 from the sum"
    assert fix.edit is not None and editor.apply(fix.edit)
    assert editor.text(uri) == CALC_FIXED
    reviews = [m for m in editor.client.log_messages if m.message.startswith(REVIEWED)]
    assert len(reviews) == 1
    assert not [m for m in editor.client.messages if "failed" in m.message]


async def test_review_command_reviews_now(editor: Editor, tmp_path: Path) -> None:
    await start(editor, tmp_path, [json.dumps(FINDINGS)], suggestions={"trigger": "manual"})
    uri = editor.open(tmp_path / "calc.py", CALC)
    assert await editor.execute("trae.review", {"uri": uri}) == 1
    (finding,) = editor.client.diagnostics[uri]
    assert finding.code == "off-by-one"
