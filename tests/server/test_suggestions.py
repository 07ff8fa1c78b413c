"""Findings from the model's answer, as diagnostics and quick fixes, in the client's units."""

from __future__ import annotations

from lsprotocol import types

from trae_lsp.server.edit_support import EditSupport
from trae_lsp.server.suggestions import (
    content_hash,
    lsp_diagnostics,
    parse_findings,
    quick_fixes,
    review_prompt,
)
from trae_lsp.server.symbol_worker import parse_document

TEXT = 'def f(x):\n    return x - 1\r\n\ns = "😋"\n'


def test_findings_are_read_from_a_fenced_answer_and_bad_answers_give_none() -> None:
    answer = 'Here:\n```json\n[{"line": 2, "message": "off by one", "replacement": "x"}]\n```'
    (finding,) = parse_findings(answer)
    assert (finding.line, finding.code, finding.replacement) == (2, "suggestion", "x")
    assert parse_findings("no findings") == []
    assert parse_findings('[{"line": 0, "message": "bad line"}]') == []


def test_diagnostics_cover_whole_lines_and_skip_lines_past_the_end() -> None:
    findings = parse_findings(
        '[{"line": 2, "message": "m", "code": "c", "replacement": "    return x\\r\\n"},'
        ' {"line": 4, "end_line": 9, "message": "last"}, {"line": 40, "message": "gone"}]'
    )
    first, last = lsp_diagnostics(findings, TEXT, 3, types.PositionEncodingKind.Utf16)
    assert first.range == types.Range(
        start=types.Position(line=1, character=0), end=types.Position(line=2, character=0)
    )
    assert last.range.end == types.Position(line=4, character=0)
    (fix,) = quick_fixes("file:///m.py", [first, last], 3, EditSupport(True, True, True, True))
    assert fix.edit is not None and fix.edit.document_changes is not None
    (change,) = fix.edit.document_changes
    assert isinstance(change, types.TextDocumentEdit) and change.text_document.version == 3
    (plain,) = quick_fixes("file:///m.py", [first], 3, EditSupport(False, False, False, False))
    assert plain.edit is not None and plain.edit.document_changes is None
    assert plain.edit.changes == {"file:///m.py": list(change.edits)}


def test_prompt_numbers_lines_and_lists_definitions() -> None:
    prompt = review_prompt("m.py", TEXT, parse_document("m.py", TEXT.encode()))
    assert "- f (line 1): def f(x):" in prompt and "    2      return x - 1" in prompt
    assert content_hash(TEXT) != content_hash(TEXT + " ")
