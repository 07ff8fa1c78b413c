"""Shared pieces of the trajectory tests: a recorder in a temp dir and a scripted run."""

from __future__ import annotations

from pathlib import Path

import pytest

from trae_lsp.config import TrajectoryConfig
from trae_lsp.events import (
    ChangeProposed,
    ConversationMessage,
    EventListener,
    ModelCalled,
    RecordedToolCall,
    RunStarted,
    StepStarted,
    TokensUsed,
    ToolCalled,
    ToolResulted,
)
from trae_lsp.trajectory.recorder import TrajectoryRecorder
from trae_lsp.trajectory.redaction import Redactor


@pytest.fixture
def recorder(tmp_path: Path) -> TrajectoryRecorder:
    """A recorder with default settings writing under `tmp_path/trajectories`."""
    return TrajectoryRecorder(
        TrajectoryConfig(), redactor=Redactor(), output_dir=tmp_path / "trajectories"
    )


def emit_tool_step(
    listener: EventListener, index: int, *, output: str = "ok", is_error: bool = False
) -> None:
    """One agent step as the loop reports it: model call, tool call, tool result, tokens."""
    call = RecordedToolCall(id=f"call_{index}", name="shell", arguments={"command": "pytest -q"})
    listener(StepStarted(index=index, description=f"step {index}"))
    listener(
        ModelCalled(
            model="claude-sonnet-4-5",
            message_count=2 * index,
            new_messages=(ConversationMessage(role="user", content=f"result {index - 1}"),),
            tools=("shell", "task_done"),
            response_text=f"running the tests ({index})",
            tool_calls=(call,),
            stop_reason="tool_use",
            input_tokens=100,
            output_tokens=10,
            cache_read_tokens=1000,
            latency_seconds=1.5,
        )
    )
    listener(ToolCalled(call_id=call.id, tool=call.name, arguments=call.arguments))
    listener(ToolResulted(call_id=call.id, tool="shell", output=output, is_error=is_error))
    listener(TokensUsed(input_tokens=100 * index, output_tokens=10 * index, cost_usd=0.01 * index))


def emit_run(listener: EventListener, steps: int) -> None:
    """A run start, `steps` tool steps and a change (no finish)."""
    listener(
        RunStarted(task="make the tests pass", model="claude-sonnet-4-5", provider="anthropic")
    )
    for index in range(1, steps + 1):
        emit_tool_step(listener, index)
    listener(ChangeProposed(file="stats/core.py", diff="-a\n+b\n"))
