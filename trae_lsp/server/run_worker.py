"""One agent run in its own process, for the language server.

The server forks it warm from its fork server (`fork_server.forked_main` calls
`main`); `python -m trae_lsp.server.run_worker` starts one cold.

The server only relays: the agent, its model calls, tools and trajectory live
here, so their Python work never competes with the editor's requests for the
server's GIL. Talks `run_protocol` messages over stdin/stdout, both async, so a
cancel or a confirmation answer is read while the agent works. The worker
lowers its own CPU priority (`WORKER_NICENESS`) so that, on a busy machine,
typing in the editor wins over background agents. When its stdin closes (the
server died) it cancels the run and exits: no orphans.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from trae_lsp.errors import TraeError
from trae_lsp.events import RunStatus
from trae_lsp.server.run_protocol import (
    CancelRun,
    ConfirmAnswer,
    ConfirmQuestion,
    EventMessage,
    ProtocolError,
    RunFailure,
    RunOutcome,
    StartRun,
    decode_to_worker,
    encode,
    read_start,
)
from trae_lsp.server.worker_process import (
    lower_priority,
    pipe_reader,
    pipe_writer,
    protocol_stdout,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

    from trae_lsp.events import AgentEvent

WORKER_NICENESS = 10
"""Added to the worker's nice value: the server (the editor's requests) gets the CPU first."""

RELAYED_EVENTS = frozenset({"step_started", "tokens_used"})
"""Event kinds the server shows (a progress report per step, tokens and cost so far).

The others (model calls with whole tool outputs, …) stay in the worker's
trajectory: shipping and parsing them would cost the server's loop for nothing.
"""

logger = logging.getLogger(__name__)


class Channel:
    """The worker's end of the pipe: sends messages, awaits the server's answers."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        self._answers: dict[int, asyncio.Future[bool]] = {}
        self._ids = itertools.count(1)

    def send(self, message: BaseModel) -> None:
        """Queue one message (the transport writes it as the pipe drains)."""
        self._writer.write(encode(message))

    def relay(self, event: AgentEvent, /) -> None:
        """The agent's event listener: forward what the server shows."""
        if event.kind in RELAYED_EVENTS:
            self.send(EventMessage(event=event.model_dump(mode="json")))

    async def confirm(self, question: str) -> bool:
        """The agent's confirmation callback: the server asks the user."""
        number = next(self._ids)
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._answers[number] = answer
        self.send(ConfirmQuestion(id=number, question=question))
        try:
            return await answer
        finally:
            self._answers.pop(number, None)

    def answer(self, message: ConfirmAnswer) -> None:
        """The user's answer arrived."""
        waiting = self._answers.get(message.id)
        if waiting is not None and not waiting.done():
            waiting.set_result(message.allowed)

    async def close(self) -> None:
        """Flush every queued message, then close."""
        await self._writer.drain()
        self._writer.close()


async def run_agent(start: StartRun, channel: Channel) -> RunOutcome:
    """Build the agent like the server did, run it on a propose-mode workspace."""
    # Imported after `os.nice`: the agent and its SDKs take a while to import.
    from trae_lsp.agent.trae_agent import TraeAgent
    from trae_lsp.workspace import Workspace

    root = Path(start.root)
    agent = TraeAgent(
        start.model,
        root,
        record_trajectory=start.auto_record,
        workspace_mode="propose",
        confirm=channel.confirm,
        planning=False,
    )
    with Workspace(root, mode="propose") as workspace:
        for buffer in start.buffers:
            workspace.set_buffer(Path(buffer.path), buffer.text, buffer.version)
        result = await agent.arun(
            start.task, tools=start.tools, workspace=workspace, listener=channel.relay
        )
        changes = list(workspace.changes())
    return RunOutcome(
        status=str(result.status),
        summary=result.summary,
        error=result.error,
        trajectory=str(result.trajectory_path) if result.trajectory_path else None,
        changes=changes,
    )


async def listen(stdin: asyncio.StreamReader, channel: Channel, run: asyncio.Task[object]) -> None:
    """Answers and cancel from the server; its end of input (it died) cancels the run too."""
    try:
        while line := await stdin.readline():
            message = decode_to_worker(line)
            if isinstance(message, ConfirmAnswer):
                channel.answer(message)
            elif isinstance(message, CancelRun):
                run.cancel()
    except (ProtocolError, ValueError) as e:
        logger.error("Trae worker: unreadable message from the server, stopping: %s", e)
    finally:
        run.cancel()


async def outcome_of(run: asyncio.Task[RunOutcome]) -> RunOutcome | RunFailure:
    """What to tell the server once the run is over, however it ended."""
    await asyncio.wait([run])
    if run.cancelled():
        return RunOutcome(status=str(RunStatus.CANCELLED))
    error = run.exception()
    if error is None:
        return run.result()
    if isinstance(error, TraeError):
        return RunFailure(error=str(error))
    logger.error("Trae worker: the agent failed", exc_info=error)
    return RunFailure(
        error=f"Trae: the agent failed ({type(error).__name__}: {error}); "
        "run the task with `trae run` in a terminal to see the whole error."
    )


async def serve(stdin: asyncio.StreamReader, channel: Channel) -> None:
    """Read the start message, run the agent while listening, send how it ended."""
    start = await read_start(stdin)
    if start is None:
        return
    run = asyncio.create_task(run_agent(start, channel))
    inbox = asyncio.create_task(listen(stdin, channel, run))
    try:
        channel.send(await outcome_of(run))
    finally:
        inbox.cancel()
    await channel.close()


async def _connect(out: BinaryIO) -> tuple[asyncio.StreamReader, Channel]:
    """Async streams on stdin and on the protocol's copy of stdout."""
    return await pipe_reader(sys.stdin.buffer), Channel(await pipe_writer(out))


async def _main(out: BinaryIO) -> None:
    stdin, channel = await _connect(out)
    await serve(stdin, channel)


def main(priority: int | None = None) -> None:
    """Run one agent for the language server, then exit (at nice `priority` when forked)."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    lower_priority(WORKER_NICENESS, priority)
    asyncio.run(_main(protocol_stdout()))


if __name__ == "__main__":
    main()
