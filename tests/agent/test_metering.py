"""MeteredModel: recorded deltas, shrinking old tool outputs, budget checks before the call."""

from __future__ import annotations

import pytest

from trae_lsp.agent.metering import MeteredModel
from trae_lsp.events import AgentEvent, EventBus, ModelCalled
from trae_lsp.llm.budget import BudgetExceeded, TokenBudget
from trae_lsp.llm.messages import (
    AssistantMessage,
    Message,
    ToolCall,
    ToolResultMessage,
    Usage,
    UserMessage,
)
from trae_lsp.llm.scripted import ScriptedModel, text_response

LONG = "x" * 5_000


def conversation(results: int) -> list[Message]:
    messages: list[Message] = [UserMessage(text="task")]
    for i in range(results):
        call = ToolCall(id=f"c{i}", name="view", arguments={"path": f"f{i}.py"})
        messages += [
            AssistantMessage(tool_calls=(call,)),
            ToolResultMessage(tool_call_id=call.id, content=LONG),
        ]
    return messages


def metered(
    strategy: str, **kwargs: object
) -> tuple[MeteredModel, ScriptedModel, list[AgentEvent]]:
    events: list[AgentEvent] = []
    model = ScriptedModel([text_response("ok", usage=Usage(input_tokens=100))] * 3)
    return (
        MeteredModel(model, EventBus((events.append,)), strategy=strategy, **kwargs),
        model,
        events,
    )  # type: ignore[arg-type]


async def test_each_call_records_only_the_new_messages() -> None:
    wrapper, _, events = metered("normal")
    first = conversation(1)
    await wrapper.complete(first)
    await wrapper.complete([*first, AssistantMessage(text="ok"), UserMessage(text="more")])
    calls = [e for e in events if isinstance(e, ModelCalled)]
    assert [len(c.new_messages) for c in calls] == [3, 2]
    assert calls[1].message_count == 5
    assert wrapper.usage.input_tokens == 200


async def test_conservative_shrinks_old_outputs_early_and_records_them_whole() -> None:
    conservative, sent_conservative, events = metered("conservative")
    normal, sent_normal, _ = metered("normal")
    messages = conversation(3)
    await conservative.complete(messages)
    await normal.complete(messages)

    shrunk = [m.content for m in sent_conservative.requests[0].messages if m.role == "tool"]
    assert len(shrunk[0]) < 1_000 and "omitted to save tokens" in shrunk[0]
    assert shrunk[-1] == LONG  # the newest results stay whole
    assert all(m.content == LONG for m in sent_normal.requests[0].messages if m.role == "tool")
    recorded = next(e for e in events if isinstance(e, ModelCalled)).new_messages
    assert all(m.content == LONG for m in recorded if m.role == "tool")


async def test_a_call_the_budget_cannot_afford_is_never_sent() -> None:
    wrapper, model, _ = metered("normal", budget=TokenBudget(max_input_tokens=500))
    with pytest.raises(BudgetExceeded, match="input tokens"):
        await wrapper.complete(conversation(1))
    assert model.requests == []
