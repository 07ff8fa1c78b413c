"""The `Model` protocol every provider fits, and the request it is asked to answer."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from trae_lsp.llm.messages import Message, Response, ResponseComplete, StreamEvent, ToolSpec

DEFAULT_MAX_TOKENS = 8192
"""Output tokens allowed per model call unless the caller says otherwise."""


class Request(BaseModel):
    """Everything one model call sends; scripted and replayed models record these."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    messages: tuple[Message, ...]
    system: str = ""
    tools: tuple[ToolSpec, ...] = ()
    max_tokens: int = DEFAULT_MAX_TOKENS
    temperature: float | None = None


@dataclass(frozen=True)
class Endpoint:
    """How to reach one provider, built from its config section (the key never shows in repr)."""

    provider: str
    api_key: str = field(repr=False)
    base_url: str | None = None
    max_retries: int = 4
    timeout_seconds: float = 600
    prompt_caching: bool = True


@runtime_checkable
class Model(Protocol):
    """A chat model with tools. Implementations do not inherit from this; they fit it.

    Cancelling the task awaiting `complete`, or closing the `stream` generator
    (`aclose()`, leaving `contextlib.aclosing`), closes the HTTP stream.
    """

    @property
    def name(self) -> str:
        """Model name as the provider knows it, e.g. `claude-sonnet-4-5`."""
        ...

    @property
    def provider(self) -> str:
        """Provider name from the config, e.g. `anthropic` or `ollama`."""
        ...

    async def complete(
        self,
        messages: Sequence[Message],
        *,
        system: str = "",
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> Response:
        """Answer the conversation in one piece."""
        ...

    def stream(
        self,
        messages: Sequence[Message],
        *,
        system: str = "",
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> AsyncGenerator[StreamEvent, None]:
        """Answer as events: text deltas and tool calls as they arrive, then the response."""
        ...


def make_request(
    messages: Sequence[Message],
    *,
    system: str = "",
    tools: Sequence[ToolSpec] = (),
    max_tokens: int = DEFAULT_MAX_TOKENS,
    temperature: float | None = None,
) -> Request:
    """Bundle the arguments of `complete`/`stream` into one validated `Request`."""
    return Request(
        messages=tuple(messages),
        system=system,
        tools=tuple(tools),
        max_tokens=max_tokens,
        temperature=temperature,
    )


async def final_response(events: AsyncGenerator[StreamEvent, None]) -> Response:
    """Drain a stream and return its final response (closing the stream either way)."""
    try:
        async for event in events:
            if isinstance(event, ResponseComplete):
                return event.response
    finally:
        await events.aclose()
    raise RuntimeError("model stream ended without a final response")
