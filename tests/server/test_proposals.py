"""Kept proposals: the store, the user's message, the proposal file and the code actions."""

from __future__ import annotations

import subprocess
from pathlib import Path

from trae_lsp.server.edits import ProposedChange
from trae_lsp.server.proposals import (
    CONFLICT,
    DISCARD_PROPOSAL,
    RETRY_PROPOSAL,
    SHOW_PROPOSAL,
    UNSUPPORTED,
    KeptProposal,
    ProposalStore,
    describe_unsupported,
    lsp_code_actions,
    proposal_path,
    write_proposal,
)


def test_store_keeps_one_proposal_per_uri() -> None:
    store = ProposalStore()
    first = KeptProposal(ProposedChange(Path("/p/m.py"), "a\n", "b\n"), CONFLICT, "Trae: fix")
    second = first._replace(label="Trae: task")
    store.keep("file:///p/m.py", first)
    store.keep("file:///p/m.py", second)
    assert store.items() == [("file:///p/m.py", second)]
    assert store.take("file:///p/m.py") == second
    assert store.get("file:///p/m.py") is None and store.take("file:///p/m.py") is None


def test_unsupported_message_names_new_and_deleted_files_and_the_next_step() -> None:
    message = describe_unsupported(
        [
            ProposedChange(Path("/p/test_m.py"), "", "x = 1\n", created=True),
            ProposedChange(Path("/p/old.py"), "y\n", "", deleted=True),
        ]
    )
    assert "new file(s) test_m.py" in message and SHOW_PROPOSAL in message
    assert "deleting old.py" in message and "delete them yourself" in message


def test_proposal_file_lives_under_an_ignored_folder(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    change = ProposedChange(tmp_path / "pkg" / "m.py", "a\r\n", "b\r\n")
    path = write_proposal(tmp_path, change)
    assert path == proposal_path(tmp_path, change) == tmp_path / ".trae/proposals/pkg/m.py"
    assert path.read_bytes() == b"b\r\n"
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == ""
    outside = ProposedChange(Path("/elsewhere/n.py"), "", "")
    assert proposal_path(tmp_path, outside) == tmp_path / ".trae/proposals/n.py"


def test_code_actions_offer_what_each_kept_proposal_allows() -> None:
    store = ProposalStore()
    store.keep(
        "file:///p/m.py",
        KeptProposal(ProposedChange(Path("/p/m.py"), "a\n", "b\n"), CONFLICT, "Trae: fix"),
    )
    store.keep(
        "file:///p/old.py",
        KeptProposal(ProposedChange(Path("/p/old.py"), "a\n", "", deleted=True), UNSUPPORTED, "t"),
    )
    actions = lsp_code_actions(store)
    assert [a.title for a in actions] == [
        "Trae: retry kept proposal for m.py",
        "Trae: show kept proposal for m.py",
        "Trae: discard kept proposal for m.py",
        "Trae: discard kept proposal for old.py",
    ]
    commands = [a.command.command for a in actions if a.command]
    assert commands == [RETRY_PROPOSAL, SHOW_PROPOSAL, DISCARD_PROPOSAL, DISCARD_PROPOSAL]
    assert actions[0].command is not None
    assert actions[0].command.arguments == [{"uri": "file:///p/m.py"}]
