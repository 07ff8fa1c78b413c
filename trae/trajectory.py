"""`from trae.trajectory import TrajectoryAnalyzer`: reading, analysing and recording runs."""

from trae_lsp.trajectory.analyzer import TrajectoryAnalyzer, TrajectoryComparison
from trae_lsp.trajectory.files import TrajectoryError
from trae_lsp.trajectory.findings import IssueKind, TrajectoryIssue
from trae_lsp.trajectory.recorder import TrajectoryRecorder, open_recorder
from trae_lsp.trajectory.redaction import Redactor
from trae_lsp.trajectory.replay import recorded_interactions
from trae_lsp.trajectory.schema import Trajectory, TrajectoryStatus
from trae_lsp.trajectory.store import load_trajectory

__all__ = [
    "IssueKind",
    "Redactor",
    "Trajectory",
    "TrajectoryAnalyzer",
    "TrajectoryComparison",
    "TrajectoryError",
    "TrajectoryIssue",
    "TrajectoryRecorder",
    "TrajectoryStatus",
    "load_trajectory",
    "open_recorder",
    "recorded_interactions",
]
