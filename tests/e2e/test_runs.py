"""Agent runs from the editor: progress, shell confirmation, cancellation, one run per document."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import make_test_lsp_client

from tests.e2e.agent import CALC, CALC_FIXED, FIX_SCRIPT, code_actions, done, span, start, tool
from tests.e2e.conftest import TRAE_LSP
from tests.e2e.editor import Editor

SHELL_POLICY = {
    "tools": {"shell": {"allowed_commands": ["echo"], "require_confirmation": ["echo"]}}
}
"""Project config: `echo` may run, but only after the user says yes."""

ECHO_SCRIPT = [tool("shell", command="echo from-the-agent"), *FIX_SCRIPT]
"""A run that asks to run a shell command first, then fixes `total`."""


class Dialog:
    """The editor's `window/showMessageRequest`: records questions, answers when released."""

    def __init__(self, editor: Editor, answer: str) -> None:
        self.answer = answer
        self.questions: list[types.ShowMessageRequestParams] = []
        self.asked = asyncio.Event()
        self.released = asyncio.Event()

        async def ask(params: types.ShowMessageRequestParams) -> types.MessageActionItem:
            self.questions.append(params)
            self.asked.set()
            await self.released.wait()
            return types.MessageActionItem(title=self.answer)

        editor.client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)(ask)


def project(tmp_path: Path) -> Path:
    """A project with `calc.py` and the shell policy above."""
    (tmp_path / ".trae").mkdir()
    (tmp_path / ".trae" / "config.json").write_text(json.dumps(SHELL_POLICY))
    (tmp_path / "calc.py").write_text(CALC)
    return tmp_path


def fix_file(uri: str) -> types.ExecuteCommandParams:
    return types.ExecuteCommandParams(command="trae.fixFile", arguments=[{"uri": uri}])


async def test_fix_reports_progress_per_step_with_usage(editor: Editor, tmp_path: Path) -> None:
    await start(editor, project(tmp_path), FIX_SCRIPT, edits={"mode": "apply"})
    uri = editor.open(tmp_path / "calc.py", CALC)
    result = await editor.execute("trae.fixFile", {"uri": uri})
    assert result["status"] == "completed"
    ((token, values),) = editor.client.progress_reports.items()
    assert str(token).startswith("trae-")
    begin, *reports, end = values
    assert isinstance(begin, types.WorkDoneProgressBegin) and begin.cancellable
    assert begin.title == "Trae: fix file"
    assert [r.message.split(" — ")[0] for r in reports] == ["step 1: thinking", "step 2: thinking"]
    assert all("tokens, $" in (r.message or "") for r in reports)
    assert isinstance(end, types.WorkDoneProgressEnd)
    assert end.message is not None and end.message.startswith("completed, changes applied")


async def test_shell_command_asks_and_session_permission_is_kept(
    editor: Editor, tmp_path: Path
) -> None:
    await start(editor, project(tmp_path), ECHO_SCRIPT, edits={"mode": "apply"}, autoRecord=True)
    dialog = Dialog(editor, "Allow for this session")
    dialog.released.set()
    uri = editor.open(tmp_path / "calc.py", CALC)
    assert (await editor.execute("trae.fixFile", {"uri": uri}))["applied"] is True
    (question,) = dialog.questions
    assert "echo from-the-agent" in question.message
    assert [a.title for a in question.actions or []] == [
        "Allow",
        "Deny",
        "Allow for this session",
    ]
    assert await editor.execute("trae.showTrajectory", {"uri": uri}) is True
    (shown,) = editor.client.shown_documents
    recorded = Path(shown.uri.removeprefix("file://")).read_text()
    assert "from-the-agent" in recorded and "Exit code: 0" in recorded
    editor.type(uri, span(0, 0, 0, 0), "")
    second = await editor.execute("trae.runTask", {"uri": uri, "task": "echo again"})
    assert second["status"] == "completed"
    assert len(dialog.questions) == 1, "allowed for the session: not asked again"


async def test_denied_command_does_not_run(editor: Editor, tmp_path: Path) -> None:
    await start(editor, project(tmp_path), ECHO_SCRIPT, edits={"mode": "apply"}, autoRecord=True)
    dialog = Dialog(editor, "Deny")
    dialog.released.set()
    uri = editor.open(tmp_path / "calc.py", CALC)
    await editor.execute("trae.fixFile", {"uri": uri})
    assert await editor.execute("trae.showTrajectory", {}) is True
    recorded = Path(editor.client.shown_documents[0].uri.removeprefix("file://")).read_text()
    assert "declined" in recorded and "Exit code: 0" not in recorded


