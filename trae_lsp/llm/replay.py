"""A `Model` that answers from a recorded run, and says exactly where a new run departs from it.

The recording is a list of `RecordedCall`s (what was sent, summarised, and what
came back). `calls_from_trajectory` adapts a trajectory file to that list; any
other source only needs its own small adapter.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, get_args

from pydantic import BaseModel, ConfigDict

from trae_lsp.events import ConversationMessage, RecordedToolCall
from trae_lsp.llm.errors import ReplayDivergenceError
from trae_lsp.llm.messages import (
    AssistantMessage,
    Message,
    Response,
    StopReason,
    ToolCall,
    ToolResultMessage,
    Usage,
)
from trae_lsp.llm.model import Request
from trae_lsp.llm.scripted import AnsweringModel
from trae_lsp.trajectory.replay import recorded_interactions
from trae_lsp.trajectory.schema import LLMInteraction, Trajectory

REPLAY_PROVIDER = "replay"
"""Provider name of replayed responses."""


class RecordedCall(BaseModel):
    """One recorded model call: a summary of the request and the full response."""

    model_config = ConfigDict(frozen=True)

    message_count: int
    new_messages: tuple[ConversationMessage, ...] = ()
    tools: tuple[str, ...] = ()
    response: Response


def to_recorded_call(call: ToolCall) -> RecordedToolCall:
    """A tool call as the record keeps it."""
    return RecordedToolCall(id=call.id, name=call.name, arguments=call.arguments)


def to_conversation_message(message: Message) -> ConversationMessage:
    """How a message is summarised in a recording (the recorder and replay must agree)."""
    if isinstance(message, AssistantMessage):
        calls = tuple(to_recorded_call(call) for call in message.tool_calls)
        return ConversationMessage(role="assistant", content=message.text, tool_calls=calls)
    if isinstance(message, ToolResultMessage):
        return ConversationMessage(
            role="tool", content=message.content, tool_call_id=message.tool_call_id
        )
    return ConversationMessage(role="user", content=message.text)


def _stop_reason(value: str) -> StopReason:
    known: tuple[StopReason, ...] = get_args(StopReason)
    return next((reason for reason in known if reason == value), "other")


def call_from_interaction(
    interaction: LLMInteraction, provider: str = REPLAY_PROVIDER
) -> RecordedCall:
    """Adapt one trajectory `LLMInteraction` to a `RecordedCall`."""
    recorded = interaction.response
    usage = interaction.usage
    response = Response(
        message=AssistantMessage(
            text=recorded.text,
            tool_calls=tuple(
                ToolCall(id=c.id, name=c.name, arguments=c.arguments) for c in recorded.tool_calls
            ),
        ),
        stop_reason=_stop_reason(recorded.stop_reason),
        usage=Usage(
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_read_tokens=usage.cache_read_tokens,
            cache_write_tokens=usage.cache_write_tokens,
        ),
        model=interaction.model or REPLAY_PROVIDER,
        provider=provider,
    )
    return RecordedCall(
        message_count=interaction.request.message_count,
        new_messages=tuple(interaction.request.new_messages),
        tools=tuple(interaction.request.tools),
        response=response,
    )


def calls_from_trajectory(source: Trajectory | str | Path) -> list[RecordedCall]:
    """The model calls of a trajectory (object or file), in the order they happened."""
    return [call_from_interaction(i) for i in recorded_interactions(source)]


def _describe(messages: Sequence[ConversationMessage]) -> str:
    parts = []
    for m in messages:
        if m.role == "tool":
            parts.append(f"tool result for {m.tool_call_id}")
        elif m.tool_calls:
            parts.append("assistant calling " + ", ".join(c.name for c in m.tool_calls))
        else:
            parts.append(f"{m.role} {m.content[:40]!r}")
    return "[" + "; ".join(parts) + "]" if parts else "nothing new"


def _shape(message: ConversationMessage) -> tuple[object, ...]:
    """What must match for a replay to be the same conversation (content may be redacted)."""
    calls = tuple((c.id, c.name) for c in message.tool_calls)
    return (message.role, message.tool_call_id, calls)


class ReplayModel(AnsweringModel):
    """Answers the n-th call with the n-th recorded response; raises on divergence.

    The conversation's shape (message count, roles, tool-call ids and names) and
    the tool list must match the recording; with `check_content`, the text of new
    messages too (off by default: recordings may be redacted or truncated).
    """

    def __init__(
        self,
        calls: Sequence[RecordedCall],
        *,
        name: str = "replay",
        provider: str = REPLAY_PROVIDER,
        check_content: bool = False,
    ) -> None:
        super().__init__(name=name, provider=provider)
        self.calls = list(calls)
        self.check_content = check_content

    @classmethod
    def from_trajectory(
        cls, source: Trajectory | str | Path, *, check_content: bool = False
    ) -> ReplayModel:
        """A replay of a trajectory file (or loaded trajectory)."""
        calls = calls_from_trajectory(source)
        name = calls[0].response.model if calls else "replay"
        return cls(calls, name=name, check_content=check_content)

    def answer(self, index: int, request: Request) -> Response:
        """The recorded response for this call, if the request matches the recording."""
        sent = [to_conversation_message(m) for m in request.messages[self._offset(index) :]]
        if index >= len(self.calls):
            self._diverged(
                index,
                f"the recording has only {len(self.calls)} model calls, but the run made "
                f"another after sending {_describe(sent)}",
            )
        problem = self._mismatch(self.calls[index], request, sent)
        if problem:
            self._diverged(index, problem)
        return self.calls[index].response

    def _offset(self, index: int) -> int:
        """Where the new messages of call `index` start, as the recording says."""
        if index < len(self.calls):
            call = self.calls[index]
            return max(call.message_count - len(call.new_messages), 0)
        return self.calls[-1].message_count if self.calls else 0

    def _mismatch(
        self, call: RecordedCall, request: Request, sent: list[ConversationMessage]
    ) -> str | None:
        expected = list(call.new_messages)
        same_shape = [_shape(m) for m in sent] == [_shape(m) for m in expected]
        if len(request.messages) != call.message_count or not same_shape:
            return (
                f"expected {call.message_count} messages, the new ones being "
                f"{_describe(expected)}; received {len(request.messages)}, the new ones being "
                f"{_describe(sent)}"
            )
        for position, (got, want) in enumerate(zip(sent, expected, strict=True), start=1):
            if self.check_content and got.content != want.content:
                return (
                    f"new message {position} ({got.role}) differs: expected "
                    f"{want.content[:60]!r}, received {got.content[:60]!r}"
                )
        names = tuple(t.name for t in request.tools)
        if call.tools and names != call.tools:
            return f"expected tools {list(call.tools)}, received {list(names)}"
        return None

    def _diverged(self, index: int, detail: str) -> NoReturn:
        raise ReplayDivergenceError(
            f"replay diverged at model call {index + 1}: {detail}. The run no longer follows "
            "the recording; replay it with the original task, tools and settings, or record anew",
            provider=self._provider,
            model=self._name,
        )
