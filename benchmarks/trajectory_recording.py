"""Trajectory recording: the append-only journal against rewriting the whole file per step.

A scripted run of `STEPS` agent steps (model call, tool call, tool result with an
`OUTPUT_BYTES` output, token totals) is recorded twice: by `TrajectoryRecorder`
(redacted, fsynced journal line per event, summary every 50 records) and by the
reference agent's approach (the whole trajectory JSON rewritten and fsynced after
every step). Prints the time per step and the bytes written, then the redaction
throughput on a large output.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from trae_lsp.config import TrajectoryConfig
from trae_lsp.events import (
    AgentEvent,
    ConversationMessage,
    ModelCalled,
    RecordedToolCall,
    RunFinished,
    RunStarted,
    RunStatus,
    StepStarted,
    TokensUsed,
    ToolCalled,
    ToolResulted,
)
from trae_lsp.trajectory.builder import TrajectoryBuilder
from trae_lsp.trajectory.recorder import TrajectoryRecorder
from trae_lsp.trajectory.redaction import Redactor
from trae_lsp.trajectory.schema import Trajectory

STEP_COUNTS = (100, 400)
"""Run lengths measured."""

OUTPUT_BYTES = 2000
"""Size of each tool output."""

REDACTION_MB = 5
"""Size of the text the redaction throughput is measured on."""


def _step_events(index: int) -> list[AgentEvent]:
    call = RecordedToolCall(id=f"c{index}", name="shell", arguments={"command": "pytest -q"})
    return [
        StepStarted(index=index),
        ModelCalled(
            new_messages=(ConversationMessage(role="tool", content="x" * 200),),
            response_text="running tests",
            tool_calls=(call,),
            input_tokens=2000,
            output_tokens=100,
        ),
        ToolCalled(call_id=call.id, tool=call.name, arguments=call.arguments),
        ToolResulted(call_id=call.id, tool="shell", output="log line\n" * (OUTPUT_BYTES // 9)),
        TokensUsed(input_tokens=2000 * index, output_tokens=100 * index),
    ]


def _run(
    steps: int, record: Callable[[AgentEvent], None], end_of_step: Callable[[], None]
) -> float:
    record(RunStarted(task="benchmark"))
    start = time.perf_counter()
    for index in range(1, steps + 1):
        for event in _step_events(index):
            record(event)
        end_of_step()
    elapsed = time.perf_counter() - start
    record(RunFinished(status=RunStatus.COMPLETED))
    return elapsed


def _journal(directory: Path, steps: int) -> tuple[float, int]:
    recorder = TrajectoryRecorder(
        TrajectoryConfig(), redactor=Redactor.from_environment(os.environ), output_dir=directory
    )
    written = 0
    inner = recorder.record

    def counting(event: AgentEvent) -> None:
        nonlocal written
        before = recorder.journal_path.stat().st_size + recorder.path.stat().st_size
        inner(event)
        if not recorder.finished:
            written += recorder.journal_path.stat().st_size + recorder.path.stat().st_size - before

    elapsed = _run(steps, counting, lambda: None)
    return elapsed, written


def _rewrite_every_step(directory: Path, steps: int) -> tuple[float, int]:
    builder = TrajectoryBuilder(Trajectory(trajectory_id="ref", task=""))
    path = directory / "ref.json"
    written = 0

    def rewrite() -> None:
        nonlocal written
        data = json.dumps(builder.trajectory.model_dump(mode="json"), indent=2).encode()
        with path.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        written += len(data)

    return _run(steps, builder.apply, rewrite), written


def _redaction_throughput() -> float:
    redactor = Redactor.from_environment({"DEPLOY_TOKEN": "dt_5e3a9c0b7f1d2468"})
    text = "2026-11-28 build step 42: compiling module a.b-c (api call ok)\n"
    text *= REDACTION_MB * 1024 * 1024 // len(text)
    start = time.perf_counter()
    redactor.redact_text(text)
    return REDACTION_MB / (time.perf_counter() - start)


def main() -> None:
    """Print the comparison table and the redaction throughput."""
    print(f"{'steps':>6} {'approach':<22} {'ms/step':>8} {'MB written':>11}")
    for steps in STEP_COUNTS:
        for name, approach in (
            ("journal (ours)", _journal),
            ("rewrite every step", _rewrite_every_step),
        ):
            with tempfile.TemporaryDirectory() as tmp:
                elapsed, written = approach(Path(tmp), steps)
            print(f"{steps:>6} {name:<22} {elapsed / steps * 1000:>8.2f} {written / 1e6:>11.2f}")
    print(f"redaction throughput: {_redaction_throughput():.1f} MB/s")


if __name__ == "__main__":
    main()
