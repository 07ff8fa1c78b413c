"""Each way a run ends has its own status, a clear error and a trajectory that says so."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.agent.conftest import plan_response
from trae import TokenBudget, TraeAgent
from trae_lsp.events import AgentEvent, RunStatus, ToolCalled
from trae_lsp.llm.messages import Response, ToolCall, Usage
from trae_lsp.llm.provider import INVALID_ARGUMENTS_KEY
from trae_lsp.llm.scripted import ScriptedModel, tool_call_response, tool_calls_response
from trae_lsp.trajectory.schema import StepStatus, TrajectoryStatus
from trae_lsp.trajectory.store import load_trajectory

VIEW = tool_call_response("view", {"path": "calculator/stats.py"})


def agent_for(project: Path, responses: list, **kwargs: object) -> TraeAgent:  # type: ignore[type-arg]
    return TraeAgent(model=ScriptedModel(responses), project_path=project, **kwargs)  # type: ignore[arg-type]


def test_max_steps_stops_a_model_that_never_finishes(calculator: Path) -> None:
    result = agent_for(calculator, [plan_response(), VIEW, VIEW, VIEW], max_steps=3).run("look")

    assert result.status is RunStatus.MAX_STEPS
    assert result.steps == 3
    assert "--max-steps" in (result.error or "")
    assert load_trajectory(result.trajectory_path).status is TrajectoryStatus.MAX_STEPS  # type: ignore[arg-type]


def test_budget_exhausted_ends_between_steps_without_half_written_files(calculator: Path) -> None:
    costly = Usage(input_tokens=20_000, output_tokens=10)
    edit = tool_call_response(
        "write_file",
        {"path": "notes.txt", "content": "first\n"},
        usage=costly,
    )
    budget = TokenBudget(max_input_tokens=22_000, warn_at_percent=50)
    events: list[AgentEvent] = []
    agent = agent_for(
        calculator, [plan_response(), edit, VIEW], token_budget=budget, listeners=[events.append]
    )

    result = agent.run("write notes")

    assert result.status is RunStatus.BUDGET_EXCEEDED
    assert "budget.max_input_tokens" in (result.error or "")
    assert (calculator / "notes.txt").read_text() == "first\n"  # the step before finished whole
    assert any(e.kind == "budget_warning" for e in events)
    trajectory = load_trajectory(result.trajectory_path)  # type: ignore[arg-type]
    assert trajectory.status is TrajectoryStatus.BUDGET_EXCEEDED
    assert trajectory.budget_warnings


def test_cancel_event_stops_the_run_cleanly(calculator: Path) -> None:
    cancel = asyncio.Event()

    def on_event(event: AgentEvent) -> None:
        if isinstance(event, ToolCalled):
            cancel.set()

    agent = agent_for(calculator, [plan_response(), VIEW, VIEW, VIEW])

    async def go() -> object:
        return await agent.arun("look", listener=on_event, cancel=cancel)

    result = asyncio.run(go())
    assert result.status is RunStatus.CANCELLED  # type: ignore[attr-defined]
    trajectory = load_trajectory(result.trajectory_path)  # type: ignore[attr-defined]
    assert trajectory.status is TrajectoryStatus.CANCELLED


async def test_cancelling_the_task_records_cancelled_and_propagates(
    calculator: Path, isolated_home: Path
) -> None:
    started = asyncio.Event()

    class Hanging(ScriptedModel):
        async def complete(self, *args: object, **kwargs: object) -> Response:  # type: ignore[override]
            started.set()
            await asyncio.Event().wait()
            raise AssertionError("never answered")

    task = asyncio.create_task(TraeAgent(model=Hanging([]), project_path=calculator).arun("hang"))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [path] = (isolated_home / ".trae" / "trajectories").glob("*.json")
    assert load_trajectory(path).status is TrajectoryStatus.CANCELLED


def test_a_model_error_fails_the_run_with_the_error_recorded(calculator: Path) -> None:
    result = agent_for(calculator, [plan_response(), VIEW]).run("look twice")

    assert result.status is RunStatus.FAILED
    assert "scripted model has only 2 responses" in (result.error or "")
    trajectory = load_trajectory(result.trajectory_path)  # type: ignore[arg-type]
    assert trajectory.status is TrajectoryStatus.FAILED
    assert trajectory.error == result.error


def test_malformed_and_unknown_calls_go_back_to_the_model_then_fail(calculator: Path) -> None:
    broken = tool_call_response("view", {INVALID_ARGUMENTS_KEY: '{"path": '})
    unknown = tool_call_response("launch_rockets", {})
    result = agent_for(calculator, [plan_response(), broken, unknown, broken]).run("look")

    assert result.status is RunStatus.FAILED
    assert "3 unusable turns" in (result.error or "")
    trajectory = load_trajectory(result.trajectory_path)  # type: ignore[arg-type]
    assert [s.status for s in trajectory.steps] == [StepStatus.ERROR] * 3
    assert "not a JSON object" in (trajectory.steps[0].output or "")
    assert "Unknown tool(s) 'launch_rockets'" in (trajectory.steps[1].output or "")


def test_a_good_turn_resets_the_format_error_count(calculator: Path) -> None:
    unknown = tool_call_response("launch_rockets", {})
    done = tool_call_response("task_done", {"summary": "looked"})
    script = [plan_response(), unknown, unknown, VIEW, unknown, unknown, done]
    result = agent_for(calculator, script).run("look")
    assert result.status is RunStatus.COMPLETED, result.error


def test_several_calls_in_one_turn_all_get_results(calculator: Path) -> None:
    calls = [
        ToolCall(id="a", name="view", arguments={"path": "calculator/stats.py"}),
        ToolCall(id="b", name="view", arguments={"path": "missing.py"}),
        ToolCall(id="c", name="task_done", arguments={"summary": "done"}),
        ToolCall(id="d", name="view", arguments={"path": "README.md"}),
    ]
    model = ScriptedModel([plan_response(), tool_calls_response(calls)])
    result = TraeAgent(model=model, project_path=calculator).run("look")

    assert result.status is RunStatus.COMPLETED
    trajectory = load_trajectory(result.trajectory_path)  # type: ignore[arg-type]
    outcome = {s.call_id: s.status for s in trajectory.steps}
    assert outcome == {
        "a": StepStatus.COMPLETED,
        "b": StepStatus.ERROR,
        "c": StepStatus.COMPLETED,
        "d": StepStatus.ERROR,
    }


def test_text_only_answers_are_nudged_toward_tools(calculator: Path) -> None:
    done = tool_call_response("task_done", {"summary": "ok"})
    model = ScriptedModel([plan_response(), "I think it is fine.", done])
    result = TraeAgent(model=model, project_path=calculator).run("check")
    assert result.status is RunStatus.COMPLETED
    assert "call task_done" in model.requests[2].messages[-1].model_dump()["text"]


def test_an_empty_directory_runs_and_the_planner_is_told_so(tmp_path: Path) -> None:
    done = tool_call_response("task_done", {"summary": "nothing to do"})
    model = ScriptedModel([plan_response(), done])
    result = TraeAgent(model=model, project_path=tmp_path).run("tidy up")
    assert result.status is RunStatus.COMPLETED
    assert result.changes == []
    assert "The project directory is empty." in model.requests[0].messages[0].model_dump()["text"]
