"""`trae chat` driven through stdin: history, /diff, /cost, /undo, /exit."""

from __future__ import annotations

from pathlib import Path

from tests.agent.conftest import copy_calculator
from tests.cli.agent_cli import run_trae, trajectory_files
from tests.fakes.anthropic_server import FakeAnthropic
from trae_lsp.cli.demo_script import BUGGY_RETURN, FIXED_RETURN
from trae_lsp.llm.messages import Usage
from trae_lsp.llm.scripted import text_response, tool_call_response
from trae_lsp.trajectory.schema import TrajectoryStatus
from trae_lsp.trajectory.store import load_trajectory

FIX = {"path": "calculator/stats.py", "old_str": BUGGY_RETURN, "new_str": FIXED_RETURN}


def test_a_session_edits_shows_costs_and_undoes(tmp_path: Path, isolated_home: Path) -> None:
    project = copy_calculator(tmp_path / "calculator")
    original = (project / "calculator" / "stats.py").read_text()
    script = [
        text_response("It returns the upper middle value.", usage=Usage(input_tokens=1000)),
        tool_call_response("str_replace", FIX, usage=Usage(input_tokens=1200, output_tokens=80)),
        text_response("Fixed.", usage=Usage(input_tokens=1300, output_tokens=20)),
    ]
    stdin = "what is wrong with median?\nfix it\n/diff\n/cost\n/undo\n/diff\n/nope\n/exit\n"
    with FakeAnthropic(script) as server:
        done = run_trae(
            "chat", "--project", str(project), home=isolated_home, server=server, stdin=stdin
        )
        second_request = server.requests[1].body["messages"]

    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "trae> It returns the upper middle value." in out
    assert "trae> Fixed." in out
    assert "+    return (ordered[middle - 1] + ordered[middle]) / 2" in out
    assert "3,600 tokens" in out
    assert "restored calculator/stats.py" in out
    assert "No changes yet." in out
    assert "Unknown command /nope" in out
    assert (project / "calculator" / "stats.py").read_text() == original
    assert any("what is wrong with median?" in str(m["content"]) for m in second_request)
    [path] = trajectory_files(isolated_home)
    assert load_trajectory(path).status is TrajectoryStatus.COMPLETED


def test_end_of_input_ends_the_session(tmp_path: Path, isolated_home: Path) -> None:
    with FakeAnthropic([]) as server:
        done = run_trae(
            "chat", "--project", str(tmp_path), home=isolated_home, server=server, stdin=""
        )
    assert done.returncode == 0
    assert "trajectory:" in done.stdout


def test_chat_without_a_key_says_how_to_set_one(tmp_path: Path, isolated_home: Path) -> None:
    done = run_trae("chat", "--project", str(tmp_path), home=isolated_home, stdin="hi\n")
    assert done.returncode == 2
    assert "no API key for anthropic" in done.stderr
