"""`MeteredModel`: every model call of a run, reported as events, counted, priced and budgeted.

The agent never calls its model directly: this wrapper shrinks old tool outputs
(the budget strategy), refuses a call the token budget cannot afford, and after
each call emits `ModelCalled` (the messages new since the previous call, the
answer, usage and latency), `TokensUsed` (running totals and cost) and
`BudgetWarning`s. The planner and the loop share one, so the trajectory holds
every interaction in the order a replay model needs them.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Mapping, Sequence

from trae_lsp.config import ModelPrice
from trae_lsp.events import (
    BudgetWarning,
    EventBus,
    ModelCalled,
    TokensUsed,
)
from trae_lsp.llm.budget import BudgetStrategy, TokenBudget, estimate_tokens, shrink_context
from trae_lsp.llm.messages import (
    Message,
    Response,
    ResponseComplete,
    StreamEvent,
    ToolSpec,
    Usage,
)
from trae_lsp.llm.model import DEFAULT_MAX_TOKENS, Model
from trae_lsp.llm.pricing import estimated_cost_usd
from trae_lsp.llm.replay import to_conversation_message, to_recorded_call


class MeteredModel:
    """A `Model` that reports, prices and budgets each call of the model it wraps."""

    def __init__(
        self,
        model: Model,
        bus: EventBus,
        *,
        budget: TokenBudget | None = None,
        strategy: str | BudgetStrategy = "normal",
        pricing: Mapping[str, ModelPrice] | None = None,
    ) -> None:
        self.model = model
        self.budget = budget
        self.strategy = strategy
        self.usage = Usage()
        """Tokens of every call so far."""
        self.cost_usd = 0.0
        """Estimated cost of every call so far (0.0 for unpriced models)."""
        self.calls = 0
        self._bus = bus
        self._pricing = pricing
        self._previous: tuple[Message, ...] = ()

    @property
    def name(self) -> str:
        """The wrapped model's name."""
        return self.model.name

    @property
    def provider(self) -> str:
        """The wrapped model's provider."""
        return self.model.provider

    async def complete(
        self,
        messages: Sequence[Message],
        *,
        system: str = "",
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> Response:
        """Check the budget, call the model with old outputs shrunk, then report the call."""
        sent = self._prepare(messages, system, tools)
        started = time.monotonic()
        response = await self.model.complete(
            sent, system=system, tools=tools, max_tokens=max_tokens, temperature=temperature
        )
        self._account(messages, tools, response, time.monotonic() - started)
        return response

    async def stream(
        self,
        messages: Sequence[Message],
        *,
        system: str = "",
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> AsyncGenerator[StreamEvent, None]:
        """Like `complete`, passing the wrapped model's stream events through."""
        sent = self._prepare(messages, system, tools)
        started = time.monotonic()
        events = self.model.stream(
            sent, system=system, tools=tools, max_tokens=max_tokens, temperature=temperature
        )
        try:
            async for event in events:
                if isinstance(event, ResponseComplete):
                    self._account(messages, tools, event.response, time.monotonic() - started)
                yield event
        finally:
            await events.aclose()

    def _prepare(
        self, messages: Sequence[Message], system: str, tools: Sequence[ToolSpec]
    ) -> list[Message]:
        sent = shrink_context(messages, self.strategy)
        if self.budget is not None:
            self.budget.check(estimate_tokens(sent, system=system, tools=tools))
        return sent

    def _account(
        self,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        response: Response,
        latency: float,
    ) -> None:
        usage = response.usage
        self.calls += 1
        self.usage = self.usage + usage
        self.cost_usd += estimated_cost_usd(usage, self.name, self._pricing)
        self._bus.emit(
            ModelCalled(
                model=response.model or self.name,
                message_count=len(messages),
                new_messages=tuple(to_conversation_message(m) for m in self._delta(messages)),
                tools=tuple(tool.name for tool in tools),
                response_text=response.message.text,
                tool_calls=tuple(to_recorded_call(call) for call in response.message.tool_calls),
                stop_reason=response.stop_reason,
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                cache_read_tokens=usage.cache_read_tokens,
                cache_write_tokens=usage.cache_write_tokens,
                latency_seconds=latency,
            )
        )
        self._bus.emit(self.tokens_event())
        alerts = self.budget.record(usage) if self.budget is not None else []
        for alert in alerts:
            self._bus.emit(BudgetWarning(message=alert.message, percent_used=alert.percent_used))

    def tokens_event(self) -> TokensUsed:
        """The running totals as an event."""
        return TokensUsed(
            input_tokens=self.usage.input_tokens,
            output_tokens=self.usage.output_tokens,
            cache_read_tokens=self.usage.cache_read_tokens,
            cache_write_tokens=self.usage.cache_write_tokens,
            cost_usd=self.cost_usd,
        )

    def _delta(self, messages: Sequence[Message]) -> tuple[Message, ...]:
        """The messages added since the previous call (all of them for a new conversation)."""
        current = tuple(messages)
        previous, self._previous = self._previous, current
        if previous and current[: len(previous)] == previous:
            return current[len(previous) :]
        return current
