"""`trajectory.max_size_mb`: huge outputs are cut with a marker and the file stays valid."""

from __future__ import annotations

import json
from pathlib import Path

from trae_lsp.config import TrajectoryConfig
from trae_lsp.events import ChangeProposed, RunFinished, RunStatus
from trae_lsp.trajectory.findings import IssueKind, find_issues
from trae_lsp.trajectory.recorder import TrajectoryRecorder
from trae_lsp.trajectory.redaction import Redactor
from trae_lsp.trajectory.size import TRUNCATION_PREFIX, truncate_text
from trae_lsp.trajectory.store import load_trajectory

from .conftest import emit_run, emit_tool_step

MAX_SIZE_MB = 0.05
STEPS = 15  # ~3 MB of output for a 50 KB file; the per-step metadata (~1 KB) is never cut


def test_large_outputs_are_truncated_and_the_file_stays_under_the_limit(tmp_path: Path) -> None:
    recorder = TrajectoryRecorder(
        TrajectoryConfig(max_size_mb=MAX_SIZE_MB), redactor=Redactor(), output_dir=tmp_path
    )
    emit_run(recorder, steps=0)
    for index in range(1, STEPS + 1):
        emit_tool_step(recorder, index, output=f"run {index}\n" + "x" * 200_000)
    recorder(ChangeProposed(file="big.txt", diff="+" + "y" * 500_000))
    recorder(RunFinished(status=RunStatus.COMPLETED))

    size = recorder.path.stat().st_size
    assert size <= MAX_SIZE_MB * 1024 * 1024
    json.loads(recorder.path.read_text())
    traj = load_trajectory(recorder.path)
    assert len(traj.steps) == STEPS
    assert all(TRUNCATION_PREFIX in (step.output or "") for step in traj.steps)
    assert traj.steps[0].output is not None and traj.steps[0].output.startswith("run 1\nxxx")
    assert traj.steps[-1].output is not None and traj.steps[-1].output.startswith(
        f"run {STEPS}\nxxx"
    )
    assert TRUNCATION_PREFIX in traj.changes[-1].diff
    kinds = {issue.kind for issue in find_issues(traj)}
    assert IssueKind.HUGE_OUTPUT in kinds


def test_small_records_are_untouched(tmp_path: Path) -> None:
    recorder = TrajectoryRecorder(
        TrajectoryConfig(max_size_mb=MAX_SIZE_MB), redactor=Redactor(), output_dir=tmp_path
    )
    emit_run(recorder, steps=2)
    assert all(step.output == "ok" for step in recorder.trajectory.steps)


def test_truncation_counts_bytes_and_never_splits_a_character() -> None:
    text = "é" * 10  # 20 bytes
    cut = truncate_text(text, 5)
    assert cut.startswith("éé…[truncated 16 bytes")
    assert truncate_text(text, 20) == text
