"""GPT models and every OpenAI-compatible server, through the official `openai` SDK.

Chat Completions is the one API that Ollama, vLLM, llama.cpp server, LM Studio
and OpenRouter all speak, so it serves them all through `base_url`. What differs
between models lives in `MODEL_QUIRKS`, nowhere else.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import openai

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
    Usage,
    UserMessage,
)
from trae_lsp.llm.model import Endpoint, Request
from trae_lsp.llm.provider import SdkModel, parse_arguments


@dataclass(frozen=True)
class ModelQuirks:
    """How a family of models deviates from plain Chat Completions."""

    max_tokens_param: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"
    """Name of the output limit; OpenAI's own models want `max_completion_tokens`."""

    temperature: bool = True
    """Whether the model accepts `temperature` (reasoning models reject it)."""

    system_role: Literal["system", "developer"] = "system"
    """Role of the system prompt; reasoning models call it `developer`."""

    stream_usage: bool = True
    """Whether to ask for usage at the end of a stream (`stream_options.include_usage`)."""


_OPENAI = ModelQuirks(max_tokens_param="max_completion_tokens")
_REASONING = ModelQuirks(
    max_tokens_param="max_completion_tokens", temperature=False, system_role="developer"
)

MODEL_QUIRKS: dict[str, ModelQuirks] = {
    "gpt-4o": _OPENAI,
    "gpt-4.1": _OPENAI,
    "gpt-5": _REASONING,
    "gpt-5-chat": _OPENAI,
    "o1": _REASONING,
    "o3": _REASONING,
    "o4": _REASONING,
}
"""Model-name prefix → quirks; the longest matching prefix wins, others get the defaults."""

FINISH_REASONS: dict[str, StopReason] = {
    "stop": "end_turn",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "length": "max_tokens",
    "content_filter": "refusal",
}
"""Chat Completions finish reasons → ours."""

ERROR_PREFIX = "ERROR: "
"""Chat Completions has no error flag on tool results, so failed results say so in text."""


def quirks_for(model: str) -> ModelQuirks:
    """The quirks of a model name (longest matching prefix in `MODEL_QUIRKS`)."""
    matches = [prefix for prefix in MODEL_QUIRKS if model.startswith(prefix)]
    return MODEL_QUIRKS[max(matches, key=len)] if matches else ModelQuirks()


def _user(message: UserMessage) -> dict[str, Any]:
    if not message.images:
        return {"role": "user", "content": message.text}
    parts: list[dict[str, Any]] = [{"type": "text", "text": message.text}]
    parts.extend(
        {"type": "image_url", "image_url": {"url": f"data:{i.media_type};base64,{i.data}"}}
        for i in message.images
    )
    return {"role": "user", "content": parts}


def _assistant(message: AssistantMessage) -> dict[str, Any]:
    wire: dict[str, Any] = {"role": "assistant", "content": message.text or None}
    if message.tool_calls:
        wire["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
            }
            for c in message.tool_calls
        ]
    return wire


def _tool_result(message: ToolResultMessage) -> dict[str, Any]:
    content = ERROR_PREFIX + message.content if message.is_error else message.content
    return {"role": "tool", "tool_call_id": message.tool_call_id, "content": content}


def wire_messages(system: str, messages: Sequence[Message], quirks: ModelQuirks) -> list[Any]:
    """Our conversation as Chat Completions messages, system prompt first."""
    wire: list[Any] = [{"role": quirks.system_role, "content": system}] if system else []
    for message in messages:
        if isinstance(message, UserMessage):
            wire.append(_user(message))
        elif isinstance(message, AssistantMessage):
            wire.append(_assistant(message))
        else:
            wire.append(_tool_result(message))
    return wire


def request_params(model: str, request: Request, *, stream: bool) -> dict[str, Any]:
    """The keyword arguments of `chat.completions.create` for a request."""
    quirks = quirks_for(model)
    params: dict[str, Any] = {
        "model": model,
        "messages": wire_messages(request.system, request.messages, quirks),
        quirks.max_tokens_param: request.max_tokens,
    }
    if request.tools:
        params["tools"] = [
            {
                "type": "function",
                "function": {
                    "name": t.name,
                    "description": t.description,
                    "parameters": t.input_schema,
                },
            }
            for t in request.tools
        ]
    if request.temperature is not None and quirks.temperature:
        params["temperature"] = request.temperature
    if stream:
        params["stream"] = True
        if quirks.stream_usage:
            params["stream_options"] = {"include_usage": True}
    return params


