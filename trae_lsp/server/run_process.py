"""The server's side of an agent run's worker process: spawn, relay, stop.

The worker (`run_worker`, forked warm by `fork_server`) runs the agent; this
end only moves small messages between it and the editor, all async on the
server's loop: events become progress, confirmation questions become
`window/showMessageRequest`, the outcome comes back with the proposed changes.
Cancelling the run sends the worker a cancel (so its trajectory ends as
`cancelled`), then terminates and finally kills it if it does not exit in time.
A worker that dies or prints something that is not a message fails the run with
its last stderr lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel

from trae_lsp.errors import TraeError
from trae_lsp.events import parse_event
from trae_lsp.server.fork_server import ForkedWorker, fork_worker
from trae_lsp.server.run_protocol import (
    CancelRun,
    ConfirmAnswer,
    ConfirmQuestion,
    EventMessage,
    ProtocolError,
    RunFailure,
    RunOutcome,
    StartRun,
    decode_from_worker,
    encode,
    encode_start,
)
from trae_lsp.server.worker_process import WorkerProcess, send_chunks, spawn_process

if TYPE_CHECKING:
    from trae_lsp.events import EventListener
    from trae_lsp.tools.base import ConfirmFn

WORKER_COMMAND = (sys.executable, "-m", "trae_lsp.server.run_worker")
"""How a cold worker starts: this interpreter, so it sees the same packages and environment."""

logger = logging.getLogger(__name__)


class WorkerError(TraeError):
    """The worker died or broke the protocol; the message quotes its last stderr lines."""


class RunFailedError(TraeError):
    """The agent could not run (the worker says why, e.g. a config error)."""


class RunProcess(WorkerProcess):
    """One agent run's worker process, seen from the server."""

    def __init__(self, process: asyncio.subprocess.Process | ForkedWorker) -> None:
        super().__init__(process, "agent worker")

    @classmethod
    async def spawn(cls, command: Sequence[str] | None = None) -> RunProcess:
        """Start a worker, forked warm unless `command` says how (same environment as here)."""
        if command is None:
            return cls(await fork_worker())
        return cls(await spawn_process(command))

    async def run(
        self, start: StartRun, *, listener: EventListener, confirm: ConfirmFn
    ) -> RunOutcome:
        """Start the run, relay until its outcome; cancelling this stops the worker."""
        assert self.process.stdin is not None
        starting = asyncio.ensure_future(send_chunks(self.process.stdin, encode_start(start)))
        try:
            with contextlib.suppress(ConnectionError):  # it died: `_relay` says how
                await asyncio.shield(starting)
            return await self._relay(listener, confirm)
        except asyncio.CancelledError:
            if starting.done():
                with contextlib.suppress(ConnectionError):
                    self._send(CancelRun())
            else:  # cut its start short: the worker sees its input end and exits
                starting.cancel()
                self.process.stdin.close()
            raise
        finally:
            await self.stop()

    def _send(self, message: BaseModel) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(encode(message))

    async def _relay(self, listener: EventListener, confirm: ConfirmFn) -> RunOutcome:
        """Hand events to `listener`, ask `confirm`, until the outcome arrives."""
        asking: set[asyncio.Task[None]] = set()
        try:
            while True:
                message = await self._receive()
                if isinstance(message, RunOutcome):
                    return message
                if isinstance(message, RunFailure):
                    raise RunFailedError(message.error)
                if isinstance(message, EventMessage):
                    listener(parse_event(message.event))
                else:
                    task = asyncio.create_task(self._answer(message, confirm))
                    asking.add(task)
                    task.add_done_callback(asking.discard)
        finally:
            for task in asking:
                task.cancel()

    async def _answer(self, question: ConfirmQuestion, confirm: ConfirmFn) -> None:
        """Ask the user; a failure to ask counts as "no", like having nobody to ask."""
        try:
            allowed = await confirm(question.question)
        except Exception as e:  # the one boundary: the agent gets a "no", the log says why
            logger.warning("Trae: could not ask about %r (%s); denied", question.question, e)
            allowed = False
        with contextlib.suppress(ConnectionError):
            self._send(ConfirmAnswer(id=question.id, allowed=allowed))

    async def _receive(self) -> EventMessage | ConfirmQuestion | RunOutcome | RunFailure:
        assert self.process.stdout is not None
        try:
            line = await self.process.stdout.readline()
            if line:
                return decode_from_worker(line)
        except (ProtocolError, ValueError) as e:
            await self.stop()
            raise WorkerError(await self._failure(f"sent something unexpected ({e})")) from e
        await self.stop()
        raise WorkerError(await self._failure(f"exited with {self.exit_status()}"))

    async def _failure(self, what: str) -> str:
        """The user's message: what the worker did, its last stderr lines, what next."""
        said = await self.last_output()
        return (
            f"Trae: the agent's worker process {what} before the run ended. "
            "Run the task again; if it keeps failing, run it with `trae run` in a terminal. "
            f"Its last output:\n{said}"
        )
