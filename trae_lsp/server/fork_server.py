"""Warm agent workers: each run is forked from a fork server that imported the agent once.

A fresh `python -m trae_lsp.server.run_worker` spends most of a second of CPU
importing the agent, its SDKs, config and context before the run starts; three
runs starting at once then compete with the editor's requests. The stdlib
`forkserver` start method imports those modules once (`PRELOAD`, nothing but
imports) in a process that has no threads or event loop, and forks every worker
from it. It passes the pipe ends of the worker's JSON-lines streams as file
descriptors, and it exits when the language server does. `ForkedWorker` gives
the forked process the interface of an `asyncio.subprocess.Process`, so
`RunProcess` drives both alike.

The server starts the fork server in the background once it is `initialized`
(`start_fork_server`, off the loop, at the workers' lowered priority). A run
that comes before it is ready waits for it; one after it died restarts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import context, forkserver
from multiprocessing.connection import Connection

from trae_lsp.server import run_worker
from trae_lsp.server.worker_process import pipe_reader, pipe_writer

PRELOAD = (
    "trae_lsp.server.run_worker",
    "trae_lsp.agent.trae_agent",
    "trae_lsp.workspace",
    "trae_lsp.cli.app",
)
"""The modules every worker needs, imported once by the fork server.

The CLI too: multiprocessing re-runs a server started as a script (the
`trae-lsp` and `trae` console scripts) as `__mp_main__` in each child, and
those scripts import `trae_lsp.cli.app`.
"""

ORPHANED = 255
"""multiprocessing's exit code for "the fork server died before it told the status"."""


FORKING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trae-fork")
"""The one thread that talks to the fork server (its calls block until it has forked).

`warm_up_fork_server` starts that thread ahead of the first run: a new thread of
`asyncio.to_thread` started in the middle of three runs' start had held up the loop
~5 ms while it waited for the thread to come up.
"""


async def warm_up_fork_server() -> None:
    """Start the fork server (and the `FORKING` thread) without blocking the loop."""
    await asyncio.get_running_loop().run_in_executor(FORKING, start_fork_server)


def worker_priority() -> int:
    """The nice value of workers and the fork server: the server's plus `WORKER_NICENESS`."""
    return min(os.getpriority(os.PRIO_PROCESS, 0) + run_worker.WORKER_NICENESS, 19)


def _context() -> context.ForkServerContext:
    return multiprocessing.get_context("forkserver")


def start_fork_server() -> None:
    """Start the fork server unless it runs (blocking: call it off the loop)."""
    _context().set_forkserver_preload(list(PRELOAD))
    forkserver.ensure_running()
    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if pid is not None:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, pid, worker_priority())


class ForkedWorker:
    """A worker forked from the fork server, used like an `asyncio.subprocess.Process`."""

    def __init__(
        self,
        process: context.ForkServerProcess,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
    ) -> None:
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.returncode: int | None = None
        self._process = process
        self.pid = process.pid or 0
        self._loop = asyncio.get_running_loop()
        self._exited = self._loop.create_future()
        self._sentinel = process.sentinel
        self._loop.add_reader(self._sentinel, self._on_exit)

    def _on_exit(self) -> None:
        """The sentinel turned readable: the fork server reports the exit status, or died."""
        self._loop.remove_reader(self._sentinel)
        code = self._process.exitcode
        self._process.close()
        if code == ORPHANED:
            with contextlib.suppress(ProcessLookupError):
                self._watch_orphan(os.pidfd_open(self.pid))
                return
        self._exit(code)

    def _watch_orphan(self, pidfd: int) -> None:
        """The fork server died before the worker: learn of its end from the kernel."""

        def ended() -> None:
            self._loop.remove_reader(pidfd)
            os.close(pidfd)
            self._exit(ORPHANED)

        self._loop.add_reader(pidfd, ended)

    def _exit(self, code: int | None) -> None:
        self.returncode = code
        self._exited.set_result(None)

    async def wait(self) -> int | None:
        """Wait until the worker has exited; its exit code (negative: the signal)."""
        await asyncio.shield(self._exited)
        return self.returncode

    def terminate(self) -> None:
        """SIGTERM, unless it has exited."""
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL, unless it has exited."""
        self._signal(signal.SIGKILL)

    def _signal(self, number: signal.Signals) -> None:
        if self.returncode is None:
            os.kill(self.pid, number)


async def fork_worker() -> ForkedWorker:
    """Fork a worker (starting the fork server if needed); wire its stdin/stdout/stderr."""
    child_in, parent_in = os.pipe()
    parent_out, child_out = os.pipe()
    parent_err, child_err = os.pipe()
    ends = [Connection(child_in, writable=False)]
    ends += [Connection(fd, readable=False) for fd in (child_out, child_err)]
    process = _context().Process(
        target=forked_main,
        args=(*ends, dict(os.environ), os.getcwd(), worker_priority()),
        name="trae-agent-worker",
    )
    try:
        await asyncio.get_running_loop().run_in_executor(FORKING, _start, process)
    except BaseException:
        for fd in (parent_in, parent_out, parent_err):
            os.close(fd)
        raise
    finally:
        for end in ends:
            end.close()
    return ForkedWorker(
        process,
        await pipe_writer(os.fdopen(parent_in, "wb")),
        await pipe_reader(os.fdopen(parent_out, "rb")),
        await pipe_reader(os.fdopen(parent_err, "rb")),
    )


def _start(process: context.ForkServerProcess) -> None:
    start_fork_server()
    process.start()


def forked_main(
    stdin: Connection,
    stdout: Connection,
    stderr: Connection,
    environ: dict[str, str],
    cwd: str,
    priority: int,
) -> None:
    """The forked worker: the server's environment and streams, then the usual worker main."""
    for end, fd in ((stdin, 0), (stdout, 1), (stderr, 2)):
        os.dup2(end.fileno(), fd)
        if end.fileno() != fd:
            end.close()
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 (the process's own)
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    run_worker.main(priority)
