"""A process that records a never-ending run, for the kill -9 test.

Usage: python crash_child.py OUTPUT_DIR. Prints the number of each finished step.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from trae_lsp.config import TrajectoryConfig
from trae_lsp.events import RunStarted, StepStarted, ToolCalled, ToolResulted
from trae_lsp.trajectory.recorder import TrajectoryRecorder
from trae_lsp.trajectory.redaction import Redactor


def main() -> None:
    recorder = TrajectoryRecorder(
        TrajectoryConfig(),
        redactor=Redactor.from_environment(os.environ),
        output_dir=Path(sys.argv[1]),
        trajectory_id="traj_crash",
    )
    recorder(RunStarted(task="loop until killed"))
    secret = os.environ["CRASH_DEPLOY_TOKEN"]
    step = 0
    while True:
        step += 1
        recorder(StepStarted(index=step))
        recorder(
            ToolCalled(call_id=f"c{step}", tool="shell", arguments={"command": f"make {step}"})
        )
        output = f"step {step} with token {secret}\n" + "log line\n" * 500
        recorder(ToolResulted(call_id=f"c{step}", tool="shell", output=output))
        print(step, flush=True)


if __name__ == "__main__":
    main()
