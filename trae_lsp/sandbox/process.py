"""Runs one process in its own process group, with a timeout that kills the whole group.

A shell command may start children and grandchildren (`pytest -n 4`, `make -j`); a
timeout or a cancellation must stop all of them, not just the shell: SIGTERM to the
group, then SIGKILL after a grace period. Output is captured head + tail, bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from trae_lsp.sandbox.base import CommandResult, RunLimits, SandboxError, SandboxUnavailableError
from trae_lsp.sandbox.output import HeadTailBuffer

READ_CHUNK_BYTES = 65_536
"""Bytes read from a pipe at a time."""

DRAIN_SECONDS = 5.0
"""After SIGKILL, how long to wait for pipes to close before giving up on the rest of the output
(a process that left the group with `setsid` may hold them open)."""


async def run_process(
    argv: Sequence[str],
    *,
    command: str,
    cwd: Path,
    env: Mapping[str, str],
    limits: RunLimits,
) -> CommandResult:
    """Run `argv` in a new session; `command` is what the result reports as having run."""
    if not cwd.is_dir():
        raise SandboxError(
            f"the working directory {cwd} does not exist; use an existing directory of the project"
        )
    started = time.monotonic()
    proc = await _spawn(argv, cwd=cwd, env=env)
    out = HeadTailBuffer(limits.max_output_bytes)
    err = HeadTailBuffer(limits.max_output_bytes)
    done = asyncio.ensure_future(_finish(proc, out, err))
    timed_out = False
    try:
        await asyncio.wait_for(asyncio.shield(done), limits.timeout_seconds)
    except TimeoutError:
        timed_out = True
        await _stop_group(proc, done, limits.kill_grace_seconds)
    except asyncio.CancelledError:
        await _stop_group(proc, done, limits.kill_grace_seconds)
        raise
    _signal_group(proc.pid, signal.SIGKILL)  # leftovers that closed their output
    return CommandResult(
        command=command,
        exit_code=proc.returncode,
        stdout=out.text(),
        stderr=err.text(),
        timed_out=timed_out,
        stdout_bytes=out.total,
        stderr_bytes=err.total,
        truncated=out.truncated or err.truncated,
        duration_seconds=time.monotonic() - started,
    )


async def _spawn(
    argv: Sequence[str], *, cwd: Path, env: Mapping[str, str]
) -> asyncio.subprocess.Process:
    """Start `argv` as a new session; a cancellation while it starts kills the new group.

    asyncio kills only the direct child when creation is cancelled, then waits for its
    pipes, which a grandchild may hold forever; so creation is shielded and finished first.
    """
    start = asyncio.ensure_future(
        asyncio.create_subprocess_exec(
            *argv,
            cwd=cwd,
            env=dict(env),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
    )
    try:
        return await asyncio.shield(start)
    except FileNotFoundError as e:
        raise SandboxUnavailableError(f"cannot start {argv[0]!r}: {e.strerror}") from e
    except asyncio.CancelledError:
        proc = await start
        _signal_group(proc.pid, signal.SIGKILL)  # it has barely started: no grace needed
        discard = HeadTailBuffer(2)
        with contextlib.suppress(TimeoutError):  # read the pipes to EOF so asyncio can finish
            await asyncio.wait_for(_finish(proc, discard, discard), DRAIN_SECONDS)
        raise


async def _finish(
    proc: asyncio.subprocess.Process, out: HeadTailBuffer, err: HeadTailBuffer
) -> None:
    await asyncio.gather(_pump(proc.stdout, out), _pump(proc.stderr, err))
    await proc.wait()


async def _pump(stream: asyncio.StreamReader | None, sink: HeadTailBuffer) -> None:
    if stream is None:
        return
    while chunk := await stream.read(READ_CHUNK_BYTES):
        sink.feed(chunk)


async def _stop_group(
    proc: asyncio.subprocess.Process, done: asyncio.Future[None], grace: float
) -> None:
    """SIGTERM the group, SIGKILL it after `grace`, then collect what is left."""
    _signal_group(proc.pid, signal.SIGTERM)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(done), grace)
    if done.done():
        return
    _signal_group(proc.pid, signal.SIGKILL)
    try:
        await asyncio.wait_for(asyncio.shield(done), DRAIN_SECONDS)
    except TimeoutError:
        # proc.wait() would also wait for the pipes; the exit code is known without it
        done.cancel()


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)
