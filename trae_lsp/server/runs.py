"""Agent runs started from the editor: one per document, a global limit, cancellation.

Each run works in its own worker process (`run_process`, `run_worker`), so the
agent never competes with the editor's requests for this process's GIL; the
server only relays. Workers are forked from a fork server that imported the
agent once (`fork_server`), started in the background at `initialized`. The
worker runs in **propose** mode on a `Workspace` fed with the editor's open
buffers (and their versions); its `ChangeSet` comes back and goes to
`deliver_changes`, which applies, annotates or reviews it per `trae.edits.mode`
and rebases it onto whatever the user typed meanwhile. Runs are cancelled by
`trae.cancel`, by `$/cancelRequest` of the command that started them and by the
progress token's cancel; the server's shutdown stops every worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls import uris

from trae_lsp.errors import TraeError
from trae_lsp.server.delivery import deliver_changes
from trae_lsp.server.edits import proposed_changes
from trae_lsp.server.fork_server import warm_up_fork_server
from trae_lsp.server.progress import RunProgress
from trae_lsp.server.run_process import RunProcess
from trae_lsp.server.run_protocol import Buffer, RunOutcome, StartRun, change_set

if TYPE_CHECKING:
    from trae_lsp.server.server import TraeServer

ALLOW = "Allow"
DENY = "Deny"
ALLOW_SESSION = "Allow for this session"
"""The answers of the shell confirmation dialog."""

READ_ONLY_TOOLS = ("view", "read_file", "grep", "find_usages", "think")
"""Tools of runs that must not edit (`trae.explain`)."""

logger = logging.getLogger(__name__)


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
    worker: RunProcess | None = None


@dataclass(frozen=True)
class RunReport:
    """What a run did, returned to the command's caller."""

    status: str
    summary: str = ""
    applied: bool = False
    reviewed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """URIs whose proposal is kept for later (`trae.retryProposal`, `trae.showProposal`)."""
    trajectory: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The report as the command's JSON result."""
        return {
            "status": self.status,
            "summary": self.summary,
            "applied": self.applied,
            "reviewed": self.reviewed,
            "conflicts": self.conflicts,
            "kept": self.kept,
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
        self.exiting = False
        """The server is exiting: runs end without a word to the editor (it is gone)."""
        self._limit = 0
        self._slots = asyncio.Semaphore(1)
        self._warming: asyncio.Task[None] | None = None

    def warm_up(self) -> asyncio.Task[None]:
        """Start the workers' fork server in the background, so even the first run starts warm."""
        self._warming = asyncio.create_task(warm_up_fork_server())
        self._warming.add_done_callback(_report_warm_up)
        return self._warming

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

    async def stop_all(self) -> None:
        """Cancel every run and wait until each has stopped its worker (server shutdown)."""
        tasks = [run.task for run in self.active.values()]
        self.cancel()
        if tasks:
            await asyncio.wait(tasks)

    def exit(self) -> None:
        """Server exit: kill the workers of runs still going (no time to wait), say nothing."""
        self.exiting = True
        for run in self.active.values():
            if run.worker is not None:
                run.worker.kill()


def _report_warm_up(task: asyncio.Task[None]) -> None:
    """A fork server that failed to start is only logged: the first run starts it again."""
    if not task.cancelled() and (error := task.exception()) is not None:
        logger.warning("Trae: could not start the agent workers' fork server: %s", error)


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
        if not ls.runs.exiting:
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
    if report.kept:
        parts.append(f"{len(report.kept)} proposal(s) kept")
    return f"{', '.join(parts)} — {progress.usage()}"


async def _run(ls: TraeServer, job: AgentTask, progress: RunProgress) -> RunReport:
    root = project_root(ls, job.uri)
    start = StartRun(
        root=str(root),
        model=ls.settings.model,
        auto_record=ls.settings.auto_record,
        tools=None if job.edits else list(READ_ONLY_TOOLS),
        task=job.task,
        buffers=open_buffers(ls, root),
    )
    worker = await RunProcess.spawn()
    ls.runs.active[job.uri].worker = worker
    outcome = await worker.run(start, listener=progress, confirm=partial(confirm_command, ls))
    remember_trajectory(ls, job.uri, outcome)
    if not job.edits:
        return _report(outcome)
    return await _deliver(ls, job, root, outcome)


async def _deliver(ls: TraeServer, job: AgentTask, root: Path, outcome: RunOutcome) -> RunReport:
    """Send the run's changes to the editor in the configured edit mode."""
    changes = proposed_changes(change_set(outcome), root)
    if not changes:
        return _report(outcome)
    delivery = await deliver_changes(ls, changes, label=job.title)
    return _report(
        outcome,
        applied=delivery.applied,
        reviewed=delivery.reviewed,
        conflicts=[c.change.path.name for c in delivery.conflicts],
        kept=list(delivery.kept),
    )


def _report(outcome: RunOutcome, **delivered: Any) -> RunReport:
    summary = outcome.summary or outcome.error or ""
    return RunReport(outcome.status, summary, trajectory=outcome.trajectory, **delivered)


def open_buffers(ls: TraeServer, root: Path) -> list[Buffer]:
    """The editor's buffers under `root` (unsaved text, version) for the agent to read."""
    buffers = []
    for uri, document in list(ls.workspace.text_documents.items()):
        path = uris.to_fs_path(uri)
        if path is not None and Path(path).resolve().is_relative_to(root):
            buffers.append(
                Buffer(
                    path=str(Path(path).resolve()), text=document.source, version=document.version
                )
            )
    return buffers


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


def remember_trajectory(ls: TraeServer, uri: str, outcome: RunOutcome) -> None:
    """Keep the run's trajectory for `trae.showTrajectory`."""
    if outcome.trajectory is not None:
        path = Path(outcome.trajectory)
        ls.runs.trajectories[uri] = ls.runs.trajectories[""] = path


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
