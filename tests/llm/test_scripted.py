"""ScriptedModel: the model other packages' tests drive the agent with."""

from __future__ import annotations

from contextlib import aclosing

import pytest

from trae_lsp.llm import (
    Model,
    ModelError,
    ResponseComplete,
    ScriptedModel,
    TextDelta,
    ToolCallComplete,
    ToolResultMessage,
    ToolSpec,
    Usage,
    UserMessage,
    final_response,
    tool_call_response,
)

READ = ToolSpec(name="read_file", description="Read a file", input_schema={"type": "object"})


async def test_answers_in_order_and_records_requests() -> None:
    model = ScriptedModel([tool_call_response("read_file", {"path": "a.py"}), "done"])
    first = await model.complete([UserMessage(text="fix it")], system="sys", tools=[READ])
    assert first.stop_reason == "tool_use"
    assert first.message.tool_calls[0].arguments == {"path": "a.py"}
    history = [
        UserMessage(text="fix it"),
        first.message,
        ToolResultMessage(tool_call_id="call_read_file", content="print(1)"),
    ]
    second = await model.complete(history)
    assert (second.message.text, second.stop_reason) == ("done", "end_turn")
    assert [len(r.messages) for r in model.requests] == [1, 3]
    assert model.requests[0].system == "sys"
    assert model.requests[0].tools == (READ,)
    assert model.remaining == 0


async def test_stream_yields_text_tool_calls_then_response() -> None:
    usage = Usage(input_tokens=10, output_tokens=2)
    response = tool_call_response("read_file", {"path": "x"}, text="Let me look.", usage=usage)
    model = ScriptedModel([response])
    async with aclosing(model.stream([UserMessage(text="hi")])) as events:
        seen = [event async for event in events]
    assert isinstance(seen[0], TextDelta) and seen[0].text == "Let me look."
    assert isinstance(seen[1], ToolCallComplete) and seen[1].tool_call.name == "read_file"
    assert isinstance(seen[2], ResponseComplete) and seen[2].response == response


async def test_final_response_drains_a_stream() -> None:
    model = ScriptedModel(["ok"])
    response = await final_response(model.stream([UserMessage(text="hi")]))
    assert response.message.text == "ok"


async def test_running_out_of_script_is_a_model_error() -> None:
    model = ScriptedModel([])
    with pytest.raises(ModelError, match="only 0 responses"):
        await model.complete([UserMessage(text="hi")])


def test_fits_the_model_protocol() -> None:
    assert isinstance(ScriptedModel([]), Model)
