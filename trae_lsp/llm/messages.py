"""Provider-neutral conversation types: what the agent sends to a model and gets back.

Providers translate these to and from their wire formats; nothing above `llm/`
ever sees an SDK type.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    """Messages are values: immutable, so a recorded request cannot change afterwards."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Image(_Frozen):
    """An image attached to a user message, base64-encoded."""

    media_type: Literal["image/png", "image/jpeg", "image/gif", "image/webp"]
    data: str


class UserMessage(_Frozen):
    """What the user (or the agent on the user's behalf) says."""

    role: Literal["user"] = "user"
    text: str
    images: tuple[Image, ...] = ()


class ToolCall(_Frozen):
    """A tool the model wants run, with its parsed JSON arguments."""

    id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class AssistantMessage(_Frozen):
    """What the model said: text, tool calls, or both."""

    role: Literal["assistant"] = "assistant"
    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()


class ToolResultMessage(_Frozen):
    """The outcome of one tool call, sent back to the model."""

    role: Literal["tool"] = "tool"
    tool_call_id: str
    content: str
    is_error: bool = False


Message = Annotated[UserMessage | AssistantMessage | ToolResultMessage, Field(discriminator="role")]
"""Any message of a conversation; the system prompt is passed separately."""


class ToolSpec(_Frozen):
    """A tool as the model sees it: name, description and JSON schema of its input."""

    name: str
    description: str
    input_schema: dict[str, Any]


class Usage(_Frozen):
    """Tokens billed for one or more model calls.

    `input_tokens` counts only input billed at the full price: prompt tokens that
    were neither read from nor written to the provider's prompt cache (Anthropic's
    meaning; OpenAI's `prompt_tokens` includes cached tokens and is split here).
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        """Sum two usages field by field, so a run's usage is `sum(steps, Usage())`."""
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
        )

    def __radd__(self, other: int) -> Usage:
        """Allow `sum(usages)` with its integer start value 0."""
        if other != 0:
            return NotImplemented
        return self

    @property
    def prompt_tokens(self) -> int:
        """Every input token the model read, cached or not (what a context budget counts)."""
        return self.input_tokens + self.cache_read_tokens + self.cache_write_tokens

    @property
    def total_tokens(self) -> int:
        """Prompt plus output tokens."""
        return self.prompt_tokens + self.output_tokens

    @property
    def cache_hit_rate(self) -> float:
        """Share of prompt tokens served from the provider's cache (0.0 when nothing was sent)."""
        return self.cache_read_tokens / self.prompt_tokens if self.prompt_tokens else 0.0


StopReason = Literal["end_turn", "tool_use", "max_tokens", "stop_sequence", "refusal", "other"]
"""Why the model stopped: finished, wants tools run, hit `max_tokens`, or something else."""


class Response(_Frozen):
    """One model answer with its stop reason and what it cost in tokens."""

    message: AssistantMessage
    stop_reason: StopReason
    usage: Usage = Field(default_factory=Usage)
    model: str
    provider: str


class TextDelta(_Frozen):
    """A piece of assistant text, streamed as it arrives."""

    type: Literal["text_delta"] = "text_delta"
    text: str


class ToolCallComplete(_Frozen):
    """A tool call whose arguments have fully arrived."""

    type: Literal["tool_call"] = "tool_call"
    tool_call: ToolCall


class ResponseComplete(_Frozen):
    """The last event of every stream: the whole response, as `complete` returns it."""

    type: Literal["response"] = "response"
    response: Response


StreamEvent = Annotated[
    TextDelta | ToolCallComplete | ResponseComplete, Field(discriminator="type")
]
"""What `Model.stream` yields; the final event is always `ResponseComplete`."""
