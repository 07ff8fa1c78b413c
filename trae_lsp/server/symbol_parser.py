"""The server's end of the symbol worker: send documents, collect their symbols.

The worker (`symbol_worker`) starts on the first request and again after it
died, at most `MAX_STARTS` times a session: a file that crashes tree-sitter
then costs its symbols (actions keep their generic titles), never the server.
Requests are pipelined and answered in order; each caller awaits its own
answer, so a caller that gives up (a newer version, a closed document) only
drops its answer. Everything here runs on the server's loop and only moves
bytes: an answer's lines are decoded one at a time, between other requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from trae_lsp.errors import TraeError
from trae_lsp.server.symbol_worker import ParseRequest
from trae_lsp.server.worker_process import (
    WorkerProcess,
    send_chunks,
    spawn_process,
    utf8_pieces,
)

if TYPE_CHECKING:
    from trae_lsp.context.symbols import Symbol

WORKER_COMMAND = (sys.executable, "-m", "trae_lsp.server.symbol_worker")
"""How the worker starts: this interpreter, so it sees the same packages."""

MAX_STARTS = 3
"""Worker starts per session; after that documents get no symbols."""

logger = logging.getLogger(__name__)


class SymbolParserError(TraeError):
    """No symbols for a document: the worker failed on it, died or cannot start."""


@dataclass
class _Answer:
    """One request's answer as its lines arrive."""

    done: asyncio.Future[list[Symbol]]
    symbols: list[Symbol] = field(default_factory=list)


class SymbolParser:
    """Parses documents in the symbol worker process."""

    def __init__(self, command: Sequence[str] = WORKER_COMMAND) -> None:
        self._command = command
        self._worker: asyncio.Task[WorkerProcess] | None = None
        self._reader: asyncio.Task[None] | None = None
        self._starts = 0
        self._answers: dict[int, _Answer] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._sending = asyncio.Lock()

    async def parse(self, path: str, text: str) -> list[Symbol]:
        """The symbols of `text`, a file called `path` (its name picks the language)."""
        worker = await self._running()
        number = next(self._ids)
        pieces = utf8_pieces(text)
        answer = _Answer(asyncio.get_running_loop().create_future())
        self._answers[number] = answer
        request = ParseRequest(id=number, path=path, size=sum(map(len, pieces)))
        header = request.model_dump_json().encode() + b"\n"
        # Shielded: a request cut in half would garble every later one.
        sending = asyncio.ensure_future(self._send(worker, [header, *pieces]))
        try:
            await asyncio.shield(sending)
            return await answer.done
        finally:
            self._answers.pop(number, None)

    async def _send(self, worker: WorkerProcess, chunks: list[bytes]) -> None:
        """One whole request, never interleaved with another."""
        assert worker.process.stdin is not None
        async with self._sending:
            with contextlib.suppress(ConnectionError):  # it died: `_read` fails the answer
                await send_chunks(worker.process.stdin, chunks)

    @property
    def pid(self) -> int | None:
        """The running worker's process id, if one runs."""
        worker = self._started()
        return worker.pid if worker is not None else None

    async def close(self) -> None:
        """Stop the worker: its input closes, it exits (server shutdown)."""
        self._closed = True
        worker = self._started()
        if worker is not None:
            assert worker.process.stdin is not None
            worker.process.stdin.close()
            await worker.stop()

    def kill(self) -> None:
        """Kill the worker now (server exit)."""
        self._closed = True
        worker = self._started()
        if worker is not None:
            worker.kill()

    def _started(self) -> WorkerProcess | None:
        """The worker if it has started and not exited."""
        task = self._worker
        if task is None or not task.done() or task.cancelled() or task.exception() is not None:
            return None
        worker = task.result()
        return worker if worker.process.returncode is None else None

    async def _running(self) -> WorkerProcess:
        """The worker, started if needed (one start however many callers wait)."""
        if self._closed:
            raise SymbolParserError("Trae: the server is shutting down; no symbols.")
        if self._worker is None:
            if self._starts >= MAX_STARTS:
                raise SymbolParserError(
                    f"Trae: the symbol worker failed {MAX_STARTS} times; "
                    "actions will not name functions until the server restarts."
                )
            self._starts += 1
            self._worker = asyncio.ensure_future(self._start())
        try:
            return await asyncio.shield(self._worker)
        except OSError as e:
            self._worker = None
            raise SymbolParserError(f"Trae: could not start the symbol worker: {e}") from e

    async def _start(self) -> WorkerProcess:
        worker = WorkerProcess(await spawn_process(self._command), "symbol worker")
        self._reader = asyncio.create_task(self._read(worker))  # held: the loop keeps weak refs
        return worker

    async def _read(self, worker: WorkerProcess) -> None:
        """Hand each answer line to its caller; when the worker ends, fail the rest."""
        assert worker.process.stdout is not None
        try:
            while line := await worker.process.stdout.readline():
                self._take(json.loads(line))
            await worker.process.wait()
            problem = f"exited with {worker.exit_status()}"
        except (ValueError, TypeError, KeyError) as e:
            problem = f"sent something unexpected ({e})"
            worker.kill()
        # Requests from here on go to the next worker; those sent so far fail.
        self._worker = None
        unanswered = [a.done for a in self._answers.values() if not a.done.done()]
        self._answers.clear()
        error = SymbolParserError(
            f"Trae: the symbol worker {problem}. Its last output:\n{await worker.last_output()}"
        )
        if not self._closed:
            logger.warning("%s", error)
        for done in unanswered:
            if not done.done():
                done.set_exception(error)

    def _take(self, message: dict[str, Any]) -> None:
        """One answer line: symbols to collect, the end, or the worker's error."""
        from trae_lsp.context.symbols import Symbol

        answer = self._answers.get(message["id"])
        if answer is None or answer.done.done():
            return  # its caller gave up
        if "symbols" in message:
            answer.symbols += map(Symbol._make, message["symbols"])
        elif "error" in message:
            answer.done.set_exception(
                SymbolParserError(f"Trae: could not parse the document: {message['error']}")
            )
        else:
            answer.done.set_result(answer.symbols)
