"""TaskPlanner: validated plans, one retry with the validation error, then a typed error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.agent.conftest import plan_response
from trae_lsp.agent.planner import Plan, PlanningError, TaskPlanner
from trae_lsp.llm.scripted import ScriptedModel

STEP = {"index": 1, "description": "Fix median", "required_tools": ["view"], "affected_files": []}


def asked(model: ScriptedModel, call: int) -> str:
    return str(model.requests[call].messages[-1].model_dump().get("text", ""))


async def test_a_plan_inside_prose_and_fences_is_found() -> None:
    answer = f"Here is the plan:\n```json\n{json.dumps({'steps': [STEP]})}\n```\nGood luck."
    planner = TaskPlanner(ScriptedModel([answer]))
    plan = await planner.aplan("fix it", "a text about the code")
    assert plan == Plan.model_validate({"steps": [STEP]})


async def test_a_malformed_answer_is_retried_once_with_the_error() -> None:
    model = ScriptedModel(["I would start by reading the code.", plan_response("Read")])
    plan = await TaskPlanner(model).aplan("fix it")
    assert [s.description for s in plan.steps] == ["Read"]
    assert "That plan is invalid: the answer contains no JSON object" in asked(model, 1)


async def test_two_invalid_plans_raise_a_planning_error() -> None:
    bad_indexes = json.dumps({"steps": [STEP | {"index": 2}]})
    model = ScriptedModel([bad_indexes, '{"steps": []}'], name="tiny-model")
    with pytest.raises(PlanningError, match="tiny-model gave an invalid plan twice"):
        await TaskPlanner(model).aplan("fix it")
    assert "step indexes must be 1, 2, 3" in asked(model, 1)


async def test_unknown_tools_are_refused_when_the_tools_are_known() -> None:
    unknown = json.dumps({"steps": [STEP | {"required_tools": ["teleport"]}]})
    model = ScriptedModel([unknown, json.dumps({"steps": [STEP]})])
    plan = await TaskPlanner(model, tools=["view", "task_done"]).aplan("fix it")
    assert plan.steps[0].required_tools == ["view"]
    assert "unknown tools ['teleport']; use only: view, task_done" in asked(model, 1)


def test_the_sync_form_describes_a_project_directory(calculator: Path) -> None:
    model = ScriptedModel([plan_response("Read")])
    TaskPlanner(model).plan("median of an even count is wrong", str(calculator))
    prompt = asked(model, 0)
    assert "def median(values: list[float]) -> float:" in prompt  # the context engine's map
    assert "Project files:" in prompt and "calculator/stats.py" in prompt


def test_the_plan_renders_for_the_agent() -> None:
    plan = Plan.model_validate({"steps": [STEP | {"affected_files": ["stats.py"]}]})
    assert plan.render() == "1. Fix median (files: stats.py)"
    assert plan.planned_steps()[0].required_tools == ("view",)
