"""The recorder: journal per event, summary now and then, final file, loading back."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from trae_lsp.config import TraeConfig
from trae_lsp.config_layers import load_config
from trae_lsp.events import RunFinished, RunStatus
from trae_lsp.trajectory.files import TrajectoryError
from trae_lsp.trajectory.recorder import (
    SUMMARY_EVERY_RECORDS,
    TrajectoryRecorder,
    open_recorder,
)
from trae_lsp.trajectory.replay import recorded_interactions
from trae_lsp.trajectory.schema import StepStatus, TrajectoryStatus
from trae_lsp.trajectory.store import load_trajectory

from .conftest import emit_run, emit_tool_step


def test_a_finished_run_leaves_one_summary_file(recorder: TrajectoryRecorder) -> None:
    emit_run(recorder, steps=2)
    emit_tool_step(recorder, 3, output="FAILED test_x", is_error=True)
    recorder(RunFinished(status=RunStatus.COMPLETED, summary="fixed"))
    assert [p.name for p in recorder.path.parent.iterdir()] == [recorder.path.name]
    traj = load_trajectory(recorder.path)
    assert traj.status is TrajectoryStatus.COMPLETED
    assert traj.summary == "fixed"
    assert [s.status for s in traj.steps] == [
        StepStatus.COMPLETED,
        StepStatus.COMPLETED,
        StepStatus.ERROR,
    ]
    assert traj.steps[2].output == "FAILED test_x"
    assert traj.totals.errored_steps == 1
    assert traj.totals.cost_usd == pytest.approx(0.03)
    assert traj.total_tokens == 330
    assert traj.modified_files == ["stats/core.py"]
    assert [call.usage.cache_read_tokens for call in traj.llm_interactions] == [1000] * 3
    assert traj == recorder.trajectory


def test_the_summary_is_not_rewritten_every_step(recorder: TrajectoryRecorder) -> None:
    emit_run(recorder, steps=3)
    on_disk = json.loads(recorder.path.read_text())
    assert on_disk["status"] == "running"
    assert on_disk["steps"] == []
    live = load_trajectory(recorder.path)  # the journal has every step already
    assert live.status is TrajectoryStatus.RUNNING
    assert len(live.steps) == 3


def test_the_summary_catches_up_at_low_frequency(recorder: TrajectoryRecorder) -> None:
    emit_run(recorder, steps=SUMMARY_EVERY_RECORDS // 5 + 1)
    on_disk = json.loads(recorder.path.read_text())
    assert len(on_disk["steps"]) >= SUMMARY_EVERY_RECORDS // 5


def test_files_are_private(recorder: TrajectoryRecorder) -> None:
    for path in (recorder.path, recorder.journal_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_torn_last_journal_line_is_ignored(recorder: TrajectoryRecorder) -> None:
    emit_run(recorder, steps=2)
    with recorder.journal_path.open("ab") as journal:
        journal.write(b'{"kind":"tool_called","call_id":"c9","to')
    traj = load_trajectory(recorder.journal_path)
    assert len(traj.steps) == 2
    assert traj.status is TrajectoryStatus.RUNNING  # this process, the writer, is alive


def test_a_corrupt_line_inside_the_journal_is_an_error(recorder: TrajectoryRecorder) -> None:
    emit_run(recorder, steps=1)
    lines = recorder.journal_path.read_text().splitlines()
    lines.insert(2, "{not json")
    recorder.journal_path.write_text("\n".join(lines) + "\n")
    with pytest.raises(TrajectoryError, match=r"\.jsonl:3: corrupt journal line"):
        load_trajectory(recorder.path)


def test_closing_without_a_finish_records_why(recorder: TrajectoryRecorder) -> None:
    with pytest.raises(RuntimeError), recorder:
        emit_run(recorder, steps=1)
        raise RuntimeError("tool registry exploded")
    traj = load_trajectory(recorder.path)
    assert traj.status is TrajectoryStatus.FAILED
    assert traj.error == "RuntimeError: tool registry exploded"
    with pytest.raises(TrajectoryError, match="already finished"):
        emit_tool_step(recorder, 2)


def test_ctrl_c_is_recorded_as_cancelled(recorder: TrajectoryRecorder) -> None:
    with pytest.raises(KeyboardInterrupt), recorder:
        emit_run(recorder, steps=1)
        raise KeyboardInterrupt
    assert load_trajectory(recorder.path).status is TrajectoryStatus.CANCELLED


def test_open_recorder_honours_enabled_and_the_env_dir(tmp_path: Path) -> None:
    env = {"TRAE_TRAJECTORY_DIR": str(tmp_path / "from-env")}
    config = load_config(tmp_path, env=env).config
    recorder = open_recorder(config, env=env)
    assert recorder is not None
    assert recorder.path.parent == tmp_path / "from-env"
    recorder.close()
    off = TraeConfig.model_validate({"trajectory": {"enabled": False}})
    assert open_recorder(off, env=env) is None
    assert open_recorder(off, env=env, enabled=True) is not None


def test_output_dir_expands_home(isolated_home: Path) -> None:
    recorder = open_recorder(TraeConfig(), env={})
    assert recorder is not None
    assert recorder.path.parent == isolated_home / ".trae" / "trajectories"


def test_newer_formats_are_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "future.json"
    path.write_text(json.dumps({"format_version": 99, "trajectory_id": "t", "task": "x"}))
    with pytest.raises(TrajectoryError, match="upgrade trae-lsp"):
        load_trajectory(path)


def test_interactions_come_back_in_order_for_replay(recorder: TrajectoryRecorder) -> None:
    emit_run(recorder, steps=3)
    recorder(RunFinished(status=RunStatus.COMPLETED))
    calls = list(recorded_interactions(str(recorder.path)))
    assert [c.response.text for c in calls] == [f"running the tests ({i})" for i in (1, 2, 3)]
    assert calls[0].response.tool_calls[0].arguments == {"command": "pytest -q"}
    assert calls[1].request.new_messages[0].content == "result 1"
    assert calls[0].latency_seconds == 1.5
