"""AnthropicModel with the real SDK against the fake Messages API."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import pytest

from tests.fakes import ErrorReply, FakeAnthropic, HangingStream, MidStreamError
from tests.fakes.fixtures import FAKE_API_KEY, fake_endpoint
from trae_lsp.llm import (
    AssistantMessage,
    AuthenticationError,
    Image,
    ModelNotFoundError,
    ProviderConnectionError,
    ProviderUnavailableError,
    RateLimitError,
    ResponseComplete,
    TextDelta,
    ToolCall,
    ToolCallComplete,
    ToolResultMessage,
    ToolSpec,
    Usage,
    UserMessage,
    text_response,
    tool_call_response,
)
from trae_lsp.llm.anthropic import AnthropicModel

TOOLS = [
    ToolSpec(
        name="read_file",
        description="Read a file",
        input_schema={"type": "object", "properties": {"path": {"type": "string"}}},
    ),
    ToolSpec(
        name="shell",
        description="Run a command",
        input_schema={"type": "object", "properties": {"cmd": {"type": "string"}}},
    ),
]
HISTORY = [
    UserMessage(text="fix the bug"),
    AssistantMessage(
        text="Reading.",
        tool_calls=(ToolCall(id="t1", name="read_file", arguments={"path": "a.py"}),),
    ),
    ToolResultMessage(tool_call_id="t1", content="print(1)"),
    AssistantMessage(tool_calls=(ToolCall(id="t2", name="shell", arguments={"cmd": "false"}),)),
    ToolResultMessage(tool_call_id="t2", content="exit 1", is_error=True),
]


def marked(body: dict) -> list[str]:  # type: ignore[type-arg]
    """Where cache_control breakpoints are, as readable labels."""
    labels = [f"tool:{t['name']}" for t in body.get("tools", []) if "cache_control" in t]
    labels += ["system" for b in body.get("system", []) if "cache_control" in b]
    for i, turn in enumerate(body["messages"]):
        labels += [f"msg{i}:{b['type']}" for b in turn["content"] if "cache_control" in b]
    return labels


async def test_complete_sends_wire_format_and_reads_usage(
    fake_anthropic: FakeAnthropic, anthropic_model: AnthropicModel
) -> None:
    usage = Usage(input_tokens=50, output_tokens=7, cache_read_tokens=900, cache_write_tokens=40)
    fake_anthropic.add(
        tool_call_response(
            "read_file", {"path": "b.py"}, call_id="toolu_1", text="Next file.", usage=usage
        )
    )
    response = await anthropic_model.complete(
        HISTORY, system="You are trae.", tools=TOOLS, max_tokens=1000, temperature=0.2
    )
    assert response.stop_reason == "tool_use"
    assert response.message == AssistantMessage(
        text="Next file.",
        tool_calls=(ToolCall(id="toolu_1", name="read_file", arguments={"path": "b.py"}),),
    )
    assert response.usage == usage
    assert (response.provider, response.model) == ("anthropic", "claude-sonnet-4-6")
    [request] = fake_anthropic.requests
    assert request.headers["authorization"] == f"Bearer {FAKE_API_KEY}"
    body = request.body
    assert (body["model"], body["max_tokens"]) == ("claude-sonnet-4-6", 1000)
    assert "temperature" not in body
    assert body["tools"][0]["input_schema"] == TOOLS[0].input_schema
    roles = [turn["role"] for turn in body["messages"]]
    assert roles == ["user", "assistant", "user", "assistant", "user"]
    assert body["messages"][4]["content"][0] == {
        "type": "tool_result",
        "tool_use_id": "t2",
        "content": "exit 1",
        "is_error": True,
        "cache_control": {"type": "ephemeral"},
    }


async def test_cache_breakpoints_on_tools_system_and_tail(
    fake_anthropic: FakeAnthropic, anthropic_model: AnthropicModel
) -> None:
    fake_anthropic.add(text_response("ok"))
    await anthropic_model.complete(HISTORY, system="sys", tools=TOOLS)
    body = fake_anthropic.requests[0].body
    assert marked(body) == ["tool:shell", "system", "msg2:tool_result", "msg4:tool_result"]


async def test_first_turn_has_three_breakpoints_and_caching_can_be_off(
    fake_anthropic: FakeAnthropic,
) -> None:
    fake_anthropic.add(text_response("a"), text_response("b"))
    on = AnthropicModel("claude-sonnet-4-6", fake_endpoint(fake_anthropic))
    off = AnthropicModel("claude-sonnet-4-6", fake_endpoint(fake_anthropic, prompt_caching=False))
    await on.complete([UserMessage(text="hi")], system="sys", tools=TOOLS)
    await off.complete([UserMessage(text="hi")], system="sys", tools=TOOLS)
    assert marked(fake_anthropic.requests[0].body) == ["tool:shell", "system", "msg0:text"]
    assert marked(fake_anthropic.requests[1].body) == []


async def test_images_are_sent_before_the_text(
    fake_anthropic: FakeAnthropic, anthropic_model: AnthropicModel
) -> None:
    fake_anthropic.add(text_response("a cat"))
    image = Image(media_type="image/png", data="iVBORw0KGgo=")
    await anthropic_model.complete([UserMessage(text="what is it?", images=(image,))])
    content = fake_anthropic.requests[0].body["messages"][0]["content"]
    assert content[0]["source"] == {
        "type": "base64",
        "media_type": "image/png",
        "data": "iVBORw0KGgo=",
    }
    assert content[1]["text"] == "what is it?"


async def test_stream_yields_deltas_tool_calls_and_final_usage(
    fake_anthropic: FakeAnthropic, anthropic_model: AnthropicModel
) -> None:
    usage = Usage(input_tokens=5, output_tokens=30, cache_read_tokens=2000, cache_write_tokens=0)
    args = {"path": "src/long/path/module.py", "start": 1, "end": 200}
    fake_anthropic.add(
        tool_call_response(
            "read_file", args, call_id="toolu_9", text="Let me read the module.", usage=usage
        )
    )
    async with aclosing(anthropic_model.stream(HISTORY, tools=TOOLS)) as events:
        seen = [event async for event in events]
    deltas = [e.text for e in seen if isinstance(e, TextDelta)]
    assert len(deltas) > 1 and "".join(deltas) == "Let me read the module."
    calls = [e.tool_call for e in seen if isinstance(e, ToolCallComplete)]
    assert calls == [ToolCall(id="toolu_9", name="read_file", arguments=args)]
    final = seen[-1]
    assert isinstance(final, ResponseComplete)
    assert final.response.usage == usage
    assert final.response.stop_reason == "tool_use"
    assert fake_anthropic.requests[0].body["stream"] is True


async def test_closing_a_stream_closes_the_connection(
    fake_anthropic: FakeAnthropic, anthropic_model: AnthropicModel
) -> None:
    fake_anthropic.add(
        HangingStream(text_response("a long answer that never ends"), events_before_hang=4)
    )
    events = anthropic_model.stream([UserMessage(text="hi")])
    first = await anext(events)
    assert isinstance(first, TextDelta)
    await events.aclose()
    assert fake_anthropic.requests[0].client_closed.wait(timeout=10)


@pytest.mark.parametrize("status", [429, 500, 529])
async def test_retries_transient_errors_then_succeeds(
    fake_anthropic: FakeAnthropic, anthropic_model: AnthropicModel, status: int
) -> None:
    fake_anthropic.add(ErrorReply(status, "busy"), ErrorReply(status, "busy"), text_response("ok"))
    response = await anthropic_model.complete([UserMessage(text="hi")])
    assert response.message.text == "ok"
    assert len(fake_anthropic.requests) == 3
    assert [r.headers.get("x-stainless-retry-count") for r in fake_anthropic.requests] == [
        "0",
        "1",
        "2",
    ]


@pytest.mark.parametrize(
    ("status", "error", "advice"),
    [
        (429, RateLimitError, "max_retries"),
        (529, ProviderUnavailableError, "overloaded"),
        (401, AuthenticationError, "trae config set --provider anthropic --api-key"),
        (404, ModelNotFoundError, "choose another with --model"),
    ],
)
async def test_errors_become_typed_and_actionable(
    fake_anthropic: FakeAnthropic,
    anthropic_model: AnthropicModel,
    status: int,
    error: type[Exception],
    advice: str,
) -> None:
    fake_anthropic.add(*[ErrorReply(status, "nope")] * 3)
    with pytest.raises(error, match=advice) as caught:
        await anthropic_model.complete([UserMessage(text="hi")])
    assert "claude-sonnet-4-6" in str(caught.value)
    retried = status in (429, 529)
    assert len(fake_anthropic.requests) == (3 if retried else 1)


async def test_stream_errors_are_typed_too(
    fake_anthropic: FakeAnthropic, anthropic_model: AnthropicModel
) -> None:
    fake_anthropic.add(*[ErrorReply(529, "Overloaded")] * 3)
    with pytest.raises(ProviderUnavailableError, match="HTTP 529"):
        async with aclosing(anthropic_model.stream([UserMessage(text="hi")])) as events:
            async for _ in events:
                pass


async def test_cancelling_the_task_closes_the_request(
    fake_anthropic: FakeAnthropic, anthropic_model: AnthropicModel
) -> None:
    held = HangingStream(text_response("slow"))
    fake_anthropic.add(held)
    task = asyncio.create_task(anthropic_model.complete([UserMessage(text="hi")]))
    assert await asyncio.to_thread(held.started.wait, 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(fake_anthropic.requests[0].client_closed.wait, 10)


async def test_unreachable_endpoint_names_the_setting(fake_anthropic: FakeAnthropic) -> None:
    endpoint = fake_endpoint(fake_anthropic, max_retries=0)
    fake_anthropic.stop()
    model = AnthropicModel("claude-sonnet-4-6", endpoint)
    with pytest.raises(ProviderConnectionError, match=r"providers\.anthropic\.base_url"):
        await model.complete([UserMessage(text="hi")])
    await model.aclose()


async def test_overload_inside_a_stream_is_typed(
    fake_anthropic: FakeAnthropic, anthropic_model: AnthropicModel
) -> None:
    fake_anthropic.add(
        MidStreamError(text_response("partial answer"), ErrorReply(529, "Overloaded"), 5)
    )
    seen = []
    with pytest.raises(ProviderUnavailableError, match="HTTP 529"):
        async with aclosing(anthropic_model.stream([UserMessage(text="hi")])) as events:
            async for event in events:
                seen.append(event)
    assert seen and all(isinstance(e, TextDelta) for e in seen)
