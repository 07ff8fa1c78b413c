"""`TrajectoryAnalyzer`: the article's example as written, findings on crafted runs, compare."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from trae_lsp.config import TrajectoryConfig
from trae_lsp.trajectory.analyzer import TrajectoryAnalyzer
from trae_lsp.trajectory.findings import IssueKind
from trae_lsp.trajectory.recorder import TrajectoryRecorder
from trae_lsp.trajectory.redaction import Redactor
from trae_lsp.trajectory.schema import StepStatus, Trajectory, TrajectoryStatus

from .conftest import emit_run

DATA = Path(__file__).parents[1] / "data" / "trajectories"

ARTICLE_EXAMPLE = """
from trae.trajectory import TrajectoryAnalyzer

analyzer = TrajectoryAnalyzer()

# Load and analyze a trajectory
traj = analyzer.load("~/.trae/trajectories/traj_001.json")

print("Task:", traj.task)
print("Duration:", traj.duration_seconds, "seconds")
print("Token usage:", traj.total_tokens)
print("Files changed:", len(traj.modified_files))

# Find inefficiencies
issues = analyzer.find_issues(traj)
for issue in issues:
    print(f"Issue at step {issue.step}: {issue.description}")

# Compare two trajectories
traj2 = analyzer.load("~/.trae/trajectories/traj_002.json")
diff = analyzer.compare(traj, traj2)
print("Token reduction:", diff.token_reduction_percent, "%")
"""
"""The article's "Trajectory Analysis" example, character for character."""


def test_the_article_example_runs_as_written(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = isolated_home / ".trae" / "trajectories"
    target.mkdir(parents=True)
    shutil.copy(DATA / "wasteful.traj.json", target / "traj_001.json")
    shutil.copy(DATA / "lean.traj.json", target / "traj_002.json")
    exec(compile(ARTICLE_EXAMPLE, "article", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [
        "Task: Fix the median of an even-length list",
        "Duration: 150.0 seconds",
        "Token usage: 120000",
        "Files changed: 1",
    ]
    assert [line.split(":")[0] for line in lines[4:-1]] == [
        "Issue at step 2",
        "Issue at step 3",
        "Issue at step 4",
        "Issue at step 5",
        "Issue at step 5",
        "Issue at step 9",
    ]
    assert lines[-1] == "Token reduction: 60.0 %"


def test_findings_on_the_wasteful_run() -> None:
    analyzer = TrajectoryAnalyzer()
    issues = analyzer.find_issues(analyzer.load(DATA / "wasteful.traj.json"))
    assert [(issue.step, issue.kind) for issue in issues] == [
        (2, IssueKind.REPEATED_CALL),
        (3, IssueKind.ERRORED_STEP),
        (4, IssueKind.RETRIED_FAILURE),
        (5, IssueKind.HUGE_OUTPUT),
        (5, IssueKind.BUDGET_WARNING),
        (9, IssueKind.AFTER_DONE),
    ]
    assert issues[2].description == (
        "retries the failing `shell` call of step 3 unchanged (it failed with: "
        "FAILED tests/test_core.py::test_median_even - assert 2 == 2.5), and it failed again"
    )
    assert issues[5].description == "1 tool call(s) after `task_done` at step 8"


@pytest.mark.parametrize("name", ["lean.traj.json", "article.traj.json"])
def test_clean_runs_have_no_findings(name: str) -> None:
    analyzer = TrajectoryAnalyzer()
    assert analyzer.find_issues(analyzer.load(DATA / name)) == []


def test_the_articles_minimal_record_loads() -> None:
    traj = TrajectoryAnalyzer().load(DATA / "article.traj.json")
    assert traj.trajectory_id == "traj_2025_07_04_001"
    assert traj.duration_seconds == 9.0
    assert traj.modified_files == ["src/auth/rate_limit.py"]
    assert traj.steps[0].input == "src/auth/router.py"
    assert traj.steps[2].output is None


def test_compare_reports_reductions_both_ways() -> None:
    analyzer = TrajectoryAnalyzer()
    wasteful = analyzer.load(DATA / "wasteful.traj.json")
    lean = analyzer.load(DATA / "lean.traj.json")
    diff = analyzer.compare(wasteful, lean)
    assert diff.token_reduction_percent == 60.0
    assert diff.step_reduction_percent == 55.6
    assert diff.cost_reduction_percent == 64.3
    assert diff.duration_reduction_percent == 60.0
    assert analyzer.compare(lean, wasteful).token_reduction_percent == -150.0
    empty = analyzer.load(DATA / "article.traj.json")
    assert analyzer.compare(empty, lean).token_reduction_percent == 0.0


def step(
    number: int, tool: str, inp: Any, status: StepStatus = StepStatus.COMPLETED, output: str = "ok"
) -> dict[str, Any]:
    return {"step": number, "tool": tool, "input": inp, "status": status, "output": output}


def crafted(*steps: dict[str, Any], **fields: Any) -> Trajectory:
    return Trajectory.model_validate({"trajectory_id": "t", "task": "x", "steps": steps, **fields})


def kinds(traj: Trajectory) -> list[tuple[int, IssueKind]]:
    return [(i.step, i.kind) for i in TrajectoryAnalyzer().find_issues(traj)]


def test_a_completed_edit_in_between_makes_a_reread_legitimate() -> None:
    read = {"path": "a.py"}
    traj = crafted(
        step(1, "read_file", read),
        step(2, "write_file", {"path": "a.py", "content": "x"}),
        step(3, "read_file", read),
        step(4, "write_file", {"path": "a.py", "content": "y"}, StepStatus.ERROR, "denied"),
        step(5, "read_file", read),
    )
    assert kinds(traj) == [(4, IssueKind.ERRORED_STEP), (5, IssueKind.REPEATED_CALL)]


def test_huge_outputs_interrupted_steps_and_unfinished_runs() -> None:
    traj = crafted(
        step(1, "shell", {"command": "cat big.log"}, output="x" * 30_000),
        step(2, "shell", {"command": "pytest"}, StepStatus.INTERRUPTED, output=""),
        status=TrajectoryStatus.INCOMPLETE,
        error="killed",
    )
    assert kinds(traj) == [
        (1, IssueKind.HUGE_OUTPUT),
        (2, IssueKind.INTERRUPTED_STEP),
        (2, IssueKind.UNFINISHED_RUN),
    ]
    assert TrajectoryAnalyzer(huge_output_chars=50_000).find_issues(traj)[0].step == 2


def test_analyzer_loads_journals_of_unfinished_runs(tmp_path: Path) -> None:

    recorder = TrajectoryRecorder(TrajectoryConfig(), redactor=Redactor(), output_dir=tmp_path)
    emit_run(recorder, steps=2)
    traj = TrajectoryAnalyzer().load(recorder.journal_path)
    assert [(i.step, i.kind) for i in TrajectoryAnalyzer().find_issues(traj)] == [
        (2, IssueKind.REPEATED_CALL)
    ]
