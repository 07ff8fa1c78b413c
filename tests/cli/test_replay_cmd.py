"""`trae replay`: show a recorded run, and re-run it with the replay model."""

from __future__ import annotations

from pathlib import Path

from tests.agent.conftest import copy_calculator
from tests.cli.agent_cli import run_trae
from trae_lsp.cli.demo_cmd import DEMO_TRAJECTORY
from trae_lsp.cli.demo_script import FIXED_RETURN


def test_show_prints_the_run_step_by_step(isolated_home: Path) -> None:
    done = run_trae("replay", "--trajectory", str(DEMO_TRAJECTORY), home=isolated_home)
    assert done.returncode == 0, done.stderr
    for expected in ("planner", "step 1", "→ view", "→ str_replace", "→ verify", "completed"):
        assert expected in done.stdout
    assert "5 passed" in done.stdout


def test_execute_replays_against_the_current_tree(tmp_path: Path, isolated_home: Path) -> None:
    project = copy_calculator(tmp_path / "calculator")
    done = run_trae(
        "replay",
        "--trajectory",
        str(DEMO_TRAJECTORY),
        "--execute",
        "--project",
        str(project),
        home=isolated_home,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert FIXED_RETURN in (project / "calculator" / "stats.py").read_text()


def test_execute_on_another_tree_shows_the_tools_failing(
    tmp_path: Path, isolated_home: Path
) -> None:
    done = run_trae(
        "replay",
        "--trajectory",
        str(DEMO_TRAJECTORY),
        "--execute",
        "--project",
        str(tmp_path),
        home=isolated_home,
    )
    assert "✗" in done.stdout  # the recorded view and edit find no file here
    assert "No files changed." in done.stdout


def test_a_missing_file_is_one_clear_line(tmp_path: Path, isolated_home: Path) -> None:
    done = run_trae("replay", "--trajectory", str(tmp_path / "none.json"), home=isolated_home)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error:")
