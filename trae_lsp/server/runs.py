"""Agent runs started from the editor: one per document, a global limit, cancellation.

A run works in **propose** mode on a `Workspace` fed with the editor's open
buffers (and their versions); its `ChangeSet` goes to `deliver_changes`, which
applies, annotates or reviews it per `trae.edits.mode` and rebases it onto
whatever the user typed meanwhile. Runs are cancelled by `trae.cancel`, by
`$/cancelRequest` of the command that started them and by the progress token's
cancel. The agent and its SDKs are imported inside the run, off the loop, so
the server starts fast.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types
from pygls import uris

from trae_lsp.errors import TraeError
from trae_lsp.server.delivery import deliver_changes
from trae_lsp.server.progress import RunProgress

if TYPE_CHECKING:
    from trae_lsp.agent.result import AgentResult
    from trae_lsp.agent.trae_agent import TraeAgent
    from trae_lsp.events import AgentEvent, EventListener
    from trae_lsp.server.server import TraeServer
    from trae_lsp.tools.base import ConfirmFn
    from trae_lsp.workspace import Workspace

T = TypeVar("T")

ALLOW = "Allow"
DENY = "Deny"
ALLOW_SESSION = "Allow for this session"
"""The answers of the shell confirmation dialog."""

READ_ONLY_TOOLS = ("view", "read_file", "grep", "find_usages", "think")
"""Tools of runs that must not edit (`trae.explain`)."""


class RunBusyError(TraeError):
    """The document already has an agent run."""


@dataclass(frozen=True)
class AgentTask:
    """What an editor action asks of the agent."""

    uri: str
    title: str
    task: str
    edits: bool = True
    """False for answers only (`trae.explain`): changes are discarded, tools read-only."""


@dataclass
class ActiveRun:
    """A run in progress and the ways to stop it."""

    uri: str
    task: asyncio.Task[Any]
    request_id: object = None
    token: str | None = None


@dataclass(frozen=True)
class RunReport:
    """What a run did, returned to the command's caller."""

    status: str
    summary: str = ""
    applied: bool = False
    reviewed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    trajectory: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The report as the command's JSON result."""
        return {
            "status": self.status,
            "summary": self.summary,
            "applied": self.applied,
            "reviewed": self.reviewed,
            "conflicts": self.conflicts,
            "trajectory": self.trajectory,
        }


class AgentRuns:
    """The server's runs: at most one per document and `limit` in all."""

    def __init__(self) -> None:
        self.active: dict[str, ActiveRun] = {}
        self.trajectories: dict[str, Path] = {}
        """Last recorded trajectory per document URI (`""`: the last of all)."""
        self.allowed_commands: set[str] = set()
        """Shell confirmations answered "Allow for this session"."""
        self._limit = 0
        self._slots = asyncio.Semaphore(1)

    @contextlib.asynccontextmanager
    async def slot(self, limit: int) -> AsyncIterator[None]:
        """Wait for one of `limit` run slots (a new limit applies to later runs)."""
        if limit != self._limit:
            self._limit, self._slots = limit, asyncio.Semaphore(limit)
        async with self._slots:
            yield

    def cancel(self, uri: str | None = None) -> int:
        """Cancel the run of `uri` (every run when None); how many were cancelled."""
        runs = [r for r in self.active.values() if uri is None or r.uri == uri]
        for run in runs:
            run.task.cancel()
        return len(runs)

    def cancel_where(self, *, token: object = None, request_id: object = None) -> None:
        """Cancel the run started by a request, or owning a progress token."""
        for run in list(self.active.values()):
            if (token is not None and run.token == token) or (
                request_id is not None and run.request_id == request_id
            ):
                run.task.cancel()


async def run_agent_task(ls: TraeServer, job: AgentTask) -> RunReport:
    """Run `job` to the end (or its cancellation); deliver its changes; report."""
    runs = ls.runs
    if job.uri in runs.active:
        raise RunBusyError(
            f"Trae is already working on {Path(job.uri).name}; "
            "wait for it or run `Trae: cancel` first."
        )
    current = asyncio.current_task()
    assert current is not None
    run = ActiveRun(job.uri, current, request_id=ls.protocol.msg_id)
    runs.active[job.uri] = run
    try:
        async with runs.slot(ls.settings.max_concurrent_agents):
            progress = await RunProgress.start(ls, job.title)
            run.token = progress.token
            return await _run_with_progress(ls, job, progress)
    finally:
        runs.active.pop(job.uri, None)


async def _run_with_progress(ls: TraeServer, job: AgentTask, progress: RunProgress) -> RunReport:
    """The run between progress begin and end; the end says how it went."""
    try:
        report = await _run(ls, job, progress)
    except asyncio.CancelledError:
        progress.end("cancelled")
        raise
    except Exception as e:
        progress.end(f"failed: {e}")
        raise
    progress.end(summarize(report, progress))
    return report


def summarize(report: RunReport, progress: RunProgress) -> str:
    """The progress end message: status, what became of the changes, usage."""
    parts = [report.status]
    if report.applied:
        parts.append("changes applied")
    if report.reviewed:
        parts.append(f"{len(report.reviewed)} file(s) to review")
    if report.conflicts:
        parts.append(f"{len(report.conflicts)} conflict(s)")
    return f"{', '.join(parts)} — {progress.usage()}"


