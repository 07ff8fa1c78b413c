"""On-save suggestions: one model call per saved content, findings as diagnostics with fixes."""

from __future__ import annotations

import json
from pathlib import Path

from lsprotocol import types

from tests.e2e.agent import CALC, CALC_FIXED, code_actions, span, start, write_script
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

MEAN = CALC + "\n\ndef mean(xs):\n    return total(xs) / len(xs)\n"
"""`calc.py` with a second function (lines 8-9)."""

SECOND_REVIEW = [
    {"line": 5, "code": "outside", "message": "total was not changed: not reviewed again"},
    {"line": 9, "code": "zero-division", "message": "mean fails on an empty list"},
]
"""The answer to the review after `mean` changed: one finding outside, one inside it."""


async def trae_diagnostics(
    editor: Editor, uri: str, code: str = "off-by-one"
) -> list[types.Diagnostic]:
    """Wait for diagnostics from `trae` on `uri`, one of them with `code`."""
    while not [d for d in editor.client.diagnostics.get(uri, []) if d.code == code]:
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


async def test_changed_symbols_scope_reviews_only_the_changed_definitions(
    editor: Editor, tmp_path: Path
) -> None:
    scope = {"enabled": True, "scope": "changed-symbols"}
    await start(editor, tmp_path, [json.dumps(FINDINGS)], suggestions=scope)
    (tmp_path / "calc.py").write_text(MEAN)
    uri = editor.open(tmp_path / "calc.py", MEAN)
    editor.save(uri)
    await trae_diagnostics(editor, uri)
    write_script(tmp_path, [json.dumps(SECOND_REVIEW)])
    editor.type(uri, span(8, 23, 8, 30), "max(len(xs), 1)")
    editor.save(uri)
    found = await trae_diagnostics(editor, uri, "zero-division")
    assert [(d.code, d.range.start.line) for d in found] == [
        ("off-by-one", 4),
        ("zero-division", 8),
    ]
    while len(reviews := reviewed(editor)) < 2:
        await editor.client.wait_for_notification(types.WINDOW_LOG_MESSAGE)
    assert reviews == [f"{REVIEWED}: 1 suggestion(s)"] * 2


def reviewed(editor: Editor) -> list[str]:
    """The log lines of the reviews done so far."""
    return [m.message for m in editor.client.log_messages if m.message.startswith(REVIEWED)]
