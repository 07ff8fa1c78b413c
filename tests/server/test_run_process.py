"""The server's end of a run's worker process, against the real worker and a scripted model."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.agent import CALC, FIX_SCRIPT, done, tool, write_script
from trae_lsp.events import AgentEvent
from trae_lsp.server.fork_server import worker_priority
from trae_lsp.server.run_process import WORKER_COMMAND, RunFailedError, RunProcess, WorkerError
from trae_lsp.server.run_protocol import (
    Buffer,
    RunOutcome,
    StartRun,
    change_set,
)
from trae_lsp.server.runs import AgentRuns
from trae_lsp.workspace.changes import FileChange, unified_diff

SHELL_POLICY = {
    "tools": {"shell": {"allowed_commands": ["echo"], "require_confirmation": ["echo"]}}
}
"""Project config: `echo` may run, but only after the user says yes."""

ECHO_SCRIPT = [tool("shell", command="echo from-the-agent"), done("echoed")]


class Asker:
    """The server's confirmation callback: records questions; answers once released."""

    def __init__(self, answer: bool, *, released: bool = True) -> None:
        self.answer = answer
        self.questions: list[str] = []
        self.asked = asyncio.Event()
        self.released = asyncio.Event()
        if released:
            self.released.set()

    async def __call__(self, question: str) -> bool:
        self.questions.append(question)
        self.asked.set()
        await self.released.wait()
        return self.answer


def project(tmp_path: Path, config: dict[str, Any] | None = None) -> Path:
    """`calc.py` on disk and an optional `.trae/config.json`."""
    root = tmp_path / "project"
    (root / ".trae").mkdir(parents=True)
    (root / ".trae" / "config.json").write_text(json.dumps(config or {}))
    (root / "calc.py").write_text(CALC)
    return root


def start(
    root: Path, script: list[Any], *, buffers: Sequence[Buffer] = (), record: bool = False
) -> StartRun:
    """The start message the server sends for `script`."""
    return StartRun(
        root=str(root),
        model=write_script(root, script),
        auto_record=record,
        tools=None,
        task="fix calc.py",
        buffers=list(buffers),
    )


async def test_run_reads_buffers_relays_steps_and_returns_changes(tmp_path: Path) -> None:
    root = project(tmp_path)
    edited = "# unsaved line " + "名前😋" * 30_000 + "\n" + CALC  # sent in pieces
    buffer = Buffer(path=str(root / "calc.py"), text=edited, version=7)
    events: list[AgentEvent] = []
    worker = await RunProcess.spawn()
    outcome = await worker.run(
        start(root, FIX_SCRIPT, buffers=[buffer]), listener=events.append, confirm=Asker(True)
    )
    assert outcome.status == "completed"
    assert outcome.summary.startswith("total no longer subtracts 1")
    (change,) = change_set(outcome)
    assert (change.path, change.original, change.version) == ("calc.py", edited, 7)
    assert change.new == edited.replace("sum(xs) - 1", "sum(xs)")
    assert [e.kind for e in events if e.kind == "step_started"] == ["step_started"] * 2
    assert {e.kind for e in events} == {"step_started", "tokens_used"}
    assert worker.process.returncode == 0
    assert (root / "calc.py").read_text() == CALC, "propose mode: the file is untouched"


async def test_shell_confirmation_round_trips_through_the_server(tmp_path: Path) -> None:
    root = project(tmp_path, SHELL_POLICY)
    asker = Asker(True)
    worker = await RunProcess.spawn()
    outcome = await worker.run(
        start(root, ECHO_SCRIPT, record=True), listener=lambda e: None, confirm=asker
    )
    (question,) = asker.questions
    assert "echo from-the-agent" in question
    assert outcome.trajectory is not None
    recorded = Path(outcome.trajectory).read_text()
    assert "from-the-agent" in recorded and "Exit code: 0" in recorded


async def test_denied_command_does_not_run(tmp_path: Path) -> None:
    root = project(tmp_path, SHELL_POLICY)
    worker = await RunProcess.spawn()
    outcome = await worker.run(
        start(root, ECHO_SCRIPT, record=True), listener=lambda e: None, confirm=Asker(False)
    )
    assert outcome.trajectory is not None
    recorded = Path(outcome.trajectory).read_text()
    assert "declined" in recorded and "Exit code: 0" not in recorded


async def blocked(tmp_path: Path) -> tuple[RunProcess, asyncio.Task[RunOutcome], Path]:
    """A recorded run waiting for the user's answer: (worker, its run, the project)."""
    root = project(tmp_path, SHELL_POLICY)
    asker = Asker(True, released=False)
    worker = await RunProcess.spawn()
    run = asyncio.create_task(
        worker.run(start(root, ECHO_SCRIPT, record=True), listener=lambda e: None, confirm=asker)
    )
    await asker.asked.wait()
    return worker, run, root


async def test_cancel_ends_the_worker_and_records_the_run_as_cancelled(
    tmp_path: Path, isolated_home: Path
) -> None:
    worker, run, _ = await blocked(tmp_path)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    assert worker.process.returncode == 0, "it exited on its own after the cancel message"
    assert not Path(f"/proc/{worker.pid}").exists()
    (recorded,) = (isolated_home / ".trae" / "trajectories").glob("*.json")
    assert json.loads(recorded.read_text())["status"] == "cancelled"