async def blocked_run(editor: Editor, tmp_path: Path, msg_id: str = "run-1") -> Any:
    """Start `trae.fixFile`; once it waits for the dialog: (pending response, uri, dialog)."""
    await start(editor, project(tmp_path), ECHO_SCRIPT, edits={"mode": "apply"})
    dialog = Dialog(editor, "Allow")
    uri = editor.open(tmp_path / "calc.py", CALC)
    pending = asyncio.ensure_future(
        editor.client.protocol.send_request_async(
            types.WORKSPACE_EXECUTE_COMMAND, fix_file(uri), msg_id=msg_id
        )
    )
    await dialog.asked.wait()
    return pending, uri, dialog


async def test_progress_cancel_stops_the_run(editor: Editor, tmp_path: Path) -> None:
    pending, uri, dialog = await blocked_run(editor, tmp_path)
    (token,) = editor.client.progress_reports
    editor.client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    result = await pending
    assert result["status"] == "cancelled"
    assert editor.text(uri) == CALC and not editor.applied_edits
    end = editor.client.progress_reports[token][-1]
    assert isinstance(end, types.WorkDoneProgressEnd) and end.message == "cancelled"
    dialog.released.set()


async def test_cancel_request_stops_the_run_and_frees_the_document(
    editor: Editor, tmp_path: Path
) -> None:
    pending, uri, dialog = await blocked_run(editor, tmp_path)
    busy = await editor.execute("trae.fixFile", {"uri": uri})
    assert busy["status"] == "error" and "already working" in busy["summary"]
    editor.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="run-1"))
    with pytest.raises(JsonRpcException):
        await pending
    (reports,) = editor.client.progress_reports.values()
    while not isinstance(reports[-1], types.WorkDoneProgressEnd):
        await editor.client.wait_for_notification(types.PROGRESS)
    assert editor.text(uri) == CALC
    dialog.released.set()


async def test_changes_made_while_the_agent_works_are_rebased(
    editor: Editor, tmp_path: Path
) -> None:
    pending, uri, dialog = await blocked_run(editor, tmp_path)
    editor.type(uri, span(1, 0, 1, 0), "# typed meanwhile\n")
    assert await editor.execute("trae.cancel", {"uri": f"{uri}.other"}) == 0
    dialog.released.set()
    result = await pending
    assert result["applied"] is True
    assert editor.text(uri) == CALC_FIXED.replace("\n\n", "\n# typed meanwhile\n\n", 1)


async def test_explain_shows_the_answer_and_edits_nothing(editor: Editor, tmp_path: Path) -> None:
    answer = "`total` adds the numbers and then subtracts one."
    await start(editor, project(tmp_path), [done(answer)])
    uri = editor.open(tmp_path / "calc.py", CALC)
    result = await editor.execute("trae.explain", {"uri": uri, "symbol": "total"})
    assert result["summary"] == answer
    assert any(m.message == answer for m in editor.client.messages)
    assert not editor.applied_edits and editor.text(uri) == CALC


async def test_runs_beyond_the_limit_wait_for_a_slot(editor: Editor, tmp_path: Path) -> None:
    await start(
        editor, project(tmp_path), ECHO_SCRIPT, edits={"mode": "apply"}, maxConcurrentAgents=1
    )
    dialog = Dialog(editor, "Allow")
    first = editor.open(tmp_path / "calc.py", CALC)
    (tmp_path / "other.py").write_text(CALC)
    second = editor.open(tmp_path / "other.py", CALC)
    running = asyncio.ensure_future(editor.execute("trae.fixFile", {"uri": first}))
    await dialog.asked.wait()
    waiting = asyncio.ensure_future(editor.execute("trae.runTask", {"uri": second, "task": "t"}))
    assert await editor.execute("trae.cancel", {"uri": f"{second}.other"}) == 0
    assert len(editor.client.progress_reports) == 1, "the second run waits for the slot"
    dialog.released.set()
    assert (await running)["applied"] is True
    assert (await waiting)["status"] == "completed"
    assert len(editor.client.progress_reports) == 2


