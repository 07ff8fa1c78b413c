"""OpenAIModel with the real SDK against the fake Chat Completions API."""

from __future__ import annotations

from contextlib import aclosing

import pytest

from tests.fakes import ErrorReply, FakeOpenAI, HangingStream, MidStreamError
from tests.fakes.fixtures import FAKE_API_KEY, fake_endpoint
from trae_lsp.llm import (
    AssistantMessage,
    BadRequestError,
    Image,
    ProviderUnavailableError,
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
from trae_lsp.llm.openai import OpenAIModel, quirks_for
from trae_lsp.llm.provider import INVALID_ARGUMENTS_KEY, parse_arguments
from trae_lsp.llm.scripted import tool_calls_response

TOOLS = [
    ToolSpec(
        name="read_file",
        description="Read a file",
        input_schema={"type": "object", "properties": {"path": {"type": "string"}}},
    )
]
HISTORY = [
    UserMessage(text="fix the bug"),
    AssistantMessage(
        tool_calls=(ToolCall(id="call_1", name="read_file", arguments={"path": "a.py"}),)
    ),
    ToolResultMessage(tool_call_id="call_1", content="no such file", is_error=True),
]


async def test_complete_sends_chat_completions_and_splits_cached_usage(
    fake_openai: FakeOpenAI, openai_model: OpenAIModel
) -> None:
    usage = Usage(input_tokens=100, output_tokens=20, cache_read_tokens=900, cache_write_tokens=50)
    fake_openai.add(
        tool_call_response("read_file", {"path": "b.py"}, call_id="call_2", usage=usage)
    )
    response = await openai_model.complete(
        HISTORY, system="You are trae.", tools=TOOLS, max_tokens=500, temperature=0.3
    )
    assert response.stop_reason == "tool_use"
    assert response.message.tool_calls == (
        ToolCall(id="call_2", name="read_file", arguments={"path": "b.py"}),
    )
    assert response.usage == usage
    [request] = fake_openai.requests
    assert request.headers["authorization"] == f"Bearer {FAKE_API_KEY}"
    body = request.body
    assert body["messages"][0] == {"role": "developer", "content": "You are trae."}
    assert body["messages"][2]["tool_calls"][0]["function"] == {
        "name": "read_file",
        "arguments": '{"path": "a.py"}',
    }
    assert body["messages"][3] == {
        "role": "tool",
        "tool_call_id": "call_1",
        "content": "ERROR: no such file",
    }
    assert body["tools"][0]["function"]["parameters"] == TOOLS[0].input_schema
    assert body["max_completion_tokens"] == 500
    assert "temperature" not in body and "max_tokens" not in body


async def test_compatible_server_gets_plain_parameters(fake_openai: FakeOpenAI) -> None:
    fake_openai.add(text_response("hello"))
    model = OpenAIModel("llama3.1:8b", fake_endpoint(fake_openai, provider="ollama"))
    image = Image(media_type="image/jpeg", data="/9j/4AAQ")
    response = await model.complete(
        [UserMessage(text="look", images=(image,))], system="sys", temperature=0.1
    )
    assert (response.message.text, response.provider) == ("hello", "ollama")
    body = fake_openai.requests[0].body
    assert body["messages"][0] == {"role": "system", "content": "sys"}
    assert body["messages"][1]["content"][1] == {
        "type": "image_url",
        "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"},
    }
    assert (body["max_tokens"], body["temperature"]) == (8192, 0.1)
    await model.aclose()


async def test_stream_assembles_parallel_tool_calls_and_usage(
    fake_openai: FakeOpenAI, openai_model: OpenAIModel
) -> None:
    calls = [
        ToolCall(id="call_a", name="read_file", arguments={"path": "src/a_long_name.py"}),
        ToolCall(id="call_b", name="read_file", arguments={"path": "src/b.py", "lines": [1, 9]}),
    ]
    usage = Usage(input_tokens=40, output_tokens=12, cache_read_tokens=1024)
    fake_openai.add(tool_calls_response(calls, text="Reading both files.", usage=usage))
    async with aclosing(openai_model.stream(HISTORY, tools=TOOLS)) as events:
        seen = [event async for event in events]
    assert "".join(e.text for e in seen if isinstance(e, TextDelta)) == "Reading both files."
    assert [e.tool_call for e in seen if isinstance(e, ToolCallComplete)] == calls
    final = seen[-1]
    assert isinstance(final, ResponseComplete)
    assert (final.response.usage, final.response.stop_reason) == (usage, "tool_use")
    body = fake_openai.requests[0].body
    assert (body["stream"], body["stream_options"]) == (True, {"include_usage": True})


async def test_closing_a_stream_closes_the_connection(
    fake_openai: FakeOpenAI, openai_model: OpenAIModel
) -> None:
    fake_openai.add(HangingStream(text_response("never finishes"), events_before_hang=3))
    events = openai_model.stream([UserMessage(text="hi")])
    assert isinstance(await anext(events), TextDelta)
    await events.aclose()
    assert fake_openai.requests[0].client_closed.wait(timeout=10)


async def test_retries_on_500_then_raises_typed_error(
    fake_openai: FakeOpenAI, openai_model: OpenAIModel
) -> None:
    fake_openai.add(*[ErrorReply(500, "boom")] * 3)
    with pytest.raises(ProviderUnavailableError, match=r"openai \(model gpt-5\).*HTTP 500"):
        await openai_model.complete([UserMessage(text="hi")])
    assert len(fake_openai.requests) == 3


async def test_bad_request_is_not_retried(
    fake_openai: FakeOpenAI, openai_model: OpenAIModel
) -> None:
    fake_openai.add(ErrorReply(400, "context_length_exceeded"))
    with pytest.raises(BadRequestError, match="context_length_exceeded"):
        await openai_model.complete([UserMessage(text="hi")])
    assert len(fake_openai.requests) == 1


@pytest.mark.parametrize(
    ("model", "param", "temperature", "role"),
    [
        ("gpt-5", "max_completion_tokens", False, "developer"),
        ("gpt-5-chat-latest", "max_completion_tokens", True, "system"),
        ("o3-mini", "max_completion_tokens", False, "developer"),
        ("gpt-4o", "max_completion_tokens", True, "system"),
        ("qwen3:32b", "max_tokens", True, "system"),
    ],
)
def test_quirks_come_from_one_table(model: str, param: str, temperature: bool, role: str) -> None:
    quirks = quirks_for(model)
    assert (quirks.max_tokens_param, quirks.temperature, quirks.system_role) == (
        param,
        temperature,
        role,
    )


def test_malformed_arguments_are_kept_for_the_loop() -> None:
    assert parse_arguments('{"a": 1}') == {"a": 1}
    assert parse_arguments("") == {}
    assert parse_arguments("{oops") == {INVALID_ARGUMENTS_KEY: "{oops"}
    assert parse_arguments("[1]") == {INVALID_ARGUMENTS_KEY: "[1]"}


async def test_error_inside_a_stream_is_typed(
    fake_openai: FakeOpenAI, openai_model: OpenAIModel
) -> None:
    fake_openai.add(MidStreamError(text_response("partial"), ErrorReply(500, "engine crashed")))
    with pytest.raises(ProviderUnavailableError, match="engine crashed"):
        async with aclosing(openai_model.stream([UserMessage(text="hi")])) as events:
            async for _ in events:
                pass
