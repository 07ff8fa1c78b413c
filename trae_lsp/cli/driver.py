"""Running an agent from the terminal: live rendering, Ctrl-C as clean cancellation, exit codes."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Iterator

import typer
from rich.console import Console

from trae_lsp.agent.result import AgentResult
from trae_lsp.agent.trae_agent import TraeAgent
from trae_lsp.cli.render import EventRenderer
from trae_lsp.events import RunStatus
from trae_lsp.tools.base import ConfirmFn

EXIT_CODES = {RunStatus.COMPLETED: 0, RunStatus.CANCELLED: 130}
"""Exit status per run status; every other status exits with 1."""


def exit_code(result: AgentResult) -> int:
    """The process exit status for a run's result."""
    return EXIT_CODES.get(result.status, 1)


@contextlib.contextmanager
def interrupt_cancels(cancel: asyncio.Event) -> Iterator[None]:
    """The first Ctrl-C sets `cancel` (the run stops cleanly); a second one interrupts."""
    loop = asyncio.get_running_loop()

    def on_interrupt() -> None:
        cancel.set()
        loop.remove_signal_handler(signal.SIGINT)

    try:
        loop.add_signal_handler(signal.SIGINT, on_interrupt)
    except (NotImplementedError, RuntimeError):  # not the main thread: Ctrl-C stays default
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)


def terminal_confirm(renderer: EventRenderer) -> ConfirmFn:
    """Ask yes/no on the terminal (the live view paused), e.g. before `git commit`."""

    async def confirm(question: str) -> bool:
        renderer.pause()
        try:
            return await asyncio.to_thread(typer.confirm, question, default=False)
        finally:
            renderer.resume()

    return confirm


def drive(
    agent: TraeAgent,
    task: str,
    console: Console,
    *,
    context: str | None = None,
    budget_strategy: str | None = None,
) -> AgentResult:
    """Run `task` with a live progress view; Ctrl-C ends it as `cancelled`."""
    renderer = EventRenderer(console)
    if agent.confirm is None and sys.stdin.isatty():
        agent.confirm = terminal_confirm(renderer)

    async def main() -> AgentResult:
        cancel = asyncio.Event()
        with interrupt_cancels(cancel):
            return await agent.arun(
                task, context, budget_strategy=budget_strategy, listener=renderer, cancel=cancel
            )

    try:
        return asyncio.run(main())
    finally:
        renderer.stop()
