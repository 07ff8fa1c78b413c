"""Workflows: dependency order, `{variable}` substitution, errors that name the steps."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from trae_lsp.agent.workflow import (
    SKIPPED,
    StepChange,
    Workflow,
    WorkflowError,
    WorkflowTask,
    run_workflow,
)
from trae_lsp.errors import TraeError
from trae_lsp.events import RunStatus


@dataclass
class Outcome:
    """What a run-one-task function returns (the shape `AgentResult` has)."""

    status: str
    summary: str = ""
    changes: list[StepChange] = field(default_factory=list)


class Runner:
    """Runs tasks by script: each step's status comes from `statuses` (default completed)."""

    def __init__(self, statuses: dict[str, str] | None = None) -> None:
        self.statuses = statuses or {}
        self.seen: list[WorkflowTask] = []

    async def __call__(self, task: WorkflowTask) -> Outcome:
        self.seen.append(task)
        status = self.statuses.get(task.name, RunStatus.COMPLETED)
        if status == "raise":
            raise TraeError(f"model unavailable for {task.name}")
        change = StepChange(f"{task.name}.md", f"+++ {task.name}.md\n+notes\n")
        return Outcome(status=status, summary=f"did {task.name}", changes=[change])


def article_workflow() -> Workflow:
    """The article's "Multi-Step Workflows" example, as written."""
    workflow = Workflow(name="feature-implementation")
    workflow.add_step(
        name="research",
        task="Research best practices for implementing {feature}",
        tools=["web_search", "read_file"],
    )
    workflow.add_step(
        name="plan",
        task="Create an implementation plan based on the research",
        depends_on=["research"],
        tools=["write_file"],
    )
    workflow.add_step(
        name="implement",
        task="Implement the feature following the plan",
        depends_on=["plan"],
        tools=["read_file", "write_file", "shell"],
    )
    workflow.add_step(
        name="test",
        task="Write and run tests for the implementation",
        depends_on=["implement"],
        tools=["read_file", "write_file", "shell"],
    )
    return workflow


async def test_article_workflow_runs_in_order_with_variables() -> None:
    runner = Runner()
    results = await run_workflow(
        article_workflow(), runner, variables={"feature": "OAuth2 authentication"}
    )
    assert list(results) == ["research", "plan", "implement", "test"]
    assert all(result.status == "completed" for result in results.values())
    assert runner.seen[0].task == "Research best practices for implementing OAuth2 authentication"
    assert runner.seen[0].tools == ("web_search", "read_file")
    assert runner.seen[0].context is None


async def test_each_step_sees_the_results_of_its_dependencies() -> None:
    runner = Runner()
    await run_workflow(article_workflow(), runner, variables={"feature": "x"})
    plan = runner.seen[1]
    assert list(plan.dependencies) == ["research"]
    assert plan.dependencies["research"].summary == "did research"
    assert plan.context is not None
    assert "## research (completed)\ndid research" in plan.context
    assert "Changed files: research.md" in plan.context
    assert "+notes" in plan.context


async def test_ties_keep_insertion_order_and_dependencies_come_first() -> None:
    workflow = Workflow("diamond")
    workflow.add_step("report", "r", depends_on=["left", "right"])
    workflow.add_step("right", "b", depends_on=["base"])
    workflow.add_step("left", "a", depends_on=["base"])
    workflow.add_step("base", "s")
    assert [step.name for step in workflow.ordered_steps()] == ["base", "right", "left", "report"]
    results = await run_workflow(workflow, Runner())
    assert list(results) == ["base", "right", "left", "report"]


async def test_a_failed_step_skips_its_dependents_but_not_the_others() -> None:
    workflow = Workflow("w")
    workflow.add_step("a", "a")
    workflow.add_step("b", "b", depends_on=["a"])
    workflow.add_step("c", "c", depends_on=["b"])
    workflow.add_step("independent", "i")
    runner = Runner({"a": RunStatus.BUDGET_EXCEEDED})
    results = await run_workflow(workflow, runner)
    assert {name: r.status for name, r in results.items()} == {
        "a": "budget_exceeded",
        "b": SKIPPED,
        "c": SKIPPED,
        "independent": "completed",
    }
    assert results["b"].error == "skipped because step 'a' ended with status budget_exceeded"
    assert results["c"].error == "skipped because step 'b' ended with status skipped"
    assert [task.name for task in runner.seen] == ["a", "independent"]


async def test_a_step_that_raises_a_trae_error_is_recorded_as_failed() -> None:
    workflow = Workflow("w").add_step("a", "a").add_step("b", "b", depends_on=["a"])
    results = await run_workflow(workflow, Runner({"a": "raise"}))
    assert results["a"].status == "failed"
    assert results["a"].error == "model unavailable for a"
    assert results["b"].status == SKIPPED


async def test_missing_variables_are_named_before_any_step_runs() -> None:
    workflow = Workflow("w").add_step("a", "Use {tool} for {feature}").add_step("b", "{feature}")
    runner = Runner()
    with pytest.raises(WorkflowError) as raised:
        await run_workflow(workflow, runner, variables={"feature": "x"})
    assert "{tool} in step 'a'" in str(raised.value)
    assert "given: feature" in str(raised.value)
    assert runner.seen == []


def test_literal_braces_are_escaped_and_fancy_placeholders_refused() -> None:
    workflow = Workflow("w").add_step("a", "Return {{'ok': true}} for {name}")
    assert workflow.render({"name": "x"}) == {"a": "Return {'ok': true} for x"}
    with pytest.raises(WorkflowError, match=r"step 'b'.*\{user\.__class__\}"):
        workflow.add_step("b", "{user.__class__}")
    with pytest.raises(WorkflowError, match=r"step 'c'.*literal braces"):
        workflow.add_step("c", "unbalanced {")


def test_unknown_dependency_names_the_step_and_the_known_ones() -> None:
    workflow = Workflow("w").add_step("research", "r").add_step("plan", "p", ["reserch"])
    with pytest.raises(WorkflowError) as raised:
        workflow.ordered_steps()
    assert str(raised.value) == (
        "workflow 'w' step 'plan' depends on 'reserch', which is not a step (steps: research, plan)"
    )


def test_cycles_are_named_step_by_step() -> None:
    workflow = Workflow("w")
    workflow.add_step("start", "s")
    workflow.add_step("a", "a", depends_on=["start", "c"])
    workflow.add_step("b", "b", depends_on=["a"])
    workflow.add_step("c", "c", depends_on=["b"])
    with pytest.raises(WorkflowError, match=r"dependency cycle: a -> c -> b -> a;"):
        workflow.ordered_steps()


def test_self_dependency_is_a_cycle() -> None:
    workflow = Workflow("w").add_step("a", "a", depends_on=["a"])
    with pytest.raises(WorkflowError, match="cycle: a -> a"):
        workflow.ordered_steps()


def test_duplicate_names_and_string_depends_on_are_refused() -> None:
    workflow = Workflow("w").add_step("a", "a")
    with pytest.raises(WorkflowError, match="already has a step named 'a'"):
        workflow.add_step("a", "again")
    with pytest.raises(WorkflowError, match=r"depends_on=\['a'\]"):
        workflow.add_step("b", "b", depends_on="a")
