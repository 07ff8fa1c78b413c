"""Pending hunks: split, accept/reject one or all, follow the user's edits, LSP payloads."""

from __future__ import annotations

import itertools

import pytest
from lsprotocol import types
from pygls.protocol import default_converter

from trae_lsp.server.edits import Splice
from trae_lsp.server.review import (
    ACCEPT_ALL,
    ACCEPT_HUNK,
    REJECT_ALL,
    REJECT_HUNK,
    Hunk,
    HunkRef,
    PendingChanges,
    ReviewStore,
    UnknownHunkError,
    lsp_code_actions,
    lsp_code_lenses,
    lsp_diagnostics,
    lsp_pending_changes,
    shift_hunk,
    splices_from_content_changes,
    split_hunks,
)

URI = "file:///p/m.py"
TEXT = "import os\n\ndef f(x):\n    return x + 1\n\nprint(f(2))\n"
RETURN = TEXT.index("    return")
PROPOSED = "import os\nimport sys\n\ndef f(x):\n    return x + 2\n\nprint(f(2))\n"


def rng(sl: int, sc: int, el: int, ec: int) -> types.Range:
    return types.Range(
        start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec)
    )


def pending() -> PendingChanges:
    return PendingChanges(URI, 4, TEXT, PROPOSED, itertools.count(1))


def only_edits(edit: types.WorkspaceEdit | None) -> tuple[int | None, list[types.TextEdit]]:
    assert edit is not None and edit.document_changes is not None
    (document_edit,) = edit.document_changes
    assert isinstance(document_edit, types.TextDocumentEdit)
    assert document_edit.text_document.uri == URI
    edits = [e for e in document_edit.edits if isinstance(e, types.TextEdit)]
    return document_edit.text_document.version, edits


def apply_splices(text: str, splices: list[Splice]) -> str:
    for s in splices:
        text = text[: s.start] + s.text + text[s.end :]
    return text


def test_split_into_line_hunks_anchored_in_the_current_text() -> None:
    hunks = split_hunks(TEXT, PROPOSED, itertools.count(1))
    assert hunks == [
        Hunk("1", 10, 10, "", "import sys\n"),
        Hunk("2", RETURN, RETURN + 17, "    return x + 1\n", "    return x + 2\n"),
    ]


def test_accepting_one_hunk_gives_the_minimal_edit_for_it_only() -> None:
    changes = pending()
    version, edits = only_edits(changes.accept("2"))
    assert version == 4
    assert edits == [types.TextEdit(range=rng(3, 15, 3, 16), new_text="2")]
    assert [h.id for h in changes.hunks] == ["1"]


def test_accept_all_and_reject_all() -> None:
    changes = pending()
    version, edits = only_edits(changes.accept_all())
    assert version == 4
    assert edits == [
        types.TextEdit(range=rng(1, 0, 1, 0), new_text="import sys\n"),
        types.TextEdit(range=rng(3, 15, 3, 16), new_text="2"),
    ]
    assert changes.hunks == [] and changes.accept_all() is None
    other = pending()
    other.reject_all()
    assert other.hunks == []


def test_rejecting_a_hunk_leaves_the_others() -> None:
    changes = pending()
    changes.reject("1")
    assert [h.id for h in changes.hunks] == ["2"]
    with pytest.raises(UnknownHunkError, match=r"'1'.*already accepted, rejected"):
        changes.accept("1")


def test_hunks_shift_when_the_user_edits_above() -> None:
    changes = pending()
    typed_at_top = Splice(0, 0, "# header\n")
    changes.follow([typed_at_top], 5)
    assert changes.text == "# header\n" + TEXT and changes.version == 5
    version, edits = only_edits(changes.accept("2"))
    assert version == 5
    assert edits == [types.TextEdit(range=rng(4, 15, 4, 16), new_text="2")]


def test_hunks_below_an_edit_after_them_stay_put() -> None:
    changes = pending()
    changes.follow([Splice(len(TEXT), len(TEXT), "main()\n")], 5)
    assert [(h.start, h.end) for h in changes.hunks] == [(10, 10), (RETURN, RETURN + 17)]


