"""Minimal text edits and versioned WorkspaceEdits, asserted exactly (range and new text)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from trae_lsp.server.edits import (
    ProposedChange,
    Splice,
    lsp_text_edits,
    lsp_workspace_edit,
    match_line_endings,
    proposed_changes,
    text_splices,
)
from trae_lsp.workspace import ChangeSet, FileChange


def edit(sl: int, sc: int, el: int, ec: int, text: str) -> types.TextEdit:
    return types.TextEdit(
        range=types.Range(
            start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec)
        ),
        new_text=text,
    )


def apply(text: str, splices: list[Splice]) -> str:
    for s in reversed(splices):
        text = text[: s.start] + s.text + text[s.end :]
    return text


def test_no_change_gives_no_edits() -> None:
    assert lsp_text_edits("a\nb\n", "a\nb\n") == []


def test_one_word_changed_in_the_middle_touches_only_that_word() -> None:
    old = "def f():\n    return x\n\nprint(f())\n"
    new = "def f():\n    return y\n\nprint(f())\n"
    assert lsp_text_edits(old, new) == [edit(1, 11, 1, 12, "y")]


def test_separate_changes_become_separate_edits() -> None:
    old = "a = 1\nb = 2\nc = 3\nd = 4\n"
    new = "a = 10\nb = 2\nc = 3\nd = 40\ne = 5\n"
    assert lsp_text_edits(old, new) == [edit(0, 5, 0, 5, "0"), edit(3, 5, 3, 5, "0\ne = 5")]


def test_inserted_and_deleted_lines() -> None:
    assert lsp_text_edits("a\nc\n", "a\nb\nc\n") == [edit(1, 0, 1, 0, "b\n")]
    assert lsp_text_edits("a\nb\nc\n", "a\nc\n") == [edit(1, 0, 2, 0, "")]


def test_missing_final_newline_ends_inside_the_last_line() -> None:
    assert lsp_text_edits("a\nb", "a\nbc") == [edit(1, 1, 1, 1, "c")]
    assert lsp_text_edits("a\nb", "a") == [edit(0, 1, 1, 1, "")]
    assert lsp_text_edits("", "new\n") == [edit(0, 0, 0, 0, "new\n")]


@pytest.mark.parametrize(
    ("encoding", "start", "end"),
    [("utf-16", 10, 12), ("utf-8", 12, 18), ("utf-32", 9, 11)],
)
def test_columns_after_emoji_and_cjk_follow_the_encoding(
    encoding: str, start: int, end: int
) -> None:
    old = 'msg = "😋 名前"\n'
    new = 'msg = "😋 氏名"\n'
    assert lsp_text_edits(old, new, encoding) == [edit(0, start, 0, end, "氏名")]


def test_emoji_on_an_earlier_line_does_not_shift_later_columns() -> None:
    old = "# 🎉🎉\nvalue = 1\n"
    new = "# 🎉🎉\nvalue = 2\n"
    for encoding in ("utf-16", "utf-8"):
        assert lsp_text_edits(old, new, encoding) == [edit(1, 8, 1, 9, "2")]


def test_replacing_an_emoji_counts_its_units() -> None:
    old = "a😋b\n"
    new = "a😀b\n"
    assert lsp_text_edits(old, new, "utf-16") == [edit(0, 1, 0, 3, "😀")]
    assert lsp_text_edits(old, new, "utf-8") == [edit(0, 1, 0, 5, "😀")]


def test_crlf_file_edits_keep_crlf_intact() -> None:
    old = "a\r\nb\r\nc\r\n"
    new = "a\r\nB\r\nc\r\nd\r\n"
    assert lsp_text_edits(old, new) == [edit(1, 0, 1, 1, "B"), edit(3, 0, 3, 0, "d\r\n")]


def test_never_splits_a_crlf_pair() -> None:
    old = "a\r\nb\r\n"
    new = "a\r\r\nb\r\n"
    splices = text_splices(old, new)
    assert apply(old, splices) == new
    for s in splices:
        assert old[s.start - 1 : s.start + 1] != "\r\n"
        assert old[s.end - 1 : s.end + 1] != "\r\n"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", ""),
        ("x", ""),
        ("a\nb\nc\n", "c\nb\na\n"),
        ("one\ntwo\nthree", "zero\none\ntwo\nthree\nfour"),
        ("😋\n名前\r\nz", "😋😋\n名\r\nz\r\n"),
        ("a\rb\rc", "a\rB\rc\r"),
    ],
)
def test_splices_rebuild_the_new_text(old: str, new: str) -> None:
    assert apply(old, text_splices(old, new)) == new


def test_match_line_endings_follows_the_document() -> None:
    assert match_line_endings("a\nb\r\nc", "x\r\ny") == "a\r\nb\r\nc"
    assert match_line_endings("a\r\nb", "x\ny") == "a\nb"
    assert match_line_endings("a\nb", "no break") == "a\nb"


def uri(path: Path) -> str:
    return path.as_uri()


def test_workspace_edit_versions_create_and_delete(tmp_path: Path) -> None:
    changed = ProposedChange(tmp_path / "m.py", "x = 1\n", "x = 2\n", version=7)
    closed = ProposedChange(tmp_path / "c.py", "y\n", "z\n")
    created = ProposedChange(tmp_path / "test_m.py", "", "def test():\n    pass\n", created=True)
    deleted = ProposedChange(tmp_path / "old.py", "gone\n", "", deleted=True)
    result = lsp_workspace_edit([changed, closed, created, deleted])
    assert result.change_annotations is None
    assert result.document_changes == [
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri=uri(changed.path), version=7
            ),
            edits=[edit(0, 4, 0, 5, "2")],
        ),
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri=uri(closed.path), version=None
            ),
            edits=[edit(0, 0, 0, 1, "z")],
        ),
        types.CreateFile(
            uri=uri(created.path),
            options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False),
        ),
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri=uri(created.path), version=None
            ),
            edits=[edit(0, 0, 0, 0, "def test():\n    pass\n")],
        ),
        types.DeleteFile(uri=uri(deleted.path)),
    ]


def test_workspace_edit_skips_unchanged_and_keeps_crlf(tmp_path: Path) -> None:
    same = ProposedChange(tmp_path / "same.py", "a\n", "a\n", version=1)
    temp = ProposedChange(tmp_path / "tmp.py", "", "", created=True, deleted=True)
    crlf = ProposedChange(tmp_path / "w.py", "a\r\nb\r\n", "a\nb\nc\n", version=3)
    result = lsp_workspace_edit([same, temp, crlf])
    assert result.document_changes == [
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri=uri(crlf.path), version=3
            ),
            edits=[edit(2, 0, 2, 0, "c\r\n")],
        )
    ]


def test_confirm_mode_annotates_every_change(tmp_path: Path) -> None:
    changed = ProposedChange(tmp_path / "m.py", "x = 1\n", "x = 2\n", version=2)
    created = ProposedChange(tmp_path / "n.py", "", "n\n", created=True)
    result = lsp_workspace_edit([changed, created], confirm_label="Trae: fix file")
    assert result.change_annotations == {
        uri(changed.path): types.ChangeAnnotation(
            label="Trae: fix file", needs_confirmation=True, description="edit m.py"
        ),
        uri(created.path): types.ChangeAnnotation(
            label="Trae: fix file", needs_confirmation=True, description="create n.py"
        ),
    }
    assert result.document_changes is not None
    first, create, fill = result.document_changes
    assert isinstance(first, types.TextDocumentEdit)
    assert first.edits == [
        types.AnnotatedTextEdit(
            range=edit(0, 4, 0, 5, "").range, new_text="2", annotation_id=uri(changed.path)
        )
    ]
    assert isinstance(create, types.CreateFile)
    assert create.annotation_id == uri(created.path)
    assert isinstance(fill, types.TextDocumentEdit)
    assert [e.annotation_id for e in fill.edits if isinstance(e, types.AnnotatedTextEdit)] == [
        uri(created.path)
    ]


def test_workspace_change_set_becomes_proposed_changes(tmp_path: Path) -> None:
    change_set = ChangeSet(
        (
            FileChange("pkg/m.py", "a\n", "b\n", False, False, "diff", version=3),
            FileChange("pkg/new.py", None, "n\n", True, False, "diff"),
            FileChange("old.py", "o\n", None, False, True, "diff"),
        )
    )
    assert proposed_changes(change_set, tmp_path) == [
        ProposedChange(tmp_path / "pkg/m.py", "a\n", "b\n", version=3),
        ProposedChange(tmp_path / "pkg/new.py", "", "n\n", created=True),
        ProposedChange(tmp_path / "old.py", "o\n", "", deleted=True),
    ]
