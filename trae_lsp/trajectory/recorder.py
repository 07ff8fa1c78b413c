"""Recording a run as it happens: subscribe a `TrajectoryRecorder` to the agent's events.

Every event is redacted, fitted to `trajectory.max_size_mb` and appended to the
journal before anything else happens, so a `kill -9` at any moment leaves a
loadable record; the events that end a unit of work (a tool result, a change,
the finish...) are also fsynced, so a power loss loses at most the current step.
The summary JSON is rewritten atomically only at the start, every
`SUMMARY_EVERY_RECORDS` records and at the end, never per step.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from trae_lsp.config import TraeConfig, TrajectoryConfig
from trae_lsp.config_layers import expand_value
from trae_lsp.events import (
    AgentEvent,
    BudgetWarning,
    ChangeProposed,
    PlanMade,
    RunFinished,
    RunStarted,
    RunStatus,
    ToolResulted,
    parse_event,
)
from trae_lsp.trajectory.builder import TrajectoryBuilder
from trae_lsp.trajectory.files import Journal, TrajectoryError, write_json_atomic
from trae_lsp.trajectory.redaction import Redactor
from trae_lsp.trajectory.schema import Trajectory, TrajectoryStatus
from trae_lsp.trajectory.size import SizeBudget
from trae_lsp.trajectory.store import (
    SUMMARY_SUFFIX,
    journal_header,
    journal_path_for,
    new_trajectory_id,
)

SUMMARY_EVERY_RECORDS = 50
"""Rewrite the summary after this many journal records (the journal is the durable part)."""

DURABLE_EVENTS = (RunStarted, PlanMade, ToolResulted, ChangeProposed, BudgetWarning, RunFinished)
"""Events that end a unit of work: fsynced at once (the others reach the OS, unsynced)."""

UNFINISHED_ERROR = "the run ended without reporting a status (the agent raised or was closed)"
"""Error recorded when the recorder is closed before a `RunFinished` event."""


def resolve_output_dir(settings: TrajectoryConfig, env: Mapping[str, str] | None = None) -> Path:
    """`trajectory.output_dir` with `~` and `${VAR}` expanded."""
    expanded = expand_value(
        settings.output_dir, key="trajectory.output_dir", source="settings", env=env
    )
    return Path(expanded)


class TrajectoryRecorder:
    """An event listener that writes the run's trajectory, crash-safe and redacted."""

    def __init__(
        self,
        settings: TrajectoryConfig,
        *,
        redactor: Redactor,
        output_dir: Path | None = None,
        trajectory_id: str | None = None,
    ) -> None:
        directory = output_dir if output_dir is not None else resolve_output_dir(settings)
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as e:
            raise TrajectoryError(
                f"cannot create trajectory directory {directory}: {e.strerror}; "
                "set trajectory.output_dir (or TRAE_TRAJECTORY_DIR) to a writable directory"
            ) from e
        self.trajectory_id = trajectory_id or new_trajectory_id()
        self.path = directory / f"{self.trajectory_id}{SUMMARY_SUFFIX}"
        """The summary file: what `TrajectoryAnalyzer.load` and `trae replay` take."""
        self.journal_path = journal_path_for(self.path)
        self._redactor = redactor
        self._budget = SizeBudget(settings.max_size_mb)
        self._journal = Journal(self.journal_path)
        self._builder = TrajectoryBuilder(
            Trajectory(trajectory_id=self.trajectory_id, task="", status=TrajectoryStatus.RUNNING)
        )
        self._since_summary = 0
        self._finished = False
        self._budget.charge(self._journal.append(journal_header(self.trajectory_id)))
        self._write_summary()

    @property
    def trajectory(self) -> Trajectory:
        """A copy of the trajectory recorded so far (as redacted and truncated on disk)."""
        return self._builder.trajectory.model_copy(deep=True)

    @property
    def finished(self) -> bool:
        """Whether the run's `RunFinished` was recorded and the files are final."""
        return self._finished

    def __call__(self, event: AgentEvent) -> None:
        """Record one event (the `EventListener` protocol)."""
        self.record(event)

    def record(self, event: AgentEvent) -> None:
        """Journal an event durably, then fold it into the trajectory."""
        if self._finished:
            raise TrajectoryError(
                f"trajectory {self.trajectory_id} is already finished; "
                "start a new recorder for a new run"
            )
        data = self._redactor.redact(event.model_dump(mode="json"), max_bytes=self._budget.cap())
        durable = isinstance(event, DURABLE_EVENTS)
        self._budget.charge(self._journal.append(data, durable=durable))
        self._builder.apply(parse_event(data))
        self._since_summary += 1
        if isinstance(event, RunFinished):
            self._finish()
        elif self._since_summary >= SUMMARY_EVERY_RECORDS:
            self._write_summary()

    def close(self, error: str | None = None, *, status: RunStatus = RunStatus.FAILED) -> None:
        """End the record; a run that never reported how it ended gets `status` and `error`."""
        if not self._finished:
            self.record(RunFinished(status=status, error=error or UNFINISHED_ERROR))

    def __enter__(self) -> TrajectoryRecorder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self.close()
            return
        interrupted = isinstance(exc, KeyboardInterrupt | asyncio.CancelledError)
        status = RunStatus.CANCELLED if interrupted else RunStatus.FAILED
        self.close(f"{type(exc).__name__}: {exc}", status=status)

    def _write_summary(self) -> None:
        data = self._builder.trajectory.model_dump(mode="json")
        write_json_atomic(self.path, data)
        self._since_summary = 0

    def _finish(self) -> None:
        """Final summary first, then drop the journal: at every instant one of them is whole."""
        self._write_summary()
        self._journal.close()
        self.journal_path.unlink(missing_ok=True)
        self._finished = True


def open_recorder(
    config: TraeConfig,
    *,
    env: Mapping[str, str] | None = None,
    enabled: bool | None = None,
) -> TrajectoryRecorder | None:
    """A recorder set up from the settings, or `None` when recording is off.

    `enabled` (e.g. `TraeAgent(record_trajectory=...)`) overrides `trajectory.enabled`.
    """
    if not (config.trajectory.enabled if enabled is None else enabled):
        return None
    environ = os.environ if env is None else env
    return TrajectoryRecorder(
        config.trajectory,
        redactor=Redactor.from_environment(environ, config),
        output_dir=resolve_output_dir(config.trajectory, environ),
    )