def test_a_hunk_disappears_when_its_text_is_gone() -> None:
    changes = pending()
    start = TEXT.index("    return")
    changes.follow([Splice(start, start + 17, "")], 5)
    assert [h.id for h in changes.hunks] == ["1"]


def test_typing_inside_a_hunk_removes_it() -> None:
    changes = pending()
    inside = TEXT.index("x + 1") + 2
    changes.follow([Splice(inside, inside, " 0 +")], 5)
    assert [h.id for h in changes.hunks] == ["1"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (Splice(0, 2, "abc"), Hunk("h", 11, 13, "xy", "z")),
        (Splice(10, 10, "!"), Hunk("h", 11, 13, "xy", "z")),
        (Splice(11, 11, "!"), None),
        (Splice(9, 11, ""), None),
        (Splice(11, 14, ""), None),
        (Splice(10, 12, ""), None),
        (Splice(12, 12, "!"), Hunk("h", 10, 12, "xy", "z")),
        (Splice(14, 20, "~"), Hunk("h", 10, 12, "xy", "z")),
    ],
)
def test_shift_hunk_rules(change: Splice, expected: Hunk | None) -> None:
    assert shift_hunk(Hunk("h", 10, 12, "xy", "z"), change) == expected


def test_insertion_hunk_moves_with_typing_at_its_anchor_and_dies_inside_a_replacement() -> None:
    insertion = Hunk("h", 10, 10, "", "new\n")
    assert shift_hunk(insertion, Splice(10, 10, "ab")) == Hunk("h", 12, 12, "", "new\n")
    assert shift_hunk(insertion, Splice(10, 12, "")) == insertion
    assert shift_hunk(insertion, Splice(8, 12, "")) is None


def test_content_changes_become_sequential_splices_in_the_clients_units() -> None:
    text = "a😋b\nc\n"
    changes: list[types.TextDocumentContentChangeEvent] = [
        types.TextDocumentContentChangePartial(range=rng(0, 3, 0, 4), text="B"),
        types.TextDocumentContentChangePartial(range=rng(1, 0, 1, 0), text="😀"),
    ]
    splices = splices_from_content_changes(text, changes, "utf-16")
    assert splices == [Splice(2, 3, "B"), Splice(4, 4, "😀")]
    assert apply_splices(text, splices) == "a😋B\n😀c\n"
    utf8 = [types.TextDocumentContentChangePartial(range=rng(0, 5, 0, 6), text="B")]
    assert splices_from_content_changes(text, utf8, "utf-8") == [Splice(2, 3, "B")]


def test_whole_document_changes_become_minimal_sequential_splices() -> None:
    changes: list[types.TextDocumentContentChangeEvent] = [
        types.TextDocumentContentChangeWholeDocument(text="x\nY\nz\nw\n"),
        types.TextDocumentContentChangeWholeDocument(text="x\nY\nz\nw\n"),
    ]
    splices = splices_from_content_changes("x\ny\nz\n", changes)
    assert splices == [Splice(6, 6, "w\n"), Splice(2, 3, "Y")]
    assert apply_splices("x\ny\nz\n", splices) == "x\nY\nz\nw\n"


def test_follow_text_catches_up_without_the_changes() -> None:
    changes = pending()
    changes.follow_text("# top\n" + TEXT.replace("print(f(2))", "print(f(3))"), 9)
    assert [(h.start, h.end) for h in changes.hunks] == [(16, 16), (RETURN + 6, RETURN + 23)]
    assert changes.version == 9


def test_crlf_document_hunks_keep_their_line_breaks() -> None:
    text = "a\r\nb\r\n"
    changes = PendingChanges(URI, 1, text, "a\nB\n", itertools.count(1))
    assert changes.hunks == [Hunk("1", 3, 6, "b\r\n", "B\r\n")]
    _, edits = only_edits(changes.accept("1"))
    assert edits == [types.TextEdit(range=rng(1, 0, 1, 1), new_text="B")]


def test_positions_follow_the_encoding_with_emoji_and_cjk() -> None:
    text = 'x = "😋"; y = "名前"\n'
    proposed = 'x = "😋"; y = "氏名"\n'
    for encoding, start, end in (("utf-16", 15, 17), ("utf-8", 17, 23)):
        changes = PendingChanges(URI, 1, text, proposed, itertools.count(1))
        assert lsp_diagnostics(changes, encoding)[0].range == rng(0, 0, 1, 0)
        _, edits = only_edits(changes.accept("1", encoding))
        assert edits == [types.TextEdit(range=rng(0, start, 0, end), new_text="氏名")]


