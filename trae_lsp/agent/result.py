"""`AgentResult`: what a run returns to the CLI, the Python API, workflows and the server."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trae_lsp.agent.planner import Plan
from trae_lsp.events import RunStatus
from trae_lsp.llm.messages import Usage
from trae_lsp.workspace import FileChange


@dataclass(frozen=True)
class AgentResult:
    """The outcome of `TraeAgent.run`: status, changes with diffs, tokens, cost, trajectory."""

    status: RunStatus
    """`completed`, `failed`, `max_steps`, `budget_exceeded` or `cancelled`."""

    summary: str = ""
    """The agent's `task_done` summary (or chat answer)."""

    error: str | None = None
    """Why the run did not complete, with what to do next."""

    changes: list[FileChange] = field(default_factory=list)
    """Every changed file with its unified diff (`change.file`, `change.diff`)."""

    trajectory_path: Path | None = None
    """The recorded trajectory, or None when recording is off."""

    token_usage: Usage = field(default_factory=Usage)
    """Tokens of every model call of the run (planner included)."""

    estimated_cost_usd: float = 0.0
    """Cost of those tokens at the price table's rates (0.0 for unpriced models)."""

    cache_hit_rate: float = 0.0
    """Share of cacheable tool calls answered from `tool_cache` (0.0 without a cache)."""

    plan: Plan | None = None
    """The planner's plan, when the run was planned."""

    steps: int = 0
    """Model turns of the agent loop."""

    @property
    def modified_files(self) -> list[str]:
        """Project-relative paths of the changed files."""
        return [change.file for change in self.changes]

    @property
    def succeeded(self) -> bool:
        """Whether the run completed."""
        return self.status is RunStatus.COMPLETED
