"""`trae run`: a full run against the fake Anthropic server, dry runs, reports and bad input."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from tests.agent.conftest import copy_calculator
from tests.cli.agent_cli import FAKE_KEY, provider_env, run_trae, trae_command, trajectory_files
from tests.fakes.anthropic_server import FakeAnthropic
from tests.fakes.script import HangingStream
from trae_lsp.cli.demo_script import DEMO_TASK, FIXED_RETURN, calculator_fix_script
from trae_lsp.llm.scripted import text_response
from trae_lsp.trajectory.schema import TrajectoryStatus
from trae_lsp.trajectory.store import load_trajectory


def test_run_fixes_the_bug_and_reports(tmp_path: Path, isolated_home: Path) -> None:
    project = copy_calculator(tmp_path / "calculator")
    report = tmp_path / "report.md"
    with FakeAnthropic(calculator_fix_script()) as server:
        done = run_trae(
            "run",
            DEMO_TASK,
            "--project",
            str(project),
            "--output-report",
            str(report),
            home=isolated_home,
            server=server,
        )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "completed" in done.stdout
    assert "+    return (ordered[middle - 1] + ordered[middle]) / 2" in done.stdout
    assert "5 passed" in done.stdout
    assert FIXED_RETURN in (project / "calculator" / "stats.py").read_text()
    assert "**Status:** completed" in report.read_text()
    [path] = trajectory_files(isolated_home)
    assert f"trajectory: {path}" in done.stdout
    assert FAKE_KEY not in path.read_text()
    assert load_trajectory(path).status is TrajectoryStatus.COMPLETED


def test_dry_run_proposes_without_writing(tmp_path: Path, isolated_home: Path) -> None:
    project = copy_calculator(tmp_path / "calculator")
    before = (project / "calculator" / "stats.py").read_text()
    with FakeAnthropic(calculator_fix_script()) as server:
        done = run_trae(
            "run",
            DEMO_TASK,
            "--project",
            str(project),
            "--dry-run",
            home=isolated_home,
            server=server,
        )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Proposed changes (not written)" in done.stdout
    assert "Verified" in done.stdout  # the tests ran in the shadow copy, with the fix
    assert (project / "calculator" / "stats.py").read_text() == before


def test_no_api_key_is_a_clear_failure_with_a_trajectory(
    tmp_path: Path, isolated_home: Path
) -> None:
    done = run_trae("run", "anything", "--project", str(tmp_path), home=isolated_home)

    assert done.returncode == 1
    assert "no API key for anthropic: set ANTHROPIC_API_KEY" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    [path] = trajectory_files(isolated_home)
    trajectory = load_trajectory(path)
    assert trajectory.status is TrajectoryStatus.FAILED
    assert "ANTHROPIC_API_KEY" in (trajectory.error or "")


def test_unknown_model_names_the_configured_ones(tmp_path: Path, isolated_home: Path) -> None:
    done = run_trae(
        "run", "anything", "--project", str(tmp_path), "--model", "no-such-model",
        home=isolated_home,
    )  # fmt: skip
    assert done.returncode == 1
    assert "unknown model 'no-such-model'" in done.stdout


def test_a_missing_project_directory_is_a_usage_error(tmp_path: Path, isolated_home: Path) -> None:
    done = run_trae("run", "x", "--project", str(tmp_path / "nope"), home=isolated_home)
    assert done.returncode == 2
    assert "is not a directory" in done.stderr


def test_a_malformed_plan_is_retried_then_reported(tmp_path: Path, isolated_home: Path) -> None:
    script = [text_response("Sure! Here is my plan: step one…"), text_response('{"steps": []}')]
    with FakeAnthropic(script) as server:
        done = run_trae("run", "x", "--project", str(tmp_path), home=isolated_home, server=server)
    assert done.returncode == 1
    assert "invalid plan twice" in done.stdout
    assert load_trajectory(trajectory_files(isolated_home)[0]).status is TrajectoryStatus.FAILED


def test_ctrl_c_cancels_cleanly(tmp_path: Path, isolated_home: Path) -> None:
    project = copy_calculator(tmp_path / "calculator")
    hang = HangingStream(calculator_fix_script()[1])
    with FakeAnthropic([calculator_fix_script()[0], hang]) as server:
        process = subprocess.Popen(
            trae_command("run", DEMO_TASK, "--project", str(project)),
            env=provider_env(server, isolated_home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert hang.started.wait(60)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)

    assert process.returncode == 130, out + err
    assert "cancelled" in out
    assert "Traceback" not in out + err
    [path] = trajectory_files(isolated_home)
    assert load_trajectory(path).status is TrajectoryStatus.CANCELLED
