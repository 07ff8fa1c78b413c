"""Inefficiencies and failures a trajectory shows, each pinned to the step where it happened."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from trae_lsp.trajectory.schema import (
    StepStatus,
    Trajectory,
    TrajectoryStatus,
    TrajectoryStep,
    is_mutating_tool,
)
from trae_lsp.trajectory.size import TRUNCATION_PREFIX

HUGE_OUTPUT_CHARS = 20_000
"""A tool output longer than this (about 5k tokens) is flagged: it floods the context."""

DONE_TOOLS = ("task_done",)
"""Tools by which the agent declares the task finished."""

EXCERPT_CHARS = 120
"""Longest excerpt of an output quoted in an issue."""


class IssueKind(StrEnum):
    """What kind of problem an issue is."""

    REPEATED_CALL = "repeated_call"
    RETRIED_FAILURE = "retried_failure"
    HUGE_OUTPUT = "huge_output"
    AFTER_DONE = "after_done"
    BUDGET_WARNING = "budget_warning"
    ERRORED_STEP = "errored_step"
    INTERRUPTED_STEP = "interrupted_step"
    UNFINISHED_RUN = "unfinished_run"


@dataclass(frozen=True)
class TrajectoryIssue:
    """One finding: the step it concerns (0 = before any tool call) and what is wrong."""

    step: int
    kind: IssueKind
    description: str


def find_issues(
    trajectory: Trajectory, *, huge_output_chars: int = HUGE_OUTPUT_CHARS
) -> list[TrajectoryIssue]:
    """Every finding of a trajectory, ordered by step."""
    found = [
        *_repeats(trajectory.steps),
        *_step_problems(trajectory.steps, huge_output_chars),
        *_after_done(trajectory.steps),
        *(
            TrajectoryIssue(
                w.step,
                IssueKind.BUDGET_WARNING,
                f"budget warning ({w.percent_used:.0f}% used): {w.message}",
            )
            for w in trajectory.budget_warnings
        ),
        *_unfinished(trajectory),
    ]
    retried = {issue.step for issue in found if issue.kind is IssueKind.RETRIED_FAILURE}
    # A failed retry is already one finding; listing its error again is noise.
    kept = [i for i in found if not (i.kind is IssueKind.ERRORED_STEP and i.step in retried)]
    return sorted(kept, key=lambda issue: issue.step)


def _call_key(step: TrajectoryStep) -> str:
    return step.tool + "\0" + json.dumps(step.input, sort_keys=True, default=str)


def _repeats(steps: list[TrajectoryStep]) -> Iterator[TrajectoryIssue]:
    """Identical calls with no file change in between: the second one learned nothing new."""
    seen: dict[str, TrajectoryStep] = {}
    for step in steps:
        earlier = seen.get(_call_key(step))
        if earlier is not None and earlier.status is StepStatus.ERROR:
            yield TrajectoryIssue(
                step.step,
                IssueKind.RETRIED_FAILURE,
                f"retries the failing `{step.tool}` call of step {earlier.step} unchanged "
                f"(it failed with: {_excerpt(earlier.output)})"
                + (", and it failed again" if step.status is StepStatus.ERROR else ""),
            )
        elif earlier is not None:
            yield TrajectoryIssue(
                step.step,
                IssueKind.REPEATED_CALL,
                f"repeats step {earlier.step} (`{step.tool}` with the same input) "
                "with no file changed in between",
            )
        if is_mutating_tool(step.tool) and step.status is StepStatus.COMPLETED:
            seen.clear()
        seen[_call_key(step)] = step


def _step_problems(steps: list[TrajectoryStep], huge_chars: int) -> Iterator[TrajectoryIssue]:
    """Errored and interrupted steps, and outputs too large for the context."""
    for step in steps:
        if step.status is StepStatus.ERROR:
            yield TrajectoryIssue(
                step.step, IssueKind.ERRORED_STEP, f"`{step.tool}` failed: {_excerpt(step.output)}"
            )
        elif step.status is StepStatus.INTERRUPTED:
            yield TrajectoryIssue(
                step.step,
                IssueKind.INTERRUPTED_STEP,
                f"`{step.tool}` was called but the run stopped before it returned",
            )
        output = step.output or ""
        if len(output) > huge_chars or TRUNCATION_PREFIX in output:
            yield TrajectoryIssue(
                step.step,
                IssueKind.HUGE_OUTPUT,
                f"`{step.tool}` returned a huge output ({len(output):,} characters"
                f"{', truncated in the record' if TRUNCATION_PREFIX in output else ''}); "
                "narrow the command or read a range",
            )


def _after_done(steps: list[TrajectoryStep]) -> Iterator[TrajectoryIssue]:
    """Work after the agent said it was done is wasted (or the done call was premature)."""
    done = next(
        (s for s in steps if s.tool in DONE_TOOLS and s.status is StepStatus.COMPLETED), None
    )
    if done is None:
        return
    later = [s for s in steps if s.step > done.step]
    if later:
        yield TrajectoryIssue(
            later[0].step,
            IssueKind.AFTER_DONE,
            f"{len(later)} tool call(s) after `{done.tool}` at step {done.step}",
        )


def _unfinished(trajectory: Trajectory) -> Iterator[TrajectoryIssue]:
    """A run that did not complete, with the reason it recorded."""
    if trajectory.status in (TrajectoryStatus.COMPLETED, TrajectoryStatus.RUNNING):
        return
    last = trajectory.steps[-1].step if trajectory.steps else 0
    reason = f": {trajectory.error}" if trajectory.error else ""
    yield TrajectoryIssue(
        last, IssueKind.UNFINISHED_RUN, f"run ended with status {trajectory.status}{reason}"
    )


def _excerpt(output: Any) -> str:
    text = str(output or "").strip()
    first = text.splitlines()[0] if text else "(no output)"
    return first if len(first) <= EXCERPT_CHARS else first[:EXCERPT_CHARS] + "…"