def test_store_ids_are_unique_across_proposals_and_empty_reviews_vanish() -> None:
    store = ReviewStore()
    first = store.propose(URI, 1, TEXT, PROPOSED)
    second = store.propose(URI, 2, TEXT, PROPOSED)
    assert {h.id for h in first.hunks}.isdisjoint(h.id for h in second.hunks)
    assert store.get(URI) is second
    second.reject_all()
    assert store.get(URI) is None
    store.propose("file:///p/n.py", 1, "a\n", "b\n")
    store.discard("file:///p/n.py")
    assert store.get("file:///p/n.py") is None


def test_pending_changes_notification_payload_on_the_wire() -> None:
    wire = default_converter().unstructure(lsp_pending_changes(pending()))
    assert wire == {
        "uri": URI,
        "version": 4,
        "hunks": [
            {
                "id": "1",
                "range": {
                    "start": {"line": 1, "character": 0},
                    "end": {"line": 1, "character": 0},
                },
                "oldText": "",
                "newText": "import sys\n",
            },
            {
                "id": "2",
                "range": {
                    "start": {"line": 3, "character": 0},
                    "end": {"line": 4, "character": 0},
                },
                "oldText": "    return x + 1\n",
                "newText": "    return x + 2\n",
            },
        ],
    }


def test_diagnostics_are_trae_hints_quoting_the_change() -> None:
    first, second = lsp_diagnostics(pending())
    assert second.range == rng(3, 0, 4, 0)
    assert second.severity == types.DiagnosticSeverity.Hint
    assert (second.source, second.code) == ("trae", "pending-change")
    assert second.message.splitlines()[1:] == ["-     return x + 1", "+     return x + 2"]
    assert second.data == {"uri": URI, "hunkId": "2"}
    assert first.range == rng(1, 0, 1, 0)


def test_long_hunks_are_quoted_briefly() -> None:
    changes = PendingChanges(URI, 1, "", "".join(f"{i}\n" for i in range(20)), itertools.count())
    assert lsp_diagnostics(changes)[0].message.endswith("… 12 more lines")


def test_code_lenses_accept_and_reject_each_hunk() -> None:
    lenses = lsp_code_lenses(pending())
    assert [(lens.range.start.line, lens.command and lens.command.title) for lens in lenses] == [
        (1, "Accept"),
        (1, "Reject"),
        (3, "Accept"),
        (3, "Reject"),
    ]
    assert lenses[3].command == types.Command(
        title="Reject", command=REJECT_HUNK, arguments=[{"uri": URI, "hunkId": "2"}]
    )


def test_code_actions_for_the_hunk_under_the_cursor_and_for_all() -> None:
    actions = lsp_code_actions(pending(), rng(3, 5, 3, 5))
    assert [(a.title, a.command and a.command.command) for a in actions] == [
        ("Trae: accept hunk", ACCEPT_HUNK),
        ("Trae: reject hunk", REJECT_HUNK),
        ("Trae: accept all", ACCEPT_ALL),
        ("Trae: reject all", REJECT_ALL),
    ]
    assert actions[0].command is not None
    assert actions[0].command.arguments == [{"uri": URI, "hunkId": "2"}]
    far = lsp_code_actions(pending(), rng(5, 0, 5, 3))
    assert [a.title for a in far] == ["Trae: accept all", "Trae: reject all"]


def test_command_arguments_structure_from_camel_case() -> None:
    ref = default_converter().structure({"uri": URI, "hunkId": "2"}, HunkRef)
    assert ref == HunkRef(uri=URI, hunk_id="2")


def test_store_require_names_the_document_when_nothing_is_pending() -> None:
    store = ReviewStore()
    with pytest.raises(UnknownHunkError, match="no Trae changes are pending in file:///x"):
        store.require("file:///x")
    pending = store.propose(URI, 1, "a\n", "b\n")
    assert store.require(URI) is pending
