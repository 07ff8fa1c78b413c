"""kill -9 in the middle of a run still leaves a trajectory `load` can read."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from trae_lsp.trajectory.recorder import SUMMARY_EVERY_RECORDS
from trae_lsp.trajectory.schema import StepStatus, TrajectoryStatus
from trae_lsp.trajectory.store import INCOMPLETE_REASON, load_trajectory

CHILD = Path(__file__).with_name("crash_child.py")
SECRET = "dpl_7Hq2xVb9LmN4pRsT8wYz"
STEPS_BEFORE_KILL = SUMMARY_EVERY_RECORDS  # past at least one mid-run summary rewrite


def test_sigkill_mid_run_leaves_a_loadable_trajectory(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "CRASH_DEPLOY_TOKEN": SECRET},
    )
    assert child.stdout is not None
    for line in child.stdout:
        if int(line) >= STEPS_BEFORE_KILL:
            break
    os.kill(child.pid, signal.SIGKILL)  # while it is still writing more steps
    child.wait(timeout=30)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    summary = tmp_path / "traj_crash.json"
    json.loads(summary.read_text())  # the atomically written summary is whole JSON
    traj = load_trajectory(summary)
    assert traj.status is TrajectoryStatus.INCOMPLETE
    assert traj.error == INCOMPLETE_REASON
    assert traj.task == "loop until killed"
    assert len(traj.steps) >= STEPS_BEFORE_KILL
    assert [s.step for s in traj.steps] == list(range(1, len(traj.steps) + 1))
    finished = traj.steps[:STEPS_BEFORE_KILL]
    assert all(s.status is StepStatus.COMPLETED for s in finished)
    assert traj.steps[-1].status in (StepStatus.COMPLETED, StepStatus.INTERRUPTED)
    assert traj.steps[STEPS_BEFORE_KILL - 1].input == {"command": f"make {STEPS_BEFORE_KILL}"}
    for path in tmp_path.iterdir():
        assert SECRET.encode() not in path.read_bytes(), path
    assert "[REDACTED:CRASH_DEPLOY_TOKEN]" in (traj.steps[0].output or "")
