"""`trae run "task"`: plan, act, verify and record, with a live view and a summary with diffs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from trae_lsp.agent.resolve import load_project_config
from trae_lsp.agent.trae_agent import DEFAULT_MAX_STEPS, TraeAgent
from trae_lsp.cli.driver import drive, exit_code
from trae_lsp.cli.render import render_result
from trae_lsp.cli.report import write_report
from trae_lsp.llm.budget import BUDGET_STRATEGIES, TokenBudget
from trae_lsp.workspace import WorkspaceMode

ProjectOption = Annotated[
    Path | None, typer.Option("--project", help="Project directory (default: current).")
]
"""`--project DIR`, shared by the agent commands."""

ModelOption = Annotated[
    str | None, typer.Option("--model", help="Model name or provider:model (default: config).")
]
"""`--model M`, shared by the agent commands."""


def project_dir(project: Path | None) -> Path:
    """The project directory (default: the current one), which must exist."""
    path = (project or Path.cwd()).expanduser().resolve()
    if not path.is_dir():
        raise typer.BadParameter(f"{path} is not a directory; pass an existing project directory")
    return path


def run(
    task: Annotated[str, typer.Argument(help="What the agent should do.")],
    project: ProjectOption = None,
    model: ModelOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Plan and propose changes without writing any file.")
    ] = False,
    record_trajectory: Annotated[
        bool | None,
        typer.Option(
            "--record-trajectory/--no-record-trajectory",
            help="Record the run (default: trajectory.enabled).",
        ),
    ] = None,
    output_report: Annotated[
        Path | None,
        typer.Option("--output-report", "--output", help="Write a Markdown report here."),
    ] = None,
    max_steps: Annotated[
        int, typer.Option("--max-steps", min=1, help="Model turns before stopping.")
    ] = DEFAULT_MAX_STEPS,
    budget: Annotated[
        int | None, typer.Option("--budget", min=1, help="Most input tokens the run may use.")
    ] = None,
    budget_strategy: Annotated[
        str | None,
        typer.Option("--budget-strategy", help="normal or conservative (shrinks old outputs)."),
    ] = None,
    context: Annotated[
        str | None, typer.Option("--context", help="Extra context for the agent.")
    ] = None,
) -> None:
    """Run a task on a project: plan, edit with tools, run the tests, show the diffs."""
    root = project_dir(project)
    if budget_strategy is not None and budget_strategy not in BUDGET_STRATEGIES:
        known = ", ".join(BUDGET_STRATEGIES)
        raise typer.BadParameter(f"unknown budget strategy {budget_strategy!r}; use {known}")
    loaded = load_project_config(root)
    agent = TraeAgent(
        model=model,
        project_path=root,
        record_trajectory=record_trajectory,
        token_budget=_budget(budget, loaded.config.budget.warn_at_percent),
        config=loaded,
        workspace_mode=WorkspaceMode.PROPOSE if dry_run else WorkspaceMode.APPLY,
        max_steps=max_steps,
    )
    console = Console()
    result = drive(agent, task, console, context=context, budget_strategy=budget_strategy)
    render_result(console, result, proposed=dry_run)
    if output_report is not None:
        write_report(output_report, task, result)
        console.print(f"report: {output_report}", highlight=False)
    raise typer.Exit(exit_code(result))


def _budget(max_input_tokens: int | None, warn_at_percent: float) -> TokenBudget | None:
    """`--budget N`: at most N input tokens (None: the `budget` settings apply)."""
    if max_input_tokens is None:
        return None
    return TokenBudget(max_input_tokens, warn_at_percent=warn_at_percent)
