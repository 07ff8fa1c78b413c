"""`TrajectoryAnalyzer`, as in the article: load a run, find its issues, compare two runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trae_lsp.trajectory.findings import HUGE_OUTPUT_CHARS, TrajectoryIssue, find_issues
from trae_lsp.trajectory.schema import Trajectory
from trae_lsp.trajectory.store import load_trajectory


def reduction_percent(before: float, after: float) -> float:
    """How much smaller `after` is than `before`, in percent (negative if it grew)."""
    return round((before - after) / before * 100, 1) if before else 0.0


@dataclass(frozen=True)
class TrajectoryComparison:
    """Two runs side by side; reductions are positive when the second run used less."""

    baseline_id: str
    candidate_id: str
    baseline_tokens: int
    candidate_tokens: int
    baseline_steps: int
    candidate_steps: int
    baseline_cost_usd: float
    candidate_cost_usd: float
    baseline_duration_seconds: float
    candidate_duration_seconds: float

    @property
    def token_reduction_percent(self) -> float:
        """Tokens saved by the second run, in percent of the first."""
        return reduction_percent(self.baseline_tokens, self.candidate_tokens)

    @property
    def step_reduction_percent(self) -> float:
        """Tool calls saved by the second run, in percent of the first."""
        return reduction_percent(self.baseline_steps, self.candidate_steps)

    @property
    def cost_reduction_percent(self) -> float:
        """Cost saved by the second run, in percent of the first."""
        return reduction_percent(self.baseline_cost_usd, self.candidate_cost_usd)

    @property
    def duration_reduction_percent(self) -> float:
        """Wall time saved by the second run, in percent of the first."""
        return reduction_percent(self.baseline_duration_seconds, self.candidate_duration_seconds)


class TrajectoryAnalyzer:
    """Reads recorded runs and points at what went wrong or cost too much."""

    def __init__(self, *, huge_output_chars: int = HUGE_OUTPUT_CHARS) -> None:
        self.huge_output_chars = huge_output_chars

    def load(self, path: str | Path) -> Trajectory:
        """A trajectory from its file (`~` allowed); crashed runs are rebuilt from the journal."""
        return load_trajectory(path)

    def find_issues(self, trajectory: Trajectory) -> list[TrajectoryIssue]:
        """Repeated calls, retried failures, huge outputs, work after done, warnings, errors."""
        return find_issues(trajectory, huge_output_chars=self.huge_output_chars)

    def compare(self, baseline: Trajectory, candidate: Trajectory) -> TrajectoryComparison:
        """How the second run differs from the first in tokens, steps, cost and time."""
        return TrajectoryComparison(
            baseline_id=baseline.trajectory_id,
            candidate_id=candidate.trajectory_id,
            baseline_tokens=baseline.total_tokens,
            candidate_tokens=candidate.total_tokens,
            baseline_steps=len(baseline.steps),
            candidate_steps=len(candidate.steps),
            baseline_cost_usd=baseline.totals.cost_usd,
            candidate_cost_usd=candidate.totals.cost_usd,
            baseline_duration_seconds=baseline.duration_seconds,
            candidate_duration_seconds=candidate.duration_seconds,
        )
