"""A `Model` that answers from a list written in a test, and remembers what it was asked."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable, Sequence
from typing import Any

from trae_lsp.llm.errors import ModelError
from trae_lsp.llm.messages import (
    AssistantMessage,
    Message,
    Response,
    ResponseComplete,
    StreamEvent,
    TextDelta,
    ToolCall,
    ToolCallComplete,
    ToolSpec,
    Usage,
)
from trae_lsp.llm.model import DEFAULT_MAX_TOKENS, Request, make_request

SCRIPTED_PROVIDER = "scripted"
"""Provider name reported by scripted responses."""


def text_response(text: str, *, usage: Usage | None = None, model: str = "scripted") -> Response:
    """A final answer without tool calls."""
    return Response(
        message=AssistantMessage(text=text),
        stop_reason="end_turn",
        usage=usage or Usage(),
        model=model,
        provider=SCRIPTED_PROVIDER,
    )


def tool_call_response(
    name: str,
    arguments: dict[str, Any] | None = None,
    *,
    call_id: str | None = None,
    text: str = "",
    usage: Usage | None = None,
    model: str = "scripted",
) -> Response:
    """An answer that asks for one tool to be run."""
    return tool_calls_response(
        [ToolCall(id=call_id or f"call_{name}", name=name, arguments=arguments or {})],
        text=text,
        usage=usage,
        model=model,
    )


def tool_calls_response(
    calls: Iterable[ToolCall],
    *,
    text: str = "",
    usage: Usage | None = None,
    model: str = "scripted",
) -> Response:
    """An answer that asks for several tools to be run."""
    return Response(
        message=AssistantMessage(text=text, tool_calls=tuple(calls)),
        stop_reason="tool_use",
        usage=usage or Usage(),
        model=model,
        provider=SCRIPTED_PROVIDER,
    )


def response_events(response: Response) -> list[StreamEvent]:
    """The stream a provider would produce for a finished response."""
    events: list[StreamEvent] = []
    if response.message.text:
        events.append(TextDelta(text=response.message.text))
    events.extend(ToolCallComplete(tool_call=call) for call in response.message.tool_calls)
    events.append(ResponseComplete(response=response))
    return events


class AnsweringModel:
    """The shell shared by in-process models (scripted, replay): every request is kept and
    `answer(index, request)` decides the response; subclasses supply only that."""

    def __init__(self, *, name: str, provider: str) -> None:
        self._name = name
        self._provider = provider
        self.requests: list[Request] = []

    @property
    def name(self) -> str:
        """Model name reported in responses."""
        return self._name

    @property
    def provider(self) -> str:
        """Provider name (`scripted` or `replay` unless a caller says otherwise)."""
        return self._provider

    async def complete(
        self,
        messages: Sequence[Message],
        *,
        system: str = "",
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> Response:
        """Record the request and return its answer."""
        request = make_request(
            messages, system=system, tools=tools, max_tokens=max_tokens, temperature=temperature
        )
        return self._record(request)

    async def stream(
        self,
        messages: Sequence[Message],
        *,
        system: str = "",
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> AsyncGenerator[StreamEvent, None]:
        """Record the request and stream its answer."""
        request = make_request(
            messages, system=system, tools=tools, max_tokens=max_tokens, temperature=temperature
        )
        for event in response_events(self._record(request)):
            yield event

    def _record(self, request: Request) -> Response:
        index = len(self.requests)
        self.requests.append(request)
        return self.answer(index, request)

    def answer(self, index: int, request: Request) -> Response:
        """The response to the `index`-th call (0-based)."""
        raise NotImplementedError


class ScriptedModel(AnsweringModel):
    """Answers each call with the next scripted response; `requests` records every call."""

    def __init__(
        self,
        responses: Iterable[Response | str],
        *,
        name: str = "scripted",
        provider: str = SCRIPTED_PROVIDER,
    ) -> None:
        super().__init__(name=name, provider=provider)
        self._responses = [
            text_response(item, model=name) if isinstance(item, str) else item for item in responses
        ]

    @property
    def remaining(self) -> int:
        """How many scripted responses are still unused."""
        return len(self._responses) - len(self.requests)

    def answer(self, index: int, request: Request) -> Response:
        """The next scripted response, or a clear error when the script ran out."""
        if index >= len(self._responses):
            raise ModelError(
                f"scripted model has only {len(self._responses)} responses but was called "
                f"{index + 1} times; add responses to the script",
                provider=self._provider,
                model=self._name,
            )
        return self._responses[index]