def processes() -> dict[int, tuple[int, bytes]]:
    """Every live process: pid -> (parent pid, command line)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
            if state != "Z":
                found[int(stat.parent.name)] = (int(parent), (stat.parent / "cmdline").read_bytes())
    return found


def server_pid(editor: Editor) -> int:
    server = editor.client._server
    assert server is not None
    return server.pid


def descendants(pid: int) -> list[int]:
    """The live processes started by `pid`, directly or not."""
    table = processes()
    found, parents = [], {pid}
    while True:
        more = [p for p, (parent, _) in table.items() if parent in parents and p not in found]
        if not more:
            return found
        found += more
        parents = set(more)


def fork_servers(editor: Editor) -> list[int]:
    """Pids of the fork servers of the editor's server (at most one)."""
    table = processes()
    return [
        pid
        for pid, (parent, command) in table.items()
        if parent == server_pid(editor) and b"forkserver" in command
    ]


def workers(editor: Editor) -> list[int]:
    """Pids of the live agent worker processes of the editor's server (forked or not)."""
    servers = fork_servers(editor)
    return [
        pid
        for pid, (parent, command) in processes().items()
        if parent in servers
        or (parent == server_pid(editor) and b"run_worker" in command and pid not in servers)
    ]


def alive(pid: int) -> bool:
    """Does process `pid` still run (a zombie does not)?"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def exited(pid: int) -> None:
    """Return once process `pid` has ended: its pidfd turns readable (an event, not polling)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[None] = loop.create_future()
    loop.add_reader(fd, ended.set_result, None)
    try:
        await asyncio.wait_for(ended, 60)
    finally:
        loop.remove_reader(fd)
        os.close(fd)


@contextlib.asynccontextmanager
async def own_editor(client_name: str) -> AsyncIterator[Editor]:
    """An editor on a server whose end the test decides (the fixture's would shut it down)."""
    client = make_test_lsp_client()
    await client.start_io(*TRAE_LSP)
    try:
        yield Editor(client, client_name)
    finally:
        await client.stop()


async def test_cancel_ends_the_worker_process(editor: Editor, tmp_path: Path) -> None:
    pending, uri, dialog = await blocked_run(editor, tmp_path)
    (worker,) = workers(editor)
    assert await editor.execute("trae.cancel", {"uri": uri}) == 1
    assert (await pending)["status"] == "cancelled"
    assert not alive(worker), "the run ends only after its worker is gone"
    dialog.released.set()


async def test_a_crashed_worker_fails_the_run_and_the_server_carries_on(
    editor: Editor, tmp_path: Path
) -> None:
    pending, uri, dialog = await blocked_run(editor, tmp_path)
    (worker,) = workers(editor)
    os.kill(worker, signal.SIGKILL)
    result = await pending
    assert result["status"] == "error"
    assert "worker process exited with signal SIGKILL" in result["summary"]
    assert any("SIGKILL" in m.message for m in editor.client.messages)
    assert await code_actions(editor, uri, span(4, 4, 4, 4)), "the server still answers"
    assert editor.text(uri) == CALC
    dialog.released.set()


async def slow_run(editor: Editor, tmp_path: Path) -> asyncio.Future[Any]:
    """Start `trae.fixFile` with a model that takes an hour to answer; return once it waits."""
    await start(editor, project(tmp_path), [{**done(), "delay": 3600}])
    uri = editor.open(tmp_path / "calc.py", CALC)
    pending = asyncio.ensure_future(editor.execute("trae.fixFile", {"uri": uri}))
    while not any(len(r) > 1 for r in editor.client.progress_reports.values()):
        await editor.client.wait_for_notification(types.PROGRESS)
    return pending


async def test_shutdown_stops_the_workers(client_name: str, tmp_path: Path) -> None:
    async with own_editor(client_name) as editor:
        pending = await slow_run(editor, tmp_path)
        (worker,) = workers(editor)
        await editor.client.shutdown_session()
        assert (await pending)["status"] == "cancelled"
        assert not alive(worker)


@pytest.mark.parametrize("end", ["exit", "kill"])
async def test_no_worker_outlives_the_server(client_name: str, tmp_path: Path, end: str) -> None:
    async with own_editor(client_name) as editor:
        pending = await slow_run(editor, tmp_path)
        (worker,) = workers(editor)
        (fork_server,) = fork_servers(editor)
        started = descendants(server_pid(editor))
        assert worker in started and fork_server in started
        server = editor.client._server
        assert server is not None
        if end == "exit":  # `exit` without `shutdown`: the server kills its workers
            editor.client.exit(None)
        else:  # the server dies: the worker sees its input close and ends itself
            server.kill()
        await server.wait()
        for pid in started:  # the worker, the fork server and multiprocessing's resource tracker
            await exited(pid)
        pending.cancel()