def to_usage(usage: Any) -> Usage:
    """Chat Completions usage as ours: cached prompt tokens are split out of `prompt_tokens`."""
    if usage is None:
        return Usage()
    details = usage.prompt_tokens_details
    cached = (details.cached_tokens or 0) if details else 0
    written = (details.cache_write_tokens or 0) if details else 0
    return Usage(
        input_tokens=max(usage.prompt_tokens - cached - written, 0),
        output_tokens=usage.completion_tokens,
        cache_read_tokens=cached,
        cache_write_tokens=written,
    )


def _response(
    model: str, provider: str, text: str, calls: Sequence[ToolCall], finish: str | None, usage: Any
) -> Response:
    stop: StopReason = "tool_use" if calls else FINISH_REASONS.get(finish or "", "other")
    return Response(
        message=AssistantMessage(text=text, tool_calls=tuple(calls)),
        stop_reason=stop,
        usage=to_usage(usage),
        model=model,
        provider=provider,
    )


class _ToolCallParts:
    """Tool-call fragments of a stream, assembled by their index."""

    def __init__(self) -> None:
        self.parts: dict[int, dict[str, str]] = {}

    def add(self, delta: Any) -> None:
        part = self.parts.setdefault(delta.index, {"id": "", "name": "", "arguments": ""})
        part["id"] = delta.id or part["id"]
        if delta.function is not None:
            part["name"] = delta.function.name or part["name"]
            part["arguments"] += delta.function.arguments or ""

    def calls(self) -> list[ToolCall]:
        return [
            ToolCall(id=p["id"], name=p["name"], arguments=parse_arguments(p["arguments"]))
            for _, p in sorted(self.parts.items())
        ]


class OpenAIModel(SdkModel):
    """A model behind the Chat Completions API: OpenAI itself or a compatible server."""

    api_error = openai.APIError
    connection_error = openai.APIConnectionError
    timeout_error = openai.APITimeoutError

    def __init__(self, model: str, endpoint: Endpoint) -> None:
        super().__init__(model, endpoint)
        overall, connect = self.timeouts()
        self.client = openai.AsyncOpenAI(
            api_key=endpoint.api_key,
            base_url=endpoint.base_url,
            max_retries=endpoint.max_retries,
            timeout=openai.Timeout(overall, connect=connect),
        )

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self.client.close()

    async def _send(self, request: Request) -> Response:
        completion = await self.client.chat.completions.create(
            **request_params(self.name, request, stream=False)
        )
        choice = completion.choices[0]
        calls = [
            ToolCall(id=c.id, name=c.function.name, arguments=parse_arguments(c.function.arguments))
            for c in choice.message.tool_calls or []
            if c.type == "function"
        ]
        text = choice.message.content or ""
        return _response(
            completion.model, self.provider, text, calls, choice.finish_reason, completion.usage
        )

    async def _events(self, request: Request) -> AsyncGenerator[StreamEvent, None]:
        params = request_params(self.name, request, stream=True)
        text, parts = [], _ToolCallParts()
        finish: str | None = None
        usage: Any = None
        model = self.name
        async with await self.client.chat.completions.create(**params) as stream:
            async for chunk in stream:
                model, usage = chunk.model or model, chunk.usage or usage
                for choice in chunk.choices[:1]:
                    finish = choice.finish_reason or finish
                    if choice.delta.content:
                        text.append(choice.delta.content)
                        yield TextDelta(text=choice.delta.content)
                    for delta in choice.delta.tool_calls or []:
                        parts.add(delta)
        calls = parts.calls()
        for call in calls:
            yield ToolCallComplete(tool_call=call)
        yield ResponseComplete(
            response=_response(model, self.provider, "".join(text), calls, finish, usage)
        )
