"""`trae demo` offline: replays the recorded run on a temp copy; the repository stays as it is."""

from __future__ import annotations

from pathlib import Path

from tests.cli.agent_cli import run_trae
from trae_lsp.cli.demo_cmd import DEMO_PROJECT


def test_the_offline_demo_fixes_a_copy_and_says_it_is_a_replay(isolated_home: Path) -> None:
    before = {p: p.read_bytes() for p in DEMO_PROJECT.rglob("*.py")}
    done = run_trae("demo", home=isolated_home)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "replay of a recorded run" in done.stdout
    assert "+    return (ordered[middle - 1] + ordered[middle]) / 2" in done.stdout
    assert "tests after the run: 5 passed" in done.stdout
    assert "estimated cost $" in done.stdout
    assert "trajectory: " in done.stdout
    assert {p: p.read_bytes() for p in DEMO_PROJECT.rglob("*.py")} == before
