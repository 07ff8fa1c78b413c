"""`trae chat`: an interactive session with the agent; `/undo`, `/diff`, `/cost`, `/exit`."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax

from trae_lsp.agent.chat import ChatSession
from trae_lsp.agent.resolve import load_project_config
from trae_lsp.agent.trae_agent import TraeAgent
from trae_lsp.cli.driver import interrupt_cancels
from trae_lsp.cli.render import EventRenderer
from trae_lsp.cli.run_cmd import ModelOption, ProjectOption, project_dir
from trae_lsp.events import RunStatus
from trae_lsp.workspace import WorkspaceMode

HELP = "Commands: /undo (revert the last request's edits), /diff, /cost, /exit."
"""Shown at the start and for unknown commands."""


def chat(
    project: ProjectOption = None,
    model: ModelOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Keep edits in memory; never write a file.")
    ] = False,
) -> None:
    """Talk to the agent about your project; it keeps the conversation until you /exit."""
    root = project_dir(project)
    agent = TraeAgent(
        model=model,
        project_path=root,
        config=load_project_config(root),
        planning=False,
        workspace_mode=WorkspaceMode.PROPOSE if dry_run else WorkspaceMode.APPLY,
    )
    console = Console()
    session = ChatSession(agent, listener=EventRenderer(console, live=False, show_start=False))
    session.start()
    console.print(f"[dim]trae chat in {escape(str(root))}. {HELP}[/dim]", highlight=False)
    try:
        asyncio.run(_conversation(session, console))
    except KeyboardInterrupt:
        console.print()
    result = session.close()
    if result.trajectory_path is not None:
        console.print(f"trajectory: {result.trajectory_path}", highlight=False)


async def _conversation(session: ChatSession, console: Console) -> None:
    commands = _commands(session, console)
    while True:
        line = await asyncio.to_thread(_read_line, console)
        if line is None:
            return
        if not line:
            continue
        if line.startswith("/"):
            command = commands.get(line.split()[0])
            if command is None:
                console.print(f"Unknown command {escape(line)}. {HELP}", highlight=False)
            elif command() is False:
                return
            continue
        cancel = asyncio.Event()
        with interrupt_cancels(cancel):
            outcome = await session.ask(line, cancel=cancel)
        if outcome.summary:
            console.print(f"[bold]trae>[/bold] {escape(outcome.summary)}", highlight=False)
        if outcome.status is not RunStatus.COMPLETED:
            detail = f": {outcome.error}" if outcome.error else ""
            console.print(f"[yellow]{outcome.status.value}{escape(detail)}[/yellow]")


def _read_line(console: Console) -> str | None:
    """One line from the user (None at end of input)."""
    console.print("[bold]you>[/bold] ", end="")
    line = sys.stdin.readline()
    if not line:
        console.print()
        return None
    return line.strip()


def _commands(session: ChatSession, console: Console) -> dict[str, Callable[[], bool]]:
    def undo() -> bool:
        reverted = session.undo()
        if not reverted:
            console.print("Nothing to undo.")
        for item in reverted:
            verb = "removed" if item.deleted else "restored"
            console.print(f"{verb} {escape(item.file)}", highlight=False)
        return True

    def diff() -> bool:
        text = session.diff()
        if text:
            console.print(Syntax(text, "diff", theme="ansi_dark", background_color="default"))
        else:
            console.print("No changes yet.")
        return True

    def cost() -> bool:
        usage = session.usage
        console.print(
            f"{usage.total_tokens:,} tokens (input {usage.input_tokens:,}, output "
            f"{usage.output_tokens:,}, cache read {usage.cache_read_tokens:,}) · "
            f"estimated cost ${session.cost_usd:.4f}",
            highlight=False,
        )
        return True

    return {"/undo": undo, "/diff": diff, "/cost": cost, "/exit": lambda: False}
