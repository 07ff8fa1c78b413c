"""ShellExecutor: exit codes, output truncation, timeouts and cancellation kill the whole group."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

import pytest

from tests.sandbox.conftest import process_ended
from trae.tools import ShellExecutor
from trae_lsp.config import ShellToolConfig
from trae_lsp.sandbox import LocalSandbox, RunLimits
from trae_lsp.sandbox.docker_sandbox import DockerSandbox

CANCEL_BOUND_SECONDS = 60
"""A cancelled command must be gone well within this; a hang fails the test instead."""


def test_the_article_example_runs_synchronously(tmp_path: Path) -> None:
    shell = ShellExecutor(tmp_path)
    result = shell.run("echo hello; echo oops >&2; exit 3")
    assert result.stdout == "hello\n"
    assert result.stderr == "oops\n"
    assert result.exit_code == 3
    assert not result.ok and not result.timed_out


def test_defaults_come_from_config(tmp_path: Path) -> None:
    config = ShellToolConfig(timeout_seconds=7, max_output_bytes=1234)
    shell = ShellExecutor(tmp_path, config=config, sandbox=LocalSandbox())
    assert (shell.timeout_seconds, shell.max_output_bytes) == (7, 1234)
    assert ShellExecutor().working_dir == Path.cwd().resolve()


def test_bare_executor_reads_the_project_config(tmp_path: Path) -> None:
    settings = {"tools": {"shell": {"timeout_seconds": 5}}, "sandbox": {"kind": "docker"}}
    (tmp_path / ".trae").mkdir()
    (tmp_path / ".trae" / "config.json").write_text(json.dumps(settings))
    shell = ShellExecutor(tmp_path)
    assert shell.timeout_seconds == 5
    assert isinstance(shell.sandbox, DockerSandbox)  # built, not connected


async def test_sync_run_works_inside_a_running_loop(tmp_path: Path) -> None:
    assert ShellExecutor(tmp_path).run("pwd").stdout.strip() == str(tmp_path.resolve())


async def test_cwd_is_relative_to_the_working_dir(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    result = await ShellExecutor(tmp_path).arun("pwd", cwd="sub")
    assert result.stdout.strip() == str(tmp_path.resolve() / "sub")


async def test_secrets_are_not_passed_to_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOME_API_KEY", "sk-secret")
    monkeypatch.setenv("PLAIN_SETTING", "visible")
    shell = ShellExecutor(tmp_path, env={"EXTRA": "given"})
    result = await shell.arun('echo "${SOME_API_KEY:-none} $PLAIN_SETTING $EXTRA"')
    assert result.stdout == "none visible given\n"


async def test_long_output_keeps_head_and_tail_with_the_byte_count(tmp_path: Path) -> None:
    shell = ShellExecutor(tmp_path, max_output_bytes=1000)
    result = await shell.arun("head -c 50000 /dev/zero | tr '\\0' a; echo END")
    assert result.truncated
    assert result.stdout_bytes == 50004
    assert result.stdout.startswith("a" * 500 + "\n[... 49004 bytes omitted of 50004 ...]\n")
    assert result.stdout.endswith("a" * 496 + "END\n")


async def test_timeout_kills_the_grandchild(tmp_path: Path) -> None:
    shell = ShellExecutor(tmp_path, timeout_seconds=3)
    result = await shell.arun("sleep 1000 & echo $! > pid; wait")
    assert result.timed_out
    assert result.exit_code == -signal.SIGTERM
    assert process_ended(int((tmp_path / "pid").read_text()))


async def test_cancellation_kills_the_grandchild(tmp_path: Path) -> None:
    fifo = tmp_path / "pid.fifo"
    os.mkfifo(fifo)
    task = asyncio.create_task(ShellExecutor(tmp_path).arun(f"sleep 1000 & echo $! > {fifo}; wait"))
    pid = int(await asyncio.to_thread(fifo.read_text))
    pidfd = os.pidfd_open(pid)  # held so the pid cannot be reused before we check
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, CANCEL_BOUND_SECONDS)
    os.close(pidfd)
    assert process_ended(pid)


async def test_sigterm_is_followed_by_sigkill(tmp_path: Path) -> None:
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)  # inherited by the child
    try:
        limits = RunLimits(timeout_seconds=1, kill_grace_seconds=0.5)
        result = await LocalSandbox().run(
            "sleep 1000", root=tmp_path, cwd=tmp_path, env={}, limits=limits
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert result.timed_out
    assert result.exit_code == -signal.SIGKILL


async def test_several_commands_run_at_once(tmp_path: Path) -> None:
    for name in ("ping", "pong"):
        os.mkfifo(tmp_path / name)
    shell = ShellExecutor(tmp_path, timeout_seconds=60)
    # Each command blocks until the other one runs: sequential execution would deadlock.
    first, second = await asyncio.gather(
        shell.arun("echo from-first > ping; cat pong"),
        shell.arun("cat ping; echo from-second > pong"),
    )
    assert (first.stdout, second.stdout) == ("from-second\n", "from-first\n")
    assert not first.timed_out and not second.timed_out


async def test_cancellation_while_starting_leaves_nothing_running(tmp_path: Path) -> None:
    task = asyncio.create_task(ShellExecutor(tmp_path).arun("sleep 1000 & echo $! > pid; wait"))
    await asyncio.sleep(0)  # let the task begin starting the process, then cancel it
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, CANCEL_BOUND_SECONDS)
    pid_file = tmp_path / "pid"
    if pid_file.exists() and pid_file.read_text().strip():
        assert process_ended(int(pid_file.read_text()))
