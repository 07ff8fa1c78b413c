"""Running an agent from the terminal: live rendering, Ctrl-C as clean cancellation, exit codes."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterator

from rich.console import Console

from trae_lsp.agent.events import RunStatus
from trae_lsp.agent.result import AgentResult
from trae_lsp.agent.trae_agent import TraeAgent
from trae_lsp.cli.render import EventRenderer

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
