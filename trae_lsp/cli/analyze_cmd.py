"""`trae analyze FILE [FILE2]`: a recorded run's figures and issues, or two runs compared."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from trae_lsp.trajectory.analyzer import TrajectoryAnalyzer, TrajectoryComparison
from trae_lsp.trajectory.findings import TrajectoryIssue
from trae_lsp.trajectory.schema import Trajectory, TrajectoryStatus

_STATUS_STYLE = {TrajectoryStatus.COMPLETED: "green", TrajectoryStatus.RUNNING: "yellow"}


def analyze(
    trajectory: Annotated[
        Path,
        typer.Argument(help="Trajectory file (.json, or the .jsonl journal of an unfinished run)."),
    ],
    other: Annotated[
        Path | None,
        typer.Argument(help="A second trajectory of the same task, compared against the first."),
    ] = None,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Show a recorded run's duration, tokens, cost, changed files and issues."""
    analyzer = TrajectoryAnalyzer()
    runs = [analyzer.load(path) for path in (trajectory, other) if path is not None]
    issues = [analyzer.find_issues(run) for run in runs]
    comparison = analyzer.compare(runs[0], runs[1]) if len(runs) == 2 else None
    if as_json:
        typer.echo(json.dumps(_as_json(runs, issues, comparison), indent=2))
        return
    console = Console()
    for run, found in zip(runs, issues, strict=True):
        console.print(_overview(run))
        console.print(_issue_table(found) if found else "[green]No issues found.[/green]")
        console.print()
    if comparison is not None:
        console.print(_comparison_table(comparison))


def _overview(run: Trajectory) -> Table:
    usage = run.totals.usage
    style = _STATUS_STYLE.get(run.status, "red")
    table = Table(title=f"Trajectory {run.trajectory_id}", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("task", run.task),
        ("status", f"[{style}]{run.status}[/{style}]" + (f" — {run.error}" if run.error else "")),
        ("model", "/".join(part for part in (run.provider, run.model) if part) or "-"),
        ("duration", f"{run.duration_seconds:.1f} s"),
        (
            "tokens",
            f"{run.total_tokens:,} (input {usage.input_tokens:,}, output {usage.output_tokens:,}, "
            f"cache read {usage.cache_read_tokens:,}, cache write {usage.cache_write_tokens:,})",
        ),
        ("cost", f"${run.totals.cost_usd:.4f}"),
        ("steps", f"{len(run.steps)} tool calls, {len(run.llm_interactions)} model calls"),
        ("files changed", ", ".join(run.modified_files) or "none"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def _issue_table(issues: list[TrajectoryIssue]) -> Table:
    table = Table("step", "issue", "description", title=f"{len(issues)} issue(s)")
    for issue in issues:
        table.add_row(str(issue.step), issue.kind.value, issue.description)
    return table


def _comparison_table(diff: TrajectoryComparison) -> Table:
    table = Table("", diff.baseline_id, diff.candidate_id, "reduction", title="Comparison")
    rows = [
        ("tokens", diff.baseline_tokens, diff.candidate_tokens, diff.token_reduction_percent),
        ("tool calls", diff.baseline_steps, diff.candidate_steps, diff.step_reduction_percent),
        (
            "cost ($)",
            diff.baseline_cost_usd,
            diff.candidate_cost_usd,
            diff.cost_reduction_percent,
        ),
        (
            "duration (s)",
            diff.baseline_duration_seconds,
            diff.candidate_duration_seconds,
            diff.duration_reduction_percent,
        ),
    ]
    for name, first, second, percent in rows:
        table.add_row(name, f"{first:,}", f"{second:,}", f"{percent:+.1f} %")
    return table


def _as_json(
    runs: list[Trajectory],
    issues: list[list[TrajectoryIssue]],
    comparison: TrajectoryComparison | None,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "trajectories": [
            {
                "trajectory_id": run.trajectory_id,
                "task": run.task,
                "status": run.status.value,
                "duration_seconds": run.duration_seconds,
                "total_tokens": run.total_tokens,
                "cost_usd": run.totals.cost_usd,
                "modified_files": run.modified_files,
                "issues": [asdict(issue) for issue in found],
            }
            for run, found in zip(runs, issues, strict=True)
        ]
    }
    if comparison is not None:
        result["comparison"] = {
            **asdict(comparison),
            "token_reduction_percent": comparison.token_reduction_percent,
        }
    return result
