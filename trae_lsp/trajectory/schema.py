"""The trajectory file format: the article's schema, extended with everything a run produces.

The article's shape (`trajectory_id`, `task`, `steps[step, tool, input, output,
timestamp]`) is kept as is, so its example loads; everything added has a
default. `steps` are tool actions, numbered from 1 in the order they were
called; `llm_interactions` are the model calls, `plan` the planner's steps.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from trae_lsp.events import ConversationMessage, PlannedStep, RecordedToolCall

FORMAT_VERSION = 1
"""Version of the file format this code writes; files with a higher version are refused."""

MUTATING_TOOL_WORDS = ("write", "edit", "patch", "create", "replace", "delete", "move", "apply")
"""Words in a tool's name that mark it as changing files (for records without `changes`)."""


def is_mutating_tool(name: str) -> bool:
    """Whether a tool, judged by its name, changes files (`write_file`, `str_replace`...)."""
    lowered = name.lower()
    return any(word in lowered for word in MUTATING_TOOL_WORDS)


class TrajectoryStatus(StrEnum):
    """A run's status as recorded: the agent's final statuses plus the in-flight ones."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    MAX_STEPS = "max_steps"
    BUDGET_EXCEEDED = "budget_exceeded"
    CANCELLED = "cancelled"
    INCOMPLETE = "incomplete"
    """The process stopped without finishing (crash, `kill -9`); rebuilt from the journal."""


class StepStatus(StrEnum):
    """How one tool action went; failures are recorded as errors, not as completed."""

    COMPLETED = "completed"
    ERROR = "error"
    PENDING = "pending"
    """Called, no result yet (the run is still going)."""
    INTERRUPTED = "interrupted"
    """Called, and the run stopped before a result came back."""


class _Record(BaseModel):
    """Base of the file's objects: unknown keys from newer writers are ignored."""

    model_config = ConfigDict(extra="ignore", use_attribute_docstrings=True)


class TokenUsage(_Record):
    """Tokens billed; `input_tokens` excludes cache reads and writes (as `llm.Usage`)."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Every token the model read or wrote, cached or not."""
        return (
            self.input_tokens
            + self.output_tokens
            + self.cache_read_tokens
            + self.cache_write_tokens
        )

    def plus(self, other: TokenUsage) -> TokenUsage:
        """The field-by-field sum of two usages."""
        return TokenUsage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
        )


class TrajectoryStep(_Record):
    """One tool action: the article's fields plus status, timing and the model's call id."""

    step: int
    tool: str
    input: Any = None
    output: str | None = None
    timestamp: datetime | None = None
    status: StepStatus = StepStatus.COMPLETED
    duration_seconds: float | None = None
    call_id: str | None = None
    agent_step: int | None = None
    """The agent-loop iteration (`StepStarted.index`) that made this call."""


class LLMRequest(_Record):
    """What was sent: the message count and only the messages new since the last call."""

    message_count: int = 0
    new_messages: list[ConversationMessage] = Field(default_factory=list)
    tools: list[str] = Field(default_factory=list)


class LLMResponse(_Record):
    """What the model answered."""

    text: str = ""
    tool_calls: list[RecordedToolCall] = Field(default_factory=list)
    stop_reason: str = ""


class LLMInteraction(_Record):
    """One model call with its usage and latency."""

    index: int
    timestamp: datetime | None = None
    agent_step: int | None = None
    model: str = ""
    request: LLMRequest = Field(default_factory=LLMRequest)
    response: LLMResponse = Field(default_factory=LLMResponse)
    usage: TokenUsage = Field(default_factory=TokenUsage)
    latency_seconds: float = 0.0


class BudgetWarningRecord(_Record):
    """A budget warning and the last tool step before it."""

    step: int
    message: str
    percent_used: float = 0.0
    timestamp: datetime | None = None


class FileChange(_Record):
    """A file the run changed and its unified diff."""

    file: str
    diff: str = ""


class Totals(_Record):
    """Run totals: tokens, cost and counts."""

    usage: TokenUsage = Field(default_factory=TokenUsage)
    cost_usd: float = 0.0
    llm_calls: int = 0
    tool_calls: int = 0
    errored_steps: int = 0


class Trajectory(_Record):
    """A recorded run; loads the article's minimal example as well as full recordings."""

    format_version: int = FORMAT_VERSION
    trajectory_id: str
    task: str
    model: str = ""
    provider: str = ""
    project_path: str = ""
    status: TrajectoryStatus = TrajectoryStatus.COMPLETED
    summary: str = ""
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    plan: list[PlannedStep] = Field(default_factory=list)
    steps: list[TrajectoryStep] = Field(default_factory=list)
    llm_interactions: list[LLMInteraction] = Field(default_factory=list)
    budget_warnings: list[BudgetWarningRecord] = Field(default_factory=list)
    changes: list[FileChange] = Field(default_factory=list)
    totals: Totals = Field(default_factory=Totals)

    @property
    def duration_seconds(self) -> float:
        """Wall time from start to finish (or to the last record of an unfinished run)."""
        times = [t for t in self._timestamps() if t is not None]
        if not times:
            return 0.0
        start = self.started_at or min(times)
        end = self.finished_at or max(times)
        return max((end - start).total_seconds(), 0.0)

    @property
    def total_tokens(self) -> int:
        """Every token of the run: the recorded totals, or the sum of the model calls."""
        if self.totals.usage.total_tokens:
            return self.totals.usage.total_tokens
        return sum(call.usage.total_tokens for call in self.llm_interactions)

    @property
    def modified_files(self) -> list[str]:
        """The files the run changed, each once, in the order they were first changed.

        Records without `changes` (the article's minimal format) fall back to the
        `path` inputs of file-changing tools.
        """
        if self.changes:
            return list(dict.fromkeys(change.file for change in self.changes))
        paths = (
            step.input.get("path")
            for step in self.steps
            if is_mutating_tool(step.tool) and isinstance(step.input, dict)
        )
        return list(dict.fromkeys(p for p in paths if isinstance(p, str)))

    def _timestamps(self) -> list[datetime | None]:
        return [
            self.started_at,
            self.finished_at,
            *(step.timestamp for step in self.steps),
            *(call.timestamp for call in self.llm_interactions),
        ]
