"""The server's child processes (agent runs, the symbol parser): both ends' plumbing.

Server side, `WorkerProcess` keeps a child's last stderr lines for error
messages and stops it politely, then firmly; `spawn_process`, `pipe_reader` and
`pipe_writer` wire its streams; `send_chunks` and `utf8_pieces` feed it big
buffers a pipe's worth at a time, so the loop serves the editor in between.
Child side, `lower_priority` and `protocol_stdout` set a worker up: the
editor's requests get the CPU first, and stray prints cannot corrupt the
messages on stdout.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from trae_lsp.server.fork_server import ForkedWorker

EXIT_GRACE_SECONDS = 5.0
"""How long a worker may take to exit once told to (cancel, then SIGTERM) before it is killed."""

STDERR_LINES = 20
"""Last lines of the worker's stderr kept for the error message when it fails."""

MESSAGE_LIMIT = 1 << 30
"""Largest line a worker's stream accepts (a run's `RunOutcome` holds every change it made)."""

PIPE_SLICE = 65536
"""Bytes handed to a pipe at a time by `send_chunks` (a Linux pipe's capacity)."""

logger = logging.getLogger(__name__)


class WorkerProcess:
    """A child process with JSON-lines stdin/stdout, seen from the server."""

    def __init__(self, process: asyncio.subprocess.Process | ForkedWorker, name: str) -> None:
        self.process = process
        self.name = name
        """What the worker is, for logs and messages ("agent worker")."""
        self._stderr: deque[str] = deque(maxlen=STDERR_LINES)
        self._stderr_read = asyncio.create_task(self._collect_stderr())

    @property
    def pid(self) -> int:
        """The worker's process id."""
        return self.process.pid

    async def stop(self) -> None:
        """Let the worker exit on its own; else terminate it; else kill it."""
        try:
            if await self._exited_within(EXIT_GRACE_SECONDS):
                return
            logger.warning("Trae: %s %d did not exit; terminating it", self.name, self.pid)
            self.process.terminate()
            await self._exited_within(EXIT_GRACE_SECONDS)
        finally:
            self.kill()

    def kill(self) -> None:
        """Kill the worker now if it still runs (server exit)."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()

    async def last_output(self) -> str:
        """The worker's last stderr lines, once it has closed stderr (or after a grace time)."""
        # Bounded: a grandchild that inherited the pipe could keep it open.
        await asyncio.wait([self._stderr_read], timeout=EXIT_GRACE_SECONDS)
        return "\n".join(self._stderr) or "(nothing on stderr)"

    def exit_status(self) -> str:
        """How the worker ended, for people: "code 1", "signal SIGKILL"."""
        code = self.process.returncode
        if code is not None and code < 0:
            return f"signal {signal.Signals(-code).name}"
        return f"code {code}"

    async def _exited_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self.process.wait(), seconds)
        except TimeoutError:
            return False
        return True

    async def _collect_stderr(self) -> None:
        """Keep the last lines for error messages; log every line."""
        assert self.process.stderr is not None
        while line := await self.process.stderr.readline():
            text = line.decode(errors="replace").rstrip()
            self._stderr.append(text)
            logger.info("%s %d: %s", self.name, self.pid, text)


async def spawn_process(command: Sequence[str]) -> asyncio.subprocess.Process:
    """Start `command` with its stdin, stdout and stderr piped to this process."""
    return await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        limit=MESSAGE_LIMIT,
    )


async def pipe_reader(pipe: BinaryIO) -> asyncio.StreamReader:
    """An asyncio reader on a pipe, with room for the largest message."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=MESSAGE_LIMIT, loop=loop)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader, loop=loop), pipe)
    return reader


async def pipe_writer(pipe: BinaryIO) -> asyncio.StreamWriter:
    """An asyncio writer on a pipe (writes queue up; `drain` waits for the reader)."""
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, pipe)
    return asyncio.StreamWriter(transport, protocol, None, loop)


async def send_chunks(writer: asyncio.StreamWriter, chunks: Iterable[bytes]) -> None:
    """Write big data (the editor's buffers) a pipe's worth at a time, as the reader takes it.

    `writelines` of four 400 KB buffers joined and copied them in one go, ~3 ms of the
    server's loop on this class of machine; here the loop serves requests in between.
    """
    for chunk in chunks:
        view = memoryview(chunk)
        for start in range(0, len(view), PIPE_SLICE):
            writer.write(view[start : start + PIPE_SLICE])
            await writer.drain()


def utf8_pieces(text: str) -> list[bytes]:
    """`text` as UTF-8, in pieces of at most `PIPE_SLICE` characters.

    Encoding a 400 KB buffer whole cost ~0.2-0.4 ms of the loop, mostly page faults on
    one fresh big allocation; pieces reuse memory and take ~0.05 ms.
    """
    return [text[start : start + PIPE_SLICE].encode() for start in range(0, len(text), PIPE_SLICE)]


def lower_priority(niceness: int, priority: int | None = None) -> None:
    """Nice this worker where the platform can (not on Windows): to `priority`, else by
    `niceness` (a process forked from the already niced fork server gets `priority`)."""
    with contextlib.suppress(OSError, AttributeError):
        if priority is None:
            os.nice(niceness)
        else:
            os.setpriority(os.PRIO_PROCESS, 0, priority)


def protocol_stdout() -> BinaryIO:
    """Keep stdout for messages; anything else printing to fd 1 lands on stderr instead."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return out
