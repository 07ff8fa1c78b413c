"""Rendering agent events and results in the terminal with rich: a live log and a final summary."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.status import Status
from rich.syntax import Syntax

from trae_lsp.agent.result import AgentResult
from trae_lsp.events import (
    AgentEvent,
    BudgetWarning,
    ChangeProposed,
    ModelCalled,
    PlanMade,
    RunFinished,
    RunStarted,
    RunStatus,
    StepStarted,
    TokensUsed,
    ToolCalled,
    ToolResulted,
)

ARGUMENT_CHARS = 90
"""Characters of a tool call's arguments shown on its line."""

STATUS_STYLES = {
    RunStatus.COMPLETED: "bold green",
    RunStatus.CANCELLED: "bold yellow",
    RunStatus.MAX_STEPS: "bold yellow",
    RunStatus.BUDGET_EXCEEDED: "bold yellow",
    RunStatus.FAILED: "bold red",
}
"""How each final status is shown."""


def short_arguments(arguments: dict[str, Any]) -> str:
    """A tool call's arguments on one line, cut to `ARGUMENT_CHARS`."""
    text = json.dumps(arguments, ensure_ascii=False)
    return text if len(text) <= ARGUMENT_CHARS else text[: ARGUMENT_CHARS - 1] + "…"


def first_line(text: str) -> str:
    """The first non-empty line of a tool output, for the progress log."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return "(no output)"
    extra = f"  (+{len(lines) - 1} lines)" if len(lines) > 1 else ""
    return lines[0].strip()[:ARGUMENT_CHARS] + extra


def last_line(text: str) -> str:
    """The last non-empty line (a test run's verdict)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:ARGUMENT_CHARS] if lines else "(no output)"


def result_line(tool: str, output: str) -> str:
    """The line that sums up a tool's output: a test run's verdict, else its first line."""
    if tool == "verify":
        return last_line(output)
    if tool == "shell":  # exit code first, the command's verdict last
        return f"{first_line(output).split('  (+')[0]} · {last_line(output)}"
    return first_line(output)


def diff_stat(diff: str) -> tuple[int, int]:
    """Lines added and removed by a unified diff (file headers not counted)."""
    lines = [line for line in diff.splitlines() if not line.startswith(("+++", "---"))]
    return (
        sum(1 for line in lines if line.startswith("+")),
        sum(1 for line in lines if line.startswith("-")),
    )


class EventRenderer:
    """An event listener that prints a readable progress log and keeps a live status line."""

    def __init__(
        self,
        console: Console,
        *,
        show_text: bool = True,
        live: bool = True,
        show_start: bool = True,
    ) -> None:
        self.console = console
        self.show_text = show_text
        self.live = live
        """Keep a spinner with the step, tokens and cost (off for chat, which reads stdin)."""
        self.show_start = show_start
        self._status: Status | None = None
        self._tokens = "0 tokens · $0.0000"

    def __call__(self, event: AgentEvent) -> None:
        """Render one event."""
        handler = getattr(self, f"_on_{event.kind}", None)
        if handler is not None:
            handler(event)

    def _say(self, markup: str) -> None:
        self.console.print(markup, highlight=False)

    def _on_run_started(self, event: RunStarted) -> None:
        if self.show_start:
            self._say(f"[bold]▶ {escape(event.task)}[/bold]")
            self._say(f"[dim]model {escape(event.model)} · project {escape(event.project_path)}[/]")
        if self.live:
            self._status = self.console.status("working…")
            self._status.start()

    def _on_plan_made(self, event: PlanMade) -> None:
        self._say("[bold]Plan[/bold]")
        for step in event.steps:
            self._say(f"  {step.index}. {escape(step.description)}")

    def _on_step_started(self, event: StepStarted) -> None:
        self._set_status(f"step {event.index} · {self._tokens}")

    def _on_model_called(self, event: ModelCalled) -> None:
        if self.show_text and event.response_text.strip() and event.tool_calls:
            self._say(f"[italic]{escape(event.response_text.strip())}[/italic]")

    def _on_tool_called(self, event: ToolCalled) -> None:
        self._say(f"[cyan]→ {event.tool}[/cyan] [dim]{escape(short_arguments(event.arguments))}[/]")

    def _on_tool_resulted(self, event: ToolResulted) -> None:
        mark = "[red]✗[/red]" if event.is_error else "[green]✓[/green]"
        self._say(f"  {mark} [dim]{escape(result_line(event.tool, event.output))}[/dim]")

    def _on_change_proposed(self, event: ChangeProposed) -> None:
        added, removed = diff_stat(event.diff)
        self._say(f"  [magenta]✎ {escape(event.file)}[/magenta] [dim](+{added} -{removed})[/dim]")

    def _on_tokens_used(self, event: TokensUsed) -> None:
        total = (
            event.input_tokens
            + event.output_tokens
            + event.cache_read_tokens
            + event.cache_write_tokens
        )
        self._tokens = f"{total:,} tokens · ${event.cost_usd:.4f}"
        self._set_status(self._tokens)

    def _on_budget_warning(self, event: BudgetWarning) -> None:
        self._say(f"[yellow]⚠ {escape(event.message)}[/yellow]")

    def _on_run_finished(self, event: RunFinished) -> None:
        self.stop()

    def _set_status(self, text: str) -> None:
        if self._status is not None:
            self._status.update(text)

    def pause(self) -> None:
        """Hide the live status line (while the user is asked something)."""
        if self._status is not None:
            self._status.stop()

    def resume(self) -> None:
        """Show the live status line again after `pause`."""
        if self._status is not None:
            self._status.start()

    def stop(self) -> None:
        """Remove the live status line (the run ended or was interrupted)."""
        if self._status is not None:
            self._status.stop()
            self._status = None


def render_result(console: Console, result: AgentResult, *, proposed: bool = False) -> None:
    """The final summary: status, what was done, diffs, tokens, cost and trajectory path."""
    style = STATUS_STYLES.get(result.status, "bold")
    console.print()
    console.print(f"[{style}]{result.status.value}[/{style}]", highlight=False)
    if result.summary:
        console.print(escape(result.summary), highlight=False)
    if result.error:
        console.print(f"[red]{escape(result.error)}[/red]", highlight=False)
    render_changes(console, result, proposed=proposed)
    usage = result.token_usage
    console.print(
        f"tokens: {usage.total_tokens:,} (input {usage.input_tokens:,}, output "
        f"{usage.output_tokens:,}, cache read {usage.cache_read_tokens:,}, cache write "
        f"{usage.cache_write_tokens:,}) · estimated cost ${result.estimated_cost_usd:.4f}",
        highlight=False,
    )
    if result.trajectory_path is not None:
        console.print(f"trajectory: {result.trajectory_path}", highlight=False)


def render_changes(console: Console, result: AgentResult, *, proposed: bool = False) -> None:
    """Each changed file's diff, or a line saying nothing changed."""
    if not result.changes:
        console.print("[dim]No files changed.[/dim]")
        return
    verb = "Proposed changes (not written)" if proposed else "Changes"
    console.print(f"[bold]{verb}:[/bold] {', '.join(result.modified_files)}", highlight=False)
    for change in result.changes:
        console.print(Syntax(change.diff, "diff", theme="ansi_dark", background_color="default"))
