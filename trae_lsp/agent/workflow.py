"""Workflows: named agent tasks with `{variables}`, run in dependency order.

`Workflow` only describes the DAG; `run_workflow` runs it with any async
"run one task" function (the agent's, or a test's), one step at a time because
every step works on the same project tree. Each step receives the results of the
steps it depends on; a step whose dependency did not complete is skipped.
"""

from __future__ import annotations

import string
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from trae_lsp.errors import TraeError
from trae_lsp.events import RunStatus

SKIPPED = "skipped"
"""Status of a step that did not run because a step it depends on did not complete."""

DEPENDENCY_DIFF_CHARS = 4000
"""Most characters of one dependency's diffs passed on as context to the steps after it."""


class WorkflowError(TraeError):
    """A workflow is malformed (cycle, unknown step, bad or missing variable)."""


class FileChangeLike(Protocol):
    """A changed file and its unified diff (`AgentResult.changes` items fit)."""

    @property
    def file(self) -> str:
        """Path of the changed file, relative to the project."""

    @property
    def diff(self) -> str:
        """Unified diff of the change."""


class TaskOutcome(Protocol):
    """What running one task must return: a status, a summary and the changes."""

    @property
    def status(self) -> str:
        """A `RunStatus` value; only `completed` lets dependent steps run."""

    @property
    def summary(self) -> str:
        """What was done, for the steps that depend on this one."""

    @property
    def changes(self) -> Sequence[FileChangeLike]:
        """The files changed, with diffs."""


@dataclass(frozen=True)
class WorkflowStep:
    """One step as declared: its task template, dependencies and allowed tools."""

    name: str
    task: str
    depends_on: tuple[str, ...] = ()
    tools: tuple[str, ...] | None = None


@dataclass(frozen=True)
class StepChange:
    """A file a step changed."""

    file: str
    diff: str


@dataclass(frozen=True)
class WorkflowStepResult:
    """How one step went; `outcome` is what the task function returned (None if skipped)."""

    name: str
    status: str
    summary: str = ""
    changes: tuple[StepChange, ...] = ()
    error: str | None = None
    outcome: Any = None

    @property
    def succeeded(self) -> bool:
        """Whether the step completed, so the steps depending on it may run."""
        return self.status == RunStatus.COMPLETED


@dataclass(frozen=True)
class WorkflowTask:
    """One step ready to run: its task text with variables filled in, and its inputs."""

    name: str
    task: str
    tools: tuple[str, ...] | None = None
    dependencies: Mapping[str, WorkflowStepResult] = field(default_factory=dict)

    @property
    def context(self) -> str | None:
        """The dependencies' summaries and changes as text for the agent, or None."""
        if not self.dependencies:
            return None
        parts = ["Results of the workflow steps this one builds on:"]
        for result in self.dependencies.values():
            parts.append(f"\n## {result.name} ({result.status})\n{result.summary}".rstrip())
            if result.changes:
                files = ", ".join(change.file for change in result.changes)
                diffs = "\n".join(change.diff for change in result.changes)
                parts.append(f"Changed files: {files}\n{_cut(diffs, DEPENDENCY_DIFF_CHARS)}")
        return "\n".join(parts)


RunTask = Callable[[WorkflowTask], Awaitable[TaskOutcome]]
"""The function that runs one task, e.g. a `TraeAgent`'s async run."""


