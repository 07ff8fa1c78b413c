"""The fakes themselves: cache billing rules, recording, and unscripted requests."""

from __future__ import annotations

import pytest

from tests.fakes import FakeAnthropic, FakeOpenAI
from tests.fakes.fixtures import fake_endpoint
from tests.fakes.prompt_cache import PromptCache, count_tokens
from trae_lsp.llm import (
    BadRequestError,
    ToolResultMessage,
    ToolSpec,
    UserMessage,
    text_response,
    tool_call_response,
)
from trae_lsp.llm.anthropic import AnthropicModel

BIG = "x" * 8_000
"""About 2,000 tokens: above the minimum cacheable prefix."""


def body(*texts: str, marks: tuple[int, ...]) -> dict:  # type: ignore[type-arg]
    blocks = [
        {
            "type": "text",
            "text": t,
            **({"cache_control": {"type": "ephemeral"}} if i in marks else {}),
        }
        for i, t in enumerate(texts)
    ]
    return {"model": "m", "messages": [{"role": "user", "content": blocks}]}


def test_prefix_seen_before_is_read_and_the_rest_written() -> None:
    cache = PromptCache()
    first = cache.bill(body(BIG, "tail one", marks=(0, 1)))
    block_tokens = count_tokens({"role": "user", "type": "text", "text": BIG})
    tail_tokens = count_tokens({"role": "user", "type": "text", "text": "tail one"})
    assert first == (0, 0, block_tokens + tail_tokens)
    second = cache.bill(body(BIG, "tail one", "tail two", marks=(1, 2)))
    assert second.cache_read_tokens == block_tokens + tail_tokens
    assert second.input_tokens == 0
    assert second.cache_write_tokens == count_tokens(
        {"role": "user", "type": "text", "text": "tail two"}
    )


def test_unmarked_short_or_other_model_prompts_are_not_cached() -> None:
    cache = PromptCache()
    assert cache.bill(body(BIG, marks=())).cache_write_tokens == 0
    assert cache.bill(body("short", marks=(0,))) == (
        count_tokens({"role": "user", "type": "text", "text": "short"}),
        0,
        0,
    )
    cache.bill(body(BIG, marks=(0,)))
    other = {**body(BIG, marks=(0,)), "model": "other"}
    assert cache.bill(other).cache_read_tokens == 0


async def test_second_agent_step_reads_what_the_first_wrote() -> None:
    tools = [
        ToolSpec(name="read_file", description="Read " * 2_000, input_schema={"type": "object"})
    ]
    first_answer = tool_call_response("read_file", {"path": "a"}, call_id="t1")
    with FakeAnthropic([first_answer, text_response("done")], simulate_cache=True) as fake:
        model = AnthropicModel("claude-sonnet-4-6", fake_endpoint(fake))
        history = [UserMessage(text="task")]
        one = await model.complete(history, system="S" * 6_000, tools=tools)
        history += [one.message, ToolResultMessage(tool_call_id="t1", content=BIG)]
        two = await model.complete(history, system="S" * 6_000, tools=tools)
        await model.aclose()
    assert one.usage.cache_read_tokens == 0 and one.usage.cache_write_tokens > 3_000
    assert two.usage.cache_read_tokens == one.usage.cache_write_tokens
    assert two.usage.cache_write_tokens >= 2_000
    assert two.usage.input_tokens == 0
    assert two.usage.output_tokens > 0


async def test_unscripted_request_is_recorded_as_a_failure(fake_openai: FakeOpenAI) -> None:
    from trae_lsp.llm.openai import OpenAIModel

    model = OpenAIModel("gpt-5", fake_endpoint(fake_openai))
    with pytest.raises(BadRequestError, match="script exhausted"):
        await model.complete([UserMessage(text="hi")])
    await model.aclose()
    assert fake_openai.failures == ["request 1 to /v1/chat/completions: script exhausted"]
    assert fake_openai.requests[0].body["messages"] == [{"role": "user", "content": "hi"}]
