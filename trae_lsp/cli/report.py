"""`--output-report FILE`: a Markdown account of a run (what was asked, done, changed and spent)."""

from __future__ import annotations

from pathlib import Path

from trae_lsp.agent.result import AgentResult
from trae_lsp.workspace.atomic import atomic_write


def markdown_report(task: str, result: AgentResult) -> str:
    """The run as Markdown: status, summary, plan, diffs, tokens, cost and trajectory."""
    lines = [f"# {task}", "", f"**Status:** {result.status.value}"]
    if result.error:
        lines += ["", f"**Error:** {result.error}"]
    if result.summary:
        lines += ["", "## Summary", "", result.summary]
    if result.plan is not None:
        lines += ["", "## Plan", ""]
        lines += [f"{step.index}. {step.description}" for step in result.plan.steps]
    lines += ["", "## Changes", ""]
    if not result.changes:
        lines.append("No files changed.")
    for change in result.changes:
        lines += [f"### {change.file}", "", "```diff", change.diff.rstrip("\n"), "```", ""]
    usage = result.token_usage
    lines += [
        "",
        "## Cost",
        "",
        f"- tokens: {usage.total_tokens:,} (input {usage.input_tokens:,}, output "
        f"{usage.output_tokens:,}, cache read {usage.cache_read_tokens:,}, cache write "
        f"{usage.cache_write_tokens:,})",
        f"- estimated cost: ${result.estimated_cost_usd:.4f}",
    ]
    if result.trajectory_path is not None:
        lines.append(f"- trajectory: `{result.trajectory_path}`")
    return "\n".join(lines) + "\n"


def write_report(path: Path, task: str, result: AgentResult) -> None:
    """Write the report atomically (a reader never sees half of it)."""
    atomic_write(path.resolve(), markdown_report(task, result).encode("utf-8"))
