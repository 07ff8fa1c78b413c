"""Rebasing the agent's change onto text the user edited meanwhile."""

from __future__ import annotations

from pathlib import Path

from trae_lsp.server.edits import ProposedChange
from trae_lsp.server.rebase import (
    ConflictHunk,
    OpenDocument,
    RebaseConflict,
    Rebased,
    merge_preferring_agent,
    rebase,
    rebase_changes,
)

BASE = "import os\n\ndef area(r):\n    return 3.14 * r * r\n\ndef main():\n    print(area(2))\n"
AGENT = BASE.replace("3.14 * r * r", "math.pi * r ** 2").replace("import os", "import math")


def test_untouched_buffer_takes_the_agents_text() -> None:
    assert rebase(BASE, AGENT, BASE) == Rebased(AGENT)


def test_no_agent_change_keeps_the_users_text() -> None:
    current = BASE + "# note\n"
    assert rebase(BASE, BASE, current) == Rebased(current)


def test_user_edits_elsewhere_are_kept_and_the_agents_change_replayed() -> None:
    current = BASE.replace("print(area(2))", "print(area(3))") + "\nmain()\n"
    expected = AGENT.replace("print(area(2))", "print(area(3))") + "\nmain()\n"
    assert rebase(BASE, AGENT, current) == Rebased(expected)


def test_user_inserted_lines_above_shift_the_agents_hunk() -> None:
    current = '"""Geometry."""\n\n' + BASE
    agent = BASE.replace("print(area(2))", "print(area(2.5))")
    assert rebase(BASE, agent, current) == Rebased('"""Geometry."""\n\n' + agent)


def test_user_deleted_lines_above_shift_the_agents_hunk_up() -> None:
    current = BASE.replace("import os\n\n", "")
    agent = BASE.replace("print(area(2))", "print(area(2.5))")
    assert rebase(BASE, agent, current) == Rebased(agent.replace("import os\n\n", ""))


def test_overlapping_edit_is_a_conflict_listing_the_hunk() -> None:
    current = BASE.replace("3.14 * r * r", "3.14159 * r * r")
    result = rebase(BASE, AGENT, current)
    assert result == RebaseConflict(
        [
            ConflictHunk(
                base_start=3,
                base_end=4,
                base_text="    return 3.14 * r * r\n",
                agent_text="    return math.pi * r ** 2\n",
                current_text="    return 3.14159 * r * r\n",
            )
        ]
    )


def test_insertions_at_the_same_place_conflict() -> None:
    base = "a\nb\n"
    result = rebase(base, "a\nagent\nb\n", "a\nuser\nb\n")
    assert isinstance(result, RebaseConflict)
    assert result.hunks == [ConflictHunk(1, 1, "", "agent\n", "user\n")]


def test_adjacent_changed_lines_do_not_conflict() -> None:
    base = "a\nb\nc\n"
    assert rebase(base, "a\nB\nc\n", "a\nb\nC\n") == Rebased("a\nB\nC\n")


def test_crlf_and_missing_final_newline() -> None:
    base = "one\r\ntwo\r\nthree"
    agent = "one\r\ntwo\r\nthree\r\nfour"
    current = "ONE\r\ntwo\r\nthree"
    assert rebase(base, agent, current) == Rebased("ONE\r\ntwo\r\nthree\r\nfour")


def test_only_the_overlapping_hunk_is_reported() -> None:
    current = BASE.replace("import os", "import sys")
    result = rebase(BASE, AGENT, current)
    assert isinstance(result, RebaseConflict)
    assert result.hunks == [ConflictHunk(0, 1, "import os\n", "import math\n", "import sys\n")]


def test_rebase_changes_against_the_open_buffers(tmp_path: Path) -> None:
    moved_on = tmp_path / "moved.py"
    clashing = tmp_path / "clash.py"
    untouched = tmp_path / "same.py"
    closed = tmp_path / "closed.py"
    created = tmp_path / "new.py"
    buffers = {
        moved_on: OpenDocument(5, BASE + "main()\n"),
        clashing: OpenDocument(3, BASE.replace("3.14", "3.1416")),
        untouched: OpenDocument(2, BASE),
        created: OpenDocument(1, "not what the agent saw\n"),
    }
    changes = [
        ProposedChange(moved_on, BASE, AGENT, version=4),
        ProposedChange(clashing, BASE, AGENT, version=2),
        ProposedChange(untouched, BASE, AGENT, version=2),
        ProposedChange(closed, BASE, AGENT),
        ProposedChange(created, "", "x = 1\n", created=True),
    ]
    ready, conflicts = rebase_changes(changes, buffers.get)
    assert ready == [
        ProposedChange(moved_on, BASE + "main()\n", AGENT + "main()\n", version=5),
        changes[2],
        changes[3],
        changes[4],
    ]
    assert [(c.change, [h.base_start for h in c.hunks]) for c in conflicts] == [(changes[1], [3])]


def test_insertions_at_the_edges_of_a_change_are_placed_around_it() -> None:
    base = "a\nb\nc\n"
    assert rebase(base, "a\nB\nc\n", "a\ntop\nb\nbottom\nc\n") == Rebased("a\ntop\nB\nbottom\nc\n")
    assert rebase(base, "a\nx\nb\nc\n", "a\nB\nc\n") == Rebased("a\nx\nB\nc\n")
    assert rebase(base, "A\nb\nc\n", "top\na\nb\nc\n") == Rebased("top\nA\nb\nc\n")


def test_insertion_strictly_inside_a_replaced_block_conflicts() -> None:
    base = "a\nb\nc\nd\n"
    result = rebase(base, "a\nB\nC\nd\n", "a\nb\nnew\nc\nd\n")
    assert isinstance(result, RebaseConflict)


def test_merge_preferring_agent_keeps_the_users_other_edits_and_the_agents_lines() -> None:
    current = BASE.replace("3.14 * r * r", "3.14159 * r * r").replace("area(2)", "area(3)")
    merged = merge_preferring_agent(BASE, AGENT, current)
    assert merged == AGENT.replace("area(2)", "area(3)")


def test_merge_preferring_agent_without_conflicts_equals_the_rebase() -> None:
    current = '"""Geometry."""\n\n' + BASE
    assert Rebased(merge_preferring_agent(BASE, AGENT, current)) == rebase(BASE, AGENT, current)
