"""Where trajectories live and how a file on disk becomes a `Trajectory` again.

A run writes `<id>.jsonl` (the journal, one event per line, appended as they
happen) and `<id>.json` (a summary rewritten atomically at the start, now and
then, and at the end, when the journal is removed). `load_trajectory` takes the
summary if the run finished, else rebuilds the run from the journal.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from trae_lsp.events import parse_event
from trae_lsp.trajectory.builder import TrajectoryBuilder
from trae_lsp.trajectory.files import TrajectoryError, read_journal
from trae_lsp.trajectory.schema import FORMAT_VERSION, Trajectory, TrajectoryStatus

SUMMARY_SUFFIX = ".json"
"""The summary file: the article's `traj_….json`."""

JOURNAL_SUFFIX = ".jsonl"
"""The journal next to it, present while a run is going (or after it crashed)."""

HEADER_KIND = "trajectory_header"
"""`kind` of the journal's first line, which identifies the run and its writer."""

INCOMPLETE_REASON = (
    "the run stopped without finishing (its process was killed or crashed); "
    "this trajectory was rebuilt from its journal"
)
"""Error recorded for a run whose journal ends without `run_finished`."""


def new_trajectory_id(now: datetime | None = None) -> str:
    """A sortable, unique id such as `traj_2026_11_28_060412_3f9a`."""
    moment = now or datetime.now(UTC)
    return f"traj_{moment:%Y_%m_%d_%H%M%S}_{secrets.token_hex(2)}"


def journal_path_for(summary: Path) -> Path:
    """The journal that belongs to a summary file."""
    return summary.with_suffix(JOURNAL_SUFFIX)


def journal_header(trajectory_id: str) -> dict[str, Any]:
    """The first journal record: format, id and the writing process (to tell live from dead)."""
    return {
        "kind": HEADER_KIND,
        "format_version": FORMAT_VERSION,
        "trajectory_id": trajectory_id,
        "pid": os.getpid(),
        "hostname": socket.gethostname(),
    }


def load_trajectory(path: str | Path) -> Trajectory:
    """Read a trajectory from its summary or journal file (`~` allowed), crashed runs too."""
    given = Path(path).expanduser()
    summary = given.with_suffix(SUMMARY_SUFFIX) if given.suffix == JOURNAL_SUFFIX else given
    journal = journal_path_for(summary)
    finished = _read_summary(summary) if summary.is_file() else None
    if finished is not None and finished.status is not TrajectoryStatus.RUNNING:
        return finished
    if journal.is_file():
        return rebuild_from_journal(journal)
    if finished is not None:
        return finished
    raise TrajectoryError(
        f"no trajectory at {given}; list the recorded ones in trajectory.output_dir "
        "(default ~/.trae/trajectories)"
    )


def _read_summary(path: Path) -> Trajectory:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise TrajectoryError(f"cannot read trajectory {path}: {e}") from e
    try:
        trajectory = Trajectory.model_validate_json(text)
    except ValidationError as e:
        raise TrajectoryError(f"{path} is not a valid trajectory: {_first_error(e)}") from e
    _check_version(trajectory.format_version, path)
    return trajectory


def rebuild_from_journal(path: Path) -> Trajectory:
    """Fold a journal's events into a trajectory; a dead writer's run becomes `incomplete`."""
    records = read_journal(path)
    if not records or records[0].get("kind") != HEADER_KIND:
        raise TrajectoryError(f"{path} does not start with a trajectory header")
    header = records[0]
    _check_version(int(header.get("format_version", FORMAT_VERSION)), path)
    builder = TrajectoryBuilder(
        Trajectory(
            trajectory_id=str(header["trajectory_id"]), task="", status=TrajectoryStatus.RUNNING
        )
    )
    for number, record in enumerate(records[1:], start=2):
        try:
            builder.apply(parse_event(record))
        except ValidationError as e:
            raise TrajectoryError(f"{path}:{number}: unreadable event: {_first_error(e)}") from e
    if builder.trajectory.status is TrajectoryStatus.RUNNING and not _writer_alive(header):
        builder.mark_incomplete(INCOMPLETE_REASON)
    return builder.trajectory


def _writer_alive(header: dict[str, Any]) -> bool:
    """Whether the process that writes this journal still runs (same host only)."""
    if header.get("hostname") != socket.gethostname():
        return False
    pid = header.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _check_version(version: int, path: Path) -> None:
    if version > FORMAT_VERSION:
        raise TrajectoryError(
            f"{path} uses trajectory format {version}, newer than this trae-lsp "
            f"understands ({FORMAT_VERSION}); upgrade trae-lsp to read it"
        )


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
