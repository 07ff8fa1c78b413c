"""Full runs of the agent on the calculator project, in both workspace modes."""

from __future__ import annotations

from pathlib import Path

from tests.agent.conftest import kinds
from trae import TraeAgent
from trae_lsp.cli.demo_script import DEMO_TASK, FIXED_RETURN, calculator_fix_script
from trae_lsp.events import AgentEvent, RunStatus
from trae_lsp.llm.scripted import ScriptedModel
from trae_lsp.trajectory.schema import StepStatus, TrajectoryStatus
from trae_lsp.trajectory.store import load_trajectory


def project_files(root: Path) -> dict[Path, bytes]:
    """Every file's bytes, except trae's own state (`.trae/`, the context index)."""
    return {
        p: p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".trae" not in p.relative_to(root).parts
    }


def test_apply_mode_fixes_the_bug_verifies_and_records(calculator: Path) -> None:
    events: list[AgentEvent] = []
    model = ScriptedModel(calculator_fix_script())
    agent = TraeAgent(model=model, project_path=calculator, listeners=[events.append])

    result = agent.run(DEMO_TASK)

    assert result.status is RunStatus.COMPLETED, result.error
    assert result.modified_files == ["calculator/stats.py"]
    assert FIXED_RETURN in (calculator / "calculator" / "stats.py").read_text()
    assert "+    return (ordered[middle - 1] + ordered[middle]) / 2" in result.changes[0].diff
    assert "Verified: `python -m pytest" in result.summary
    assert result.plan is not None and len(result.plan.steps) == 3
    assert kinds(events)[0] == "run_started" and kinds(events)[-1] == "run_finished"
    assert "plan_made" in kinds(events) and "change_proposed" in kinds(events)

    assert result.trajectory_path is not None
    trajectory = load_trajectory(result.trajectory_path)
    assert trajectory.status is TrajectoryStatus.COMPLETED
    assert (trajectory.model, trajectory.provider) == ("scripted", "scripted")
    tools = [s.tool for s in trajectory.steps]
    assert tools == ["view", "shell", "str_replace", "shell", "task_done", "verify"]
    assert all(s.status is StepStatus.COMPLETED for s in trajectory.steps)
    assert "1 failed" in (trajectory.steps[1].output or "")  # reproduced before the fix
    assert "5 passed" in (trajectory.steps[3].output or "")
    assert "passed" in (trajectory.steps[-1].output or "")
    assert len(trajectory.llm_interactions) == 6  # the planner's call is recorded too
    assert len(trajectory.plan) == 3
    assert trajectory.modified_files == ["calculator/stats.py"]


def test_propose_mode_leaves_the_tree_untouched_and_tests_in_the_shadow(
    calculator: Path,
) -> None:
    before = project_files(calculator)
    agent = TraeAgent(
        model=ScriptedModel(calculator_fix_script()),
        project_path=calculator,
        workspace_mode="propose",
    )

    result = agent.run(DEMO_TASK)

    assert result.status is RunStatus.COMPLETED, result.error
    assert "Verified" in result.summary  # the tests passed in the shadow copy
    assert FIXED_RETURN in (result.changes[0].new or "")
    assert project_files(calculator) == before


def test_the_conversation_continues_from_the_plan(calculator: Path) -> None:
    model = ScriptedModel(calculator_fix_script())
    TraeAgent(model=model, project_path=calculator, record_trajectory=False).run(DEMO_TASK)

    planner_call, first_turn = model.requests[0], model.requests[1]
    assert planner_call.tools == ()
    assert first_turn.messages[: len(planner_call.messages)] == planner_call.messages
    assert "Follow this plan" in first_turn.messages[-1].model_dump()["text"]
    assert "task_done" in [tool.name for tool in first_turn.tools]