async def test_a_run_cancelled_while_its_buffers_are_sent_ends_its_worker_cleanly(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    big = Buffer(path=str(root / "big.py"), text="x = 1\n" * 200_000, version=1)
    worker = await RunProcess.spawn(WORKER_COMMAND)  # cold: busy importing, it reads nothing yet
    run = asyncio.create_task(
        worker.run(
            start(root, [done()], buffers=[big]), listener=lambda e: None, confirm=Asker(True)
        )
    )
    assert worker.process.stdin is not None
    while not run.done() and worker.process.stdin.transport.get_write_buffer_size() <= 65536:
        await asyncio.sleep(0)  # until the pipe is full and the rest waits in the server
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    assert worker.process.returncode == 0, "its input ended mid-buffer: it exits, no traceback"
    assert "Traceback" not in await worker.last_output()


async def test_worker_cancels_and_exits_when_its_input_closes(tmp_path: Path) -> None:
    worker, run, _ = await blocked(tmp_path)
    assert worker.process.stdin is not None
    worker.process.stdin.close()
    outcome = await run
    assert outcome.status == "cancelled" and not outcome.changes
    assert worker.process.returncode == 0


async def test_garbage_on_stdout_fails_the_run_with_the_worker_stderr(tmp_path: Path) -> None:
    script = "import sys; print('about to go wrong', file=sys.stderr, flush=True); print('hi')"
    worker = await RunProcess.spawn([sys.executable, "-c", script])
    with pytest.raises(WorkerError, match="sent something unexpected") as failed:
        await worker.run(start(project(tmp_path), []), listener=lambda e: None, confirm=Asker(True))
    assert "about to go wrong" in str(failed.value) and "'hi'" in str(failed.value)


async def test_crashed_worker_fails_the_run_with_its_exit_and_stderr(tmp_path: Path) -> None:
    script = "import sys; sys.stdin.readline(); sys.exit('worker fell over')"
    worker = await RunProcess.spawn([sys.executable, "-c", script])
    with pytest.raises(WorkerError, match="exited with code 1") as failed:
        await worker.run(start(project(tmp_path), []), listener=lambda e: None, confirm=Asker(True))
    assert "worker fell over" in str(failed.value)
    assert "Run the task again" in str(failed.value)


async def test_a_config_error_fails_the_run_with_its_message(tmp_path: Path) -> None:
    root = project(tmp_path, {"tools": {"shell": {"timeout_seconds": "soon"}}})
    worker = await RunProcess.spawn()
    with pytest.raises(RunFailedError, match="timeout_seconds"):
        await worker.run(start(root, [done()]), listener=lambda e: None, confirm=Asker(True))
    assert worker.process.returncode == 0


def stat(pid: int) -> list[str]:
    """The fields of `/proc/<pid>/stat` after the command name (state, parent, …)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


async def exited(pid: int) -> None:
    """Return once process `pid` has ended (its pidfd turns readable: an event)."""
    loop = asyncio.get_running_loop()
    fd = os.pidfd_open(pid)
    ended: asyncio.Future[None] = loop.create_future()
    loop.add_reader(fd, ended.set_result, None)
    try:
        await ended
    finally:
        loop.remove_reader(fd)
        os.close(fd)


async def test_workers_fork_from_the_warmed_up_fork_server_at_low_priority(
    tmp_path: Path,
) -> None:
    await AgentRuns().warm_up()
    worker, run, _ = await blocked(tmp_path)
    fork_server = int(stat(worker.pid)[1])
    assert b"forkserver" in Path(f"/proc/{fork_server}/cmdline").read_bytes()
    assert int(stat(fork_server)[1]) == os.getpid(), "the server's child, not a stranger"
    assert os.getpriority(os.PRIO_PROCESS, worker.pid) == worker_priority()
    assert os.getpriority(os.PRIO_PROCESS, fork_server) == worker_priority()
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run


async def test_a_killed_forked_worker_fails_the_run_with_the_signal(tmp_path: Path) -> None:
    worker, run, _ = await blocked(tmp_path)
    os.kill(worker.pid, signal.SIGKILL)
    with pytest.raises(WorkerError, match="exited with signal SIGKILL"):
        await run
    assert worker.process.returncode == -signal.SIGKILL


async def test_a_dead_fork_server_is_restarted_by_the_next_run(tmp_path: Path) -> None:
    await AgentRuns().warm_up()
    worker, run, _ = await blocked(tmp_path)
    fork_server = int(stat(worker.pid)[1])
    os.kill(fork_server, signal.SIGKILL)
    await exited(fork_server)
    outcome = await asyncio.wait_for(
        (await RunProcess.spawn()).run(
            start(project(tmp_path / "again"), [done("fine")]),
            listener=lambda e: None,
            confirm=Asker(True),
        ),
        60,
    )
    assert outcome.status == "completed"
    assert worker.process.returncode is None, "the fork server's end is not its worker's"
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    assert worker.process.returncode is not None, "its end was seen without the fork server"
    with contextlib.suppress(FileNotFoundError):
        assert stat(worker.pid)[0] == "Z", "it has exited (and awaits its new parent's reaping)"


def test_changes_travel_field_for_field() -> None:
    created = FileChange("new.py", None, "x = 1\n", True, False, unified_diff("new.py", None, "x"))
    edited = FileChange("a.py", "a\r\n", "b\r\n", False, False, "diff", version=3)
    outcome = RunOutcome(status="completed", changes=[created, edited])
    assert RunOutcome.model_validate_json(outcome.model_dump_json()) == outcome
    assert tuple(change_set(outcome)) == (created, edited)
