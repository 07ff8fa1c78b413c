"""`trae replay --trajectory FILE`: a recorded run step by step, or (`--execute`) re-run it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax

from trae_lsp.agent.trae_agent import TraeAgent
from trae_lsp.cli.driver import drive, exit_code
from trae_lsp.cli.render import render_result, result_line, short_arguments
from trae_lsp.cli.run_cmd import project_dir
from trae_lsp.llm.replay import ReplayModel
from trae_lsp.trajectory.schema import LLMInteraction, StepStatus, Trajectory
from trae_lsp.trajectory.store import load_trajectory

TEXT_CHARS = 600
"""Characters of a model answer shown per call."""


def replay(
    trajectory: Annotated[
        Path,
        typer.Option("--trajectory", help="Trajectory file (.json, or a crashed run's .jsonl)."),
    ],
    execute: Annotated[
        bool,
        typer.Option("--execute", help="Re-run it: the recorded answers drive the real tools."),
    ] = False,
    project: Annotated[
        Path | None, typer.Option("--project", help="Tree to re-run against (default: current).")
    ] = None,
) -> None:
    """Show a recorded run step by step, or re-run it with the replay model (--execute)."""
    run = load_trajectory(trajectory)
    console = Console()
    if not execute:
        show_trajectory(console, run)
        return
    agent = TraeAgent(model=ReplayModel.from_trajectory(run), project_path=project_dir(project))
    result = drive(agent, run.task, console)
    render_result(console, result)
    raise typer.Exit(exit_code(result))


def show_trajectory(console: Console, run: Trajectory) -> None:
    """The run as it happened: plan, each model call with its tool calls and results, outcome."""
    say = console.print
    say(f"[bold]{escape(run.trajectory_id)}[/bold] · {escape(run.task)}", highlight=False)
    say(f"[dim]model {escape(run.model or '?')} · project {escape(run.project_path)}[/dim]")
    if run.plan:
        say("[bold]Plan[/bold]")
        for planned in run.plan:
            say(f"  {planned.index}. {escape(planned.description)}", highlight=False)
    for interaction in run.llm_interactions:
        _show_interaction(console, run, interaction)
    style = "green" if run.status == "completed" else "red"
    say(f"\n[{style}]{run.status.value}[/{style}] {escape(run.error or '')}", highlight=False)
    if run.summary:
        say(escape(run.summary), highlight=False)
    for change in run.changes:
        say(Syntax(change.diff, "diff", theme="ansi_dark", background_color="default"))
    totals = run.totals
    say(
        f"{totals.llm_calls} model calls · {totals.tool_calls or len(run.steps)} tool calls · "
        f"{run.total_tokens:,} tokens · ${totals.cost_usd:.4f} · {run.duration_seconds:.1f} s",
        highlight=False,
    )


def _show_interaction(console: Console, run: Trajectory, interaction: LLMInteraction) -> None:
    step = interaction.agent_step
    label = "planner" if step is None else f"step {step}"
    console.print(
        f"\n[bold]{label}[/bold] [dim]model call {interaction.index} · "
        f"{interaction.usage.total_tokens:,} tokens · {interaction.latency_seconds:.1f} s[/dim]",
        highlight=False,
    )
    text = interaction.response.text.strip()
    if text:
        cut = text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS] + "…"
        console.print(f"[italic]{escape(cut)}[/italic]", highlight=False)
    if step is None:
        return
    for tool_step in (s for s in run.steps if s.agent_step == step):
        arguments = tool_step.input if isinstance(tool_step.input, dict) else {}
        console.print(
            f"[cyan]→ {tool_step.tool}[/cyan] [dim]{escape(short_arguments(arguments))}[/dim]"
        )
        mark = "[green]✓[/green]" if tool_step.status is StepStatus.COMPLETED else "[red]✗[/red]"
        console.print(
            f"  {mark} [dim]{escape(result_line(tool_step.tool, tool_step.output or ''))}[/dim]"
        )
