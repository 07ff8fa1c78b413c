"""The typed progress events of an agent run, and the fan-out that delivers them.

The agent emits these; the CLI renders them with rich, the language server turns
them into `$/progress` and log messages, and the trajectory recorder journals
them. Every event is an immutable value with a `kind` tag and a UTC timestamp,
so a list of events can be serialised and read back (`parse_event`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from trae_lsp.errors import TraeError


class RunStatus(StrEnum):
    """How a run ended; each way of stopping has its own status."""

    COMPLETED = "completed"
    FAILED = "failed"
    MAX_STEPS = "max_steps"
    BUDGET_EXCEEDED = "budget_exceeded"
    CANCELLED = "cancelled"


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC (what every timestamp uses)."""
    return datetime.now(UTC)


class _Event(BaseModel):
    """Base of every event: immutable, unknown fields rejected, stamped when created."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    timestamp: datetime = Field(default_factory=utc_now)
    """When the event happened (UTC)."""


class RunStarted(_Event):
    """A run began: what it is asked to do and with which model."""

    kind: Literal["run_started"] = "run_started"
    task: str
    model: str = ""
    provider: str = ""
    project_path: str = ""


class PlannedStep(BaseModel):
    """One step of the plan as it is shown and recorded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    index: int
    description: str
    required_tools: tuple[str, ...] = ()
    affected_files: tuple[str, ...] = ()


class PlanMade(_Event):
    """The planner produced the steps the agent will follow."""

    kind: Literal["plan_made"] = "plan_made"
    steps: tuple[PlannedStep, ...]


class StepStarted(_Event):
    """The agent began one iteration of its loop (one model turn)."""

    kind: Literal["step_started"] = "step_started"
    index: int
    description: str = ""


class ToolCalled(_Event):
    """The agent is about to run a tool with these arguments."""

    kind: Literal["tool_called"] = "tool_called"
    call_id: str
    tool: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class ToolResulted(_Event):
    """A tool call finished; `is_error` is true when it failed."""

    kind: Literal["tool_resulted"] = "tool_resulted"
    call_id: str
    tool: str
    output: str
    is_error: bool = False
    duration_seconds: float = 0.0


class RecordedToolCall(BaseModel):
    """A tool call as the model asked for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class ConversationMessage(BaseModel):
    """One message of a conversation, flattened to text for the record."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: str
    content: str
    tool_call_id: str | None = None
    tool_calls: tuple[RecordedToolCall, ...] = ()


class ModelCalled(_Event):
    """One LLM interaction: what was sent (as a delta), what came back, tokens and latency.

    `new_messages` holds only the messages appended since the previous call of
    the run, so the whole conversation is their concatenation and a recording
    does not grow quadratically. Token fields follow `trae_lsp.llm.messages.Usage`:
    `input_tokens` excludes cache reads and writes.
    """

    kind: Literal["model_called"] = "model_called"
    model: str = ""
    message_count: int = 0
    new_messages: tuple[ConversationMessage, ...] = ()
    tools: tuple[str, ...] = ()
    response_text: str = ""
    tool_calls: tuple[RecordedToolCall, ...] = ()
    stop_reason: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    latency_seconds: float = 0.0


class TokensUsed(_Event):
    """Cumulative tokens and cost of the run so far."""

    kind: Literal["tokens_used"] = "tokens_used"
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float = 0.0


class BudgetWarning(_Event):
    """The run crossed the budget's warning threshold."""

    kind: Literal["budget_warning"] = "budget_warning"
    message: str
    percent_used: float = 0.0


class ChangeProposed(_Event):
    """The agent changed (or proposes to change) a file; `diff` is a unified diff."""

    kind: Literal["change_proposed"] = "change_proposed"
    file: str
    diff: str


class RunFinished(_Event):
    """The run ended with this status; `error` says why when it did not complete."""

    kind: Literal["run_finished"] = "run_finished"
    status: RunStatus
    summary: str = ""
    error: str | None = None


AgentEvent = Annotated[
    RunStarted
    | PlanMade
    | StepStarted
    | ToolCalled
    | ToolResulted
    | ModelCalled
    | TokensUsed
    | BudgetWarning
    | ChangeProposed
    | RunFinished,
    Field(discriminator="kind"),
]
"""Any event of a run, told apart by its `kind`."""

_EVENT_ADAPTER: TypeAdapter[AgentEvent] = TypeAdapter(AgentEvent)


def parse_event(data: Any) -> AgentEvent:
    """An event from its JSON-ready dict (as `event.model_dump(mode="json")` wrote it)."""
    return _EVENT_ADAPTER.validate_python(data)


class EventListener(Protocol):
    """Anything that wants the events of a run: a renderer, the recorder, the server."""

    def __call__(self, event: AgentEvent, /) -> None:
        """Receive one event; must not block for long (the agent waits for it)."""


class EventListenerError(TraeError):
    """A listener raised while handling an event; the others still received it."""


class EventBus:
    """Fan-out: every emitted event goes to each subscriber, in subscription order."""

    def __init__(self, listeners: tuple[EventListener, ...] = ()) -> None:
        self._listeners: list[EventListener] = list(listeners)

    def subscribe(self, listener: EventListener) -> Callable[[], None]:
        """Add a listener; returns a function that removes it again."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: AgentEvent) -> None:
        """Deliver an event to every listener, then raise if any of them failed."""
        failures: list[tuple[EventListener, Exception]] = []
        for listener in tuple(self._listeners):
            try:
                listener(event)
            except Exception as e:  # delivered to the rest first, re-raised below
                failures.append((listener, e))
        if failures:
            listener, first = failures[0]
            raise EventListenerError(
                f"{len(failures)} event listener(s) failed on {event.kind!r}; "
                f"first: {listener!r}: {first}"
            ) from first
