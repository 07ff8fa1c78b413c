"""kill -9 in the middle of an agent run: the trajectory still loads and says what happened."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from trae_lsp.trajectory.schema import StepStatus, TrajectoryStatus
from trae_lsp.trajectory.store import load_trajectory

ROOT = Path(__file__).resolve().parents[2]


def test_sigkill_mid_run_leaves_a_loadable_trajectory(tmp_path: Path, isolated_home: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.agent.crash_agent_child", str(project)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOME": str(isolated_home)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "hanging"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()

    [summary] = (isolated_home / ".trae" / "trajectories").glob("*.json")
    trajectory = load_trajectory(summary)
    assert trajectory.status is TrajectoryStatus.INCOMPLETE
    assert trajectory.task == "write notes, then wait forever"
    assert [s.tool for s in trajectory.steps] == ["write_file", "view"]
    assert all(s.status is StepStatus.COMPLETED for s in trajectory.steps)
    assert len(trajectory.plan) == 1
    assert trajectory.modified_files == ["notes.txt"]
    assert (project / "notes.txt").read_text() == "half way\n"  # whole, never half-written
