"""The agent's event stream: immutable, serialisable values fanned out to every listener."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from trae_lsp.events import (
    AgentEvent,
    BudgetWarning,
    ChangeProposed,
    ConversationMessage,
    EventBus,
    EventListenerError,
    ModelCalled,
    PlanMade,
    PlannedStep,
    RecordedToolCall,
    RunFinished,
    RunStarted,
    RunStatus,
    StepStarted,
    TokensUsed,
    ToolCalled,
    ToolResulted,
    parse_event,
)

ONE_OF_EACH: list[AgentEvent] = [
    RunStarted(task="fix it", model="claude-sonnet-4-5", provider="anthropic"),
    PlanMade(steps=(PlannedStep(index=1, description="read", required_tools=("read_file",)),)),
    StepStarted(index=1, description="read"),
    ToolCalled(call_id="c1", tool="read_file", arguments={"path": "a.py"}),
    ToolResulted(call_id="c1", tool="read_file", output="x = 1", duration_seconds=0.5),
    ModelCalled(
        model="claude-sonnet-4-5",
        new_messages=(ConversationMessage(role="user", content="fix it"),),
        tool_calls=(RecordedToolCall(id="c1", name="read_file", arguments={"path": "a.py"}),),
        input_tokens=10,
        cache_read_tokens=5,
    ),
    TokensUsed(input_tokens=10, output_tokens=2, cost_usd=0.01),
    BudgetWarning(message="80% used", percent_used=80),
    ChangeProposed(file="a.py", diff="-x = 1\n+x = 2\n"),
    RunFinished(status=RunStatus.MAX_STEPS, error="stopped after 30 steps"),
]


@pytest.mark.parametrize("event", ONE_OF_EACH, ids=lambda e: e.kind)
def test_every_event_round_trips_through_json(event: AgentEvent) -> None:
    assert parse_event(event.model_dump(mode="json")) == event


def test_events_are_immutable() -> None:
    event = StepStarted(index=1)
    with pytest.raises(ValidationError):
        event.index = 2  # type: ignore[misc]


def test_statuses_are_the_five_ways_a_run_ends() -> None:
    assert [s.value for s in RunStatus] == [
        "completed",
        "failed",
        "max_steps",
        "budget_exceeded",
        "cancelled",
    ]


def test_bus_delivers_in_subscription_order_until_unsubscribed() -> None:
    seen: list[str] = []
    bus = EventBus()
    bus.subscribe(lambda e: seen.append(f"first:{e.kind}"))
    unsubscribe = bus.subscribe(lambda e: seen.append(f"second:{e.kind}"))
    bus.emit(StepStarted(index=1))
    unsubscribe()
    bus.emit(StepStarted(index=2))
    assert seen == ["first:step_started", "second:step_started", "first:step_started"]


def test_a_failing_listener_does_not_starve_the_others() -> None:
    seen: list[AgentEvent] = []

    def broken(event: AgentEvent) -> None:
        raise OSError("disk full")

    bus = EventBus((broken, seen.append))
    event = StepStarted(index=1)
    with pytest.raises(EventListenerError, match="disk full") as raised:
        bus.emit(event)
    assert seen == [event]
    assert isinstance(raised.value.__cause__, OSError)
