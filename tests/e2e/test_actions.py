"""Code actions listed instantly, then run through the real agent with a scripted model."""

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
    run_action,
    span,
    start,
    tool,
)
from tests.e2e.editor import Editor


async def test_actions_are_named_after_the_symbol_and_fix_file_applies(
    editor: Editor, tmp_path: Path
) -> None:
    await start(editor, tmp_path, FIX_SCRIPT, edits={"mode": "apply"})
    (tmp_path / "calc.py").write_text(CALC)
    uri = editor.open(tmp_path / "calc.py", CALC)
    problem = types.Diagnostic(
        range=span(4, 11, 4, 22), message="off by one", code="E999", source="lint"
    )
    listed = await code_actions(editor, uri, span(4, 4, 4, 4), [problem])
    titles = [a.title for a in listed]
    assert titles[:6] == [
        "Trae: fix 'E999 off by one'",
        "Trae: refactor `total`",
        "Trae: document `total`",
        "Trae: explain `total`",
        "Trae: add tests for `total`",
        "Trae: add tests for this file",
    ]
    (fix_all,) = await code_actions(editor, uri, span(0, 0, 0, 0), only=["source.fixAll"])
    assert fix_all.title == "Trae: fix file"
    result = await run_action(editor, fix_all)
    assert result["status"] == "completed"
    assert result["applied"] is True
    assert editor.text(uri) == CALC_FIXED
    assert (tmp_path / "calc.py").read_text() == CALC, "propose mode leaves the disk alone"


async def test_add_tests_creates_a_test_file(editor: Editor, tmp_path: Path) -> None:
    script = [tool("create", path="test_calc.py", file_text=TESTS), done("tests added")]
    await start(editor, tmp_path, script, edits={"mode": "apply"})
    (tmp_path / "calc.py").write_text(CALC)
    uri = editor.open(tmp_path / "calc.py", CALC)
    listed = await code_actions(editor, uri, span(4, 4, 4, 4), only=["source"])
    (action,) = [a for a in listed if a.title == "Trae: add tests for `total`"]
    result = await run_action(editor, action)
    assert result["applied"] is True
    assert (tmp_path / "test_calc.py").read_text() == TESTS
    assert any(
        isinstance(c, types.CreateFile)
        for edit in editor.applied_edits
        for c in edit.document_changes or []
    )


async def test_crlf_document_is_fixed_with_crlf_kept(editor: Editor, tmp_path: Path) -> None:
    await start(editor, tmp_path, FIX_SCRIPT, edits={"mode": "apply"})
    crlf = CALC.replace("\n", "\r\n")
    (tmp_path / "calc.py").write_bytes(crlf.encode())
    uri = editor.open(tmp_path / "calc.py", crlf)
    result = await editor.execute("trae.fixFile", {"uri": uri})
    assert result["applied"] is True
    assert editor.text(uri) == CALC_FIXED.replace("\n", "\r\n")
