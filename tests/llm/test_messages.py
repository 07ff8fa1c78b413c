"""Message types: usage arithmetic and round trips through JSON."""

from __future__ import annotations

from pydantic import TypeAdapter

from trae_lsp.llm import AssistantMessage, Message, ToolCall, ToolResultMessage, Usage, UserMessage


def test_usage_adds_field_by_field_and_sums() -> None:
    a = Usage(input_tokens=10, output_tokens=5, cache_read_tokens=100, cache_write_tokens=20)
    b = Usage(input_tokens=1, output_tokens=2, cache_read_tokens=3, cache_write_tokens=4)
    total = sum([a, b], Usage())
    assert total == Usage(
        input_tokens=11, output_tokens=7, cache_read_tokens=103, cache_write_tokens=24
    )
    assert sum([a, b]) == total
    assert total.prompt_tokens == 138
    assert total.total_tokens == 145
    assert round(a.cache_hit_rate, 3) == round(100 / 130, 3)
    assert Usage().cache_hit_rate == 0.0


def test_messages_round_trip_through_json() -> None:
    adapter: TypeAdapter[list[Message]] = TypeAdapter(list[Message])
    history: list[Message] = [
        UserMessage(text="hi"),
        AssistantMessage(text="", tool_calls=(ToolCall(id="t1", name="ls", arguments={"p": 1}),)),
        ToolResultMessage(tool_call_id="t1", content="boom", is_error=True),
    ]
    assert adapter.validate_json(adapter.dump_json(history)) == history