class Workflow:
    """A DAG of agent tasks, built with `add_step` (the article's API)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._steps: dict[str, WorkflowStep] = {}

    @property
    def steps(self) -> tuple[WorkflowStep, ...]:
        """The steps in the order they were added."""
        return tuple(self._steps.values())

    def add_step(
        self,
        name: str,
        task: str,
        depends_on: Sequence[str] | None = None,
        tools: Sequence[str] | None = None,
    ) -> Workflow:
        """Add a step; `task` may use `{variable}` placeholders filled when the workflow runs."""
        if not name.strip():
            raise WorkflowError(f"workflow {self.name!r}: a step needs a non-empty name")
        if name in self._steps:
            raise WorkflowError(
                f"workflow {self.name!r} already has a step named {name!r}; pick another name"
            )
        if isinstance(depends_on, str):
            raise WorkflowError(
                f"workflow {self.name!r} step {name!r}: depends_on must be a list of step names, "
                f"e.g. depends_on=[{depends_on!r}]"
            )
        _placeholders(self.name, name, task)  # reject malformed templates now
        self._steps[name] = WorkflowStep(
            name=name,
            task=task,
            depends_on=tuple(depends_on or ()),
            tools=None if tools is None else tuple(tools),
        )
        return self

    def ordered_steps(self) -> list[WorkflowStep]:
        """Steps in dependency order (ties keep insertion order); raises on bad dependencies."""
        self._check_dependencies()
        remaining = {name: set(step.depends_on) for name, step in self._steps.items()}
        ordered: list[WorkflowStep] = []
        while remaining:
            ready = [name for name, deps in remaining.items() if not deps]
            if not ready:
                raise WorkflowError(
                    f"workflow {self.name!r} has a dependency cycle: "
                    f"{' -> '.join(_find_cycle(remaining))}; remove one of these dependencies"
                )
            for name in ready:
                del remaining[name]
                ordered.append(self._steps[name])
            for deps in remaining.values():
                deps.difference_update(ready)
        return ordered

    def render(self, variables: Mapping[str, object] | None = None) -> dict[str, str]:
        """Every step's task with variables filled in; names every missing variable."""
        values = dict(variables or {})
        missing = {
            f"{{{field_name}}} in step {step.name!r}"
            for step in self._steps.values()
            for field_name in _placeholders(self.name, step.name, step.task)
            if field_name not in values
        }
        if missing:
            given = ", ".join(sorted(values)) or "none"
            raise WorkflowError(
                f"workflow {self.name!r} needs variables that were not given: "
                f"{', '.join(sorted(missing))} (given: {given}); "
                "pass them as variables={'name': value}"
            )
        return {name: step.task.format_map(values) for name, step in self._steps.items()}

    def _check_dependencies(self) -> None:
        for step in self._steps.values():
            for dependency in step.depends_on:
                if dependency not in self._steps:
                    raise WorkflowError(
                        f"workflow {self.name!r} step {step.name!r} depends on {dependency!r}, "
                        f"which is not a step (steps: {', '.join(self._steps)})"
                    )


def _placeholders(workflow: str, step: str, template: str) -> list[str]:
    """The `{name}` fields of a task template; anything fancier is refused."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as e:
        raise WorkflowError(
            f"workflow {workflow!r} step {step!r}: malformed task template ({e}); "
            "write {{ and }} for literal braces"
        ) from e
    names = []
    for _, field_name, spec, conversion in parsed:
        if field_name is None:
            continue
        if not field_name.isidentifier() or spec or conversion:
            raise WorkflowError(
                f"workflow {workflow!r} step {step!r}: placeholder {{{field_name}}} is not a "
                "plain {variable} name; write {{ and }} for literal braces"
            )
        names.append(field_name)
    return names


def _find_cycle(graph: Mapping[str, set[str]]) -> list[str]:
    """One cycle in a graph where every node still has dependencies, as a closed path."""
    path: list[str] = []
    node = next(iter(graph))
    while node not in path:
        path.append(node)
        node = sorted(graph[node])[0]
    return [*path[path.index(node) :], node]


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n… ({len(text) - limit} more characters of diff omitted)"


async def run_workflow(
    workflow: Workflow,
    run_task: RunTask,
    variables: Mapping[str, object] | None = None,
) -> dict[str, WorkflowStepResult]:
    """Run every step in dependency order; results per step, in the order they ran.

    A task that raises a `TraeError` is recorded as `failed`; other exceptions
    (bugs, cancellation) propagate. Steps after a failed dependency are `skipped`.
    """
    ordered = workflow.ordered_steps()
    tasks = workflow.render(variables)
    results: dict[str, WorkflowStepResult] = {}
    for step in ordered:
        inputs = {name: results[name] for name in step.depends_on}
        blocked = [result for result in inputs.values() if not result.succeeded]
        if blocked:
            results[step.name] = _skipped(step, blocked[0])
            continue
        task = WorkflowTask(step.name, tasks[step.name], step.tools, inputs)
        results[step.name] = await _run_step(task, run_task)
    return results


def _skipped(step: WorkflowStep, blocker: WorkflowStepResult) -> WorkflowStepResult:
    return WorkflowStepResult(
        name=step.name,
        status=SKIPPED,
        error=f"skipped because step {blocker.name!r} ended with status {blocker.status}",
    )


async def _run_step(task: WorkflowTask, run_task: RunTask) -> WorkflowStepResult:
    try:
        outcome = await run_task(task)
    except TraeError as e:
        return WorkflowStepResult(name=task.name, status=RunStatus.FAILED, error=str(e))
    return WorkflowStepResult(
        name=task.name,
        status=outcome.status,
        summary=outcome.summary,
        changes=tuple(StepChange(c.file, c.diff) for c in outcome.changes),
        error=getattr(outcome, "error", None),
        outcome=outcome,
    )