async def _run(ls: TraeServer, job: AgentTask, progress: RunProgress) -> RunReport:
    root = project_root(ls, job.uri)
    agent, workspace = await asyncio.to_thread(_prepare, ls, root, asyncio.get_running_loop())
    try:
        feed_buffers(ls, workspace, root)
        result = await in_own_thread(
            agent.arun(
                job.task,
                tools=None if job.edits else list(READ_ONLY_TOOLS),
                workspace=workspace,
                listener=_on_loop(asyncio.get_running_loop(), progress),
            )
        )
        remember_trajectory(ls, job.uri, result)
        if not job.edits:
            return _report(result)
        return await _deliver(ls, job, workspace, root, result)
    finally:
        workspace.close()


async def in_own_thread(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on its own event loop in its own thread; cancelling us cancels it.

    The agent's synchronous stretches (tool output handling, token counting,
    context building) then never hold up the server's loop.
    """
    holder: list[asyncio.Task[T]] = []
    ready = threading.Event()

    def run() -> T:
        loop = asyncio.new_event_loop()
        try:
            holder.append(loop.create_task(work))
            ready.set()
            return loop.run_until_complete(holder[0])
        finally:
            ready.set()
            loop.close()

    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trae-agent")
    future = asyncio.get_running_loop().run_in_executor(executor, run)
    executor.shutdown(wait=False)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        await asyncio.to_thread(ready.wait)
        if holder:
            holder[0].get_loop().call_soon_threadsafe(holder[0].cancel)
        with contextlib.suppress(BaseException):
            await future
        raise


def _on_loop(loop: asyncio.AbstractEventLoop, listener: RunProgress) -> EventListener:
    """A listener that hands each event to `listener` on the server's loop."""

    def forward(event: AgentEvent, /) -> None:
        loop.call_soon_threadsafe(listener, event)

    return forward


async def _deliver(
    ls: TraeServer, job: AgentTask, workspace: Workspace, root: Path, result: AgentResult
) -> RunReport:
    """Send the run's changes to the editor in the configured edit mode."""
    from trae_lsp.server.edits import proposed_changes

    changes = await asyncio.to_thread(lambda: proposed_changes(workspace.changes(), root))
    if not changes:
        return _report(result)
    delivery = await deliver_changes(ls, changes, label=job.title)
    return _report(
        result,
        applied=delivery.applied,
        reviewed=delivery.reviewed,
        conflicts=[c.change.path.name for c in delivery.conflicts],
    )


def _report(result: AgentResult, **delivered: Any) -> RunReport:
    summary = result.summary or result.error or ""
    trajectory = str(result.trajectory_path) if result.trajectory_path else None
    return RunReport(str(result.status), summary, trajectory=trajectory, **delivered)


def _prepare(
    ls: TraeServer, root: Path, loop: asyncio.AbstractEventLoop
) -> tuple[TraeAgent, Workspace]:
    """Build the agent and its propose-mode workspace (imports and config files: a thread)."""
    from trae_lsp.agent.trae_agent import TraeAgent
    from trae_lsp.workspace import Workspace

    agent = TraeAgent(
        ls.settings.model,
        root,
        record_trajectory=ls.settings.auto_record,
        workspace_mode="propose",
        confirm=_on_server_loop(loop, ls),
        planning=False,
    )
    return agent, Workspace(root, mode="propose")


def feed_buffers(ls: TraeServer, workspace: Workspace, root: Path) -> None:
    """Let the agent read the editor's unsaved buffers (with their versions)."""
    for uri, document in list(ls.workspace.text_documents.items()):
        path = uris.to_fs_path(uri)
        if path is not None and Path(path).resolve().is_relative_to(root):
            workspace.set_buffer(Path(path).resolve(), document.source, document.version)


def project_root(ls: TraeServer, uri: str) -> Path:
    """The workspace folder holding `uri` (else the client's root, else the file's folder)."""
    path = uris.to_fs_path(uri)
    if path is None:
        raise TraeError(f"Trae works on files only; {uri} is not a file: URI.")
    file = Path(path).resolve()
    for folder in ls.workspace.folders.values():
        root = uris.to_fs_path(folder.uri)
        if root and file.is_relative_to(Path(root).resolve()):
            return Path(root).resolve()
    root_path = ls.workspace.root_path
    if root_path and file.is_relative_to(Path(root_path).resolve()):
        return Path(root_path).resolve()
    return file.parent


def remember_trajectory(ls: TraeServer, uri: str, result: AgentResult) -> None:
    """Keep the run's trajectory for `trae.showTrajectory`."""
    if result.trajectory_path is not None:
        ls.runs.trajectories[uri] = ls.runs.trajectories[""] = result.trajectory_path


def _on_server_loop(loop: asyncio.AbstractEventLoop, ls: TraeServer) -> ConfirmFn:
    """The agent's confirmation callback: asks through the server's loop, from any thread."""

    async def confirm(question: str) -> bool:
        asked = asyncio.run_coroutine_threadsafe(confirm_command(ls, question), loop)
        return await asyncio.wrap_future(asked)

    return confirm


async def confirm_command(ls: TraeServer, question: str) -> bool:
    """Ask the user about a shell command (`window/showMessageRequest`)."""
    if question in ls.runs.allowed_commands:
        return True
    answer = await ls.window_show_message_request_async(
        types.ShowMessageRequestParams(
            type=types.MessageType.Warning,
            message=f"Trae: {question}",
            actions=[
                types.MessageActionItem(title=ALLOW),
                types.MessageActionItem(title=DENY),
                types.MessageActionItem(title=ALLOW_SESSION),
            ],
        )
    )
    title = answer.title if answer is not None else DENY
    if title == ALLOW_SESSION:
        ls.runs.allowed_commands.add(question)
    return title in (ALLOW, ALLOW_SESSION)
