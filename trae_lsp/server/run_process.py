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
import signal
import sys
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel

from trae_lsp.errors import TraeError
from trae_lsp.events import parse_event
from trae_lsp.server.fork_server import ForkedWorker, fork_worker
from trae_lsp.server.run_protocol import (
    MESSAGE_LIMIT,
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

if TYPE_CHECKING:
    from trae_lsp.events import EventListener
    from trae_lsp.tools.base import ConfirmFn

WORKER_COMMAND = (sys.executable, "-m", "trae_lsp.server.run_worker")
"""How a cold worker starts: this interpreter, so it sees the same packages and environment."""

EXIT_GRACE_SECONDS = 5.0
"""How long a worker may take to exit once told to (cancel, then SIGTERM) before it is killed."""

STDERR_LINES = 20
"""Last lines of the worker's stderr kept for the error message when it fails."""

logger = logging.getLogger(__name__)


class WorkerError(TraeError):
    """The worker died or broke the protocol; the message quotes its last stderr lines."""


class RunFailedError(TraeError):
    """The agent could not run (the worker says why, e.g. a config error)."""


class RunProcess:
    """One agent run's worker process, seen from the server."""

    def __init__(self, process: asyncio.subprocess.Process | ForkedWorker) -> None:
        self.process = process
        self._stderr: deque[str] = deque(maxlen=STDERR_LINES)
        self._stderr_read = asyncio.create_task(self._collect_stderr())

    @classmethod
    async def spawn(cls, command: Sequence[str] | None = None) -> RunProcess:
        """Start a worker, forked warm unless `command` says how (same environment as here)."""
        if command is None:
            return cls(await fork_worker())
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=MESSAGE_LIMIT,
        )
        return cls(process)

    @property
    def pid(self) -> int:
        """The worker's process id."""
        return self.process.pid

    async def run(
        self, start: StartRun, *, listener: EventListener, confirm: ConfirmFn
    ) -> RunOutcome:
        """Start the run, relay until its outcome; cancelling this stops the worker."""
        try:
            self._write(encode_start(start))
            return await self._relay(listener, confirm)
        except asyncio.CancelledError:
            with contextlib.suppress(ConnectionError):
                self._send(CancelRun())
            raise
        finally:
            await self.stop()

    async def stop(self) -> None:
        """Let the worker exit on its own; else terminate it; else kill it."""
        try:
            if await self._exited_within(EXIT_GRACE_SECONDS):
                return
            logger.warning("Trae: agent worker %d did not exit; terminating it", self.pid)
            self.process.terminate()
            await self._exited_within(EXIT_GRACE_SECONDS)
        finally:
            self.kill()

    def kill(self) -> None:
        """Kill the worker now if it still runs (server exit)."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()

    async def _exited_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self.process.wait(), seconds)
        except TimeoutError:
            return False
        return True

    def _send(self, message: BaseModel) -> None:
        self._write([encode(message)])

    def _write(self, chunks: list[bytes]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.writelines(chunks)

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
        raise WorkerError(await self._failure(f"exited with {self._exit_status()}"))

    async def _failure(self, what: str) -> str:
        """The user's message: what the worker did, its last stderr lines, what next."""
        # Bounded: a grandchild that inherited the pipe could keep it open.
        await asyncio.wait([self._stderr_read], timeout=EXIT_GRACE_SECONDS)
        said = "\n".join(self._stderr) or "(nothing on stderr)"
        return (
            f"Trae: the agent's worker process {what} before the run ended. "
            "Run the task again; if it keeps failing, run it with `trae run` in a terminal. "
            f"Its last output:\n{said}"
        )

    def _exit_status(self) -> str:
        code = self.process.returncode
        if code is not None and code < 0:
            return f"signal {signal.Signals(-code).name}"
        return f"code {code}"

    async def _collect_stderr(self) -> None:
        """Keep the last lines for error messages; log every line."""
        assert self.process.stderr is not None
        while line := await self.process.stderr.readline():
            text = line.decode(errors="replace").rstrip()
            self._stderr.append(text)
            logger.info("agent worker %d: %s", self.pid, text)
