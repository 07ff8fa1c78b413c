"""`trae run` on a terminal asks before commands that need confirmation (`git commit`)."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

from tests.agent.conftest import plan_response
from tests.cli.agent_cli import provider_env, trae_command
from tests.fakes.anthropic_server import FakeAnthropic
from trae_lsp.llm.scripted import tool_call_response

COMMIT = "git commit -q --allow-empty -m from-the-agent"


def read_until(fd: int, marker: bytes) -> bytes:
    """Read the terminal until `marker` shows up (or the process closes it)."""
    seen = b""
    while marker not in seen:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def run_on_terminal(project: Path, home: Path, answer: bytes) -> tuple[int, bytes]:
    script = [
        plan_response("Commit"),
        tool_call_response("shell", {"command": COMMIT}),
        tool_call_response("task_done", {"summary": "asked to commit"}),
    ]
    with FakeAnthropic(script) as server:
        leader, follower = pty.openpty()
        child = subprocess.Popen(
            trae_command("run", "commit", "--project", str(project)),
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=provider_env(server, home),
        )
        os.close(follower)
        shown = read_until(leader, b"Allow it?")
        os.write(leader, answer)
        shown += read_until(leader, b"trajectory:")
        code = child.wait(timeout=120)
        os.close(leader)
    return code, shown


def git_project(root: Path) -> Path:
    root.mkdir()
    for args in (
        ["init", "-q"],
        ["config", "user.email", "t@example.com"],
        ["config", "user.name", "T"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True)
    return root


def commits(root: Path) -> int:
    done = subprocess.run(
        ["git", "rev-list", "--all", "--count"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return int(done.stdout.strip() or 0)


def test_yes_runs_the_command(tmp_path: Path, isolated_home: Path) -> None:
    project = git_project(tmp_path / "repo")
    code, shown = run_on_terminal(project, isolated_home, b"y\n")
    assert code == 0, shown.decode(errors="replace")
    assert b"git commit" in shown
    assert commits(project) == 1


def test_no_refuses_it(tmp_path: Path, isolated_home: Path) -> None:
    project = git_project(tmp_path / "repo")
    code, shown = run_on_terminal(project, isolated_home, b"n\n")
    assert code == 0, shown.decode(errors="replace")
    assert b"declined" in shown
    assert commits(project) == 0
