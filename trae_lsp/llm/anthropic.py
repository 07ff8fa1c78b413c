"""Claude through the official `anthropic` SDK, with prompt caching on by default.

An agent resends its whole history on every step. With `cache_control`
breakpoints on the tool list, the system prompt and the moving tail of the
conversation, each step reads everything up to the previous step from the cache
(a tenth of the input price) and writes only what is new.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from typing import Any

import anthropic

from trae_lsp.llm.messages import (
    AssistantMessage,
    Message,
    Response,
    ResponseComplete,
    StopReason,
    StreamEvent,
    TextDelta,
    ToolCall,
    ToolCallComplete,
    ToolResultMessage,
    ToolSpec,
    Usage,
    UserMessage,
)
from trae_lsp.llm.model import Endpoint, Request
from trae_lsp.llm.provider import SdkModel

MAX_CACHE_BREAKPOINTS = 4
"""The Messages API accepts at most this many `cache_control` blocks per request."""

EPHEMERAL: dict[str, str] = {"type": "ephemeral"}
"""The cache_control value of every breakpoint (5-minute cache, refreshed on each hit)."""

EMPTY_ASSISTANT_TEXT = "(no answer)"
"""Stands in for an empty assistant turn, which the API rejects."""

STOP_REASONS: dict[str, StopReason] = {
    "end_turn": "end_turn",
    "tool_use": "tool_use",
    "max_tokens": "max_tokens",
    "model_context_window_exceeded": "max_tokens",
    "stop_sequence": "stop_sequence",
    "refusal": "refusal",
}
"""Anthropic stop reasons → ours; anything else (e.g. `pause_turn`) is `other`."""


def _user_blocks(message: UserMessage) -> list[dict[str, Any]]:
    images = [
        {"type": "image", "source": {"type": "base64", "media_type": i.media_type, "data": i.data}}
        for i in message.images
    ]
    return [*images, {"type": "text", "text": message.text}]


def _assistant_blocks(message: AssistantMessage) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"type": "text", "text": message.text}] if message.text else []
    blocks.extend(
        {"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments}
        for c in message.tool_calls
    )
    return blocks or [{"type": "text", "text": EMPTY_ASSISTANT_TEXT}]


def _tool_result_block(message: ToolResultMessage) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "tool_result",
        "tool_use_id": message.tool_call_id,
        "content": message.content,
    }
    if message.is_error:
        block["is_error"] = True
    return block


def wire_messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """Our messages as Messages API turns; consecutive same-role turns are merged."""
    turns: list[dict[str, Any]] = []
    for message in messages:
        if isinstance(message, UserMessage):
            role, blocks = "user", _user_blocks(message)
        elif isinstance(message, AssistantMessage):
            role, blocks = "assistant", _assistant_blocks(message)
        else:
            role, blocks = "user", [_tool_result_block(message)]
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    return turns


def wire_tools(tools: Sequence[ToolSpec]) -> list[dict[str, Any]]:
    """Our tool specs as Messages API tool definitions."""
    return [
        {"name": t.name, "description": t.description, "input_schema": t.input_schema}
        for t in tools
    ]


def add_cache_breakpoints(params: dict[str, Any]) -> None:
    """Mark the tools, the system prompt and the conversation tail as cache breakpoints.

    The tail gets two: the newest turn (written now, read by the next step) and the
    previous user turn (where the last step's breakpoint was, so it is read now).
    """
    marked: list[dict[str, Any]] = []
    if params.get("tools"):
        marked.append(params["tools"][-1])
    if params.get("system"):
        marked.append(params["system"][-1])
    turns: list[dict[str, Any]] = params["messages"]
    user_turns = [i for i, turn in enumerate(turns) if turn["role"] == "user"]
    tail = [len(turns) - 1, *[i for i in user_turns[::-1] if i != len(turns) - 1][:1]]
    for index in tail:
        if index >= 0:
            marked.append(turns[index]["content"][-1])
    for block in marked[:MAX_CACHE_BREAKPOINTS]:
        block["cache_control"] = dict(EPHEMERAL)


def request_params(model: str, request: Request, *, caching: bool) -> dict[str, Any]:
    """The keyword arguments of `messages.create`/`messages.stream` for a request.

    `temperature` is not sent: the Messages API of the SDK we pin no longer takes it.
    """
    params: dict[str, Any] = {
        "model": model,
        "max_tokens": request.max_tokens,
        "messages": wire_messages(request.messages),
    }
    if request.system:
        params["system"] = [{"type": "text", "text": request.system}]
    if request.tools:
        params["tools"] = wire_tools(request.tools)
    if caching:
        add_cache_breakpoints(params)
    return params


def _tool_call(block: Any) -> ToolCall:
    return ToolCall(id=block.id, name=block.name, arguments=dict(block.input or {}))


def to_response(message: Any, provider: str) -> Response:
    """An SDK `Message` as our `Response`."""
    text = "".join(block.text for block in message.content if block.type == "text")
    calls = tuple(_tool_call(block) for block in message.content if block.type == "tool_use")
    usage = message.usage
    return Response(
        message=AssistantMessage(text=text, tool_calls=calls),
        stop_reason=STOP_REASONS.get(message.stop_reason or "", "other"),
        usage=Usage(
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_read_tokens=usage.cache_read_input_tokens or 0,
            cache_write_tokens=usage.cache_creation_input_tokens or 0,
        ),
        model=message.model,
        provider=provider,
    )


class AnthropicModel(SdkModel):
    """A Claude model on the Messages API (or any server that speaks it)."""

    api_error = anthropic.APIError
    connection_error = anthropic.APIConnectionError
    timeout_error = anthropic.APITimeoutError

    def __init__(self, model: str, endpoint: Endpoint) -> None:
        super().__init__(model, endpoint)
        overall, connect = self.timeouts()
        self.client = anthropic.AsyncAnthropic(
            api_key=endpoint.api_key,
            base_url=endpoint.base_url,
            max_retries=endpoint.max_retries,
            timeout=anthropic.Timeout(overall, connect=connect),
        )

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self.client.close()

    def _params(self, request: Request) -> dict[str, Any]:
        return request_params(self.name, request, caching=self.endpoint.prompt_caching)

    async def _send(self, request: Request) -> Response:
        message = await self.client.messages.create(**self._params(request))
        return to_response(message, self.provider)

    async def _events(self, request: Request) -> AsyncGenerator[StreamEvent, None]:
        async with self.client.messages.stream(**self._params(request)) as stream:
            async for event in stream:
                if event.type == "text":
                    yield TextDelta(text=event.text)
                elif event.type == "content_block_stop" and event.content_block.type == "tool_use":
                    yield ToolCallComplete(tool_call=_tool_call(event.content_block))
            message = await stream.get_final_message()
        yield ResponseComplete(response=to_response(message, self.provider))
