"""Token budgets for a run, and the strategies that keep a conversation inside one.

`TokenBudget` counts what the model calls use, warns once per limit when the
warning threshold is crossed, and raises `BudgetExceeded` *before* a call that
would go over, so the loop stops between steps (status `budget_exceeded`) and
never in the middle of writing a file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from trae_lsp.config import BudgetConfig
from trae_lsp.errors import TraeError
from trae_lsp.llm.messages import Message, ToolResultMessage, ToolSpec, Usage

CHARS_PER_TOKEN = 4
"""Rough size of a token in characters, for estimates made before a call."""

Limit = Literal["input", "output"]
"""Which of the budget's two limits."""


class BudgetExceeded(TraeError):
    """The run's token budget is spent; the loop ends the run with status `budget_exceeded`."""

    def __init__(self, limit: Limit, used: int, maximum: int) -> None:
        super().__init__(
            f"token budget exhausted: {used:,} of {maximum:,} {limit} tokens used; "
            f"raise budget.max_{limit}_tokens or use budget_strategy='conservative'"
        )
        self.limit = limit
        self.used = used
        self.maximum = maximum


@dataclass(frozen=True)
class BudgetAlert:
    """A limit crossed the warning threshold (reported once per limit)."""

    limit: Limit
    used: int
    maximum: int

    @property
    def percent_used(self) -> float:
        """How much of the limit is spent, in percent."""
        return 100 * self.used / self.maximum

    @property
    def message(self) -> str:
        """One line for the user."""
        return (
            f"{self.percent_used:.0f}% of the {self.limit} token budget used "
            f"({self.used:,} of {self.maximum:,})"
        )


class TokenBudget:
    """Limits on the tokens one run may use: `TokenBudget(50_000, 10_000, warn_at_percent=80)`.

    Input counts every prompt token sent (cached or not), output every token written.
    """

    def __init__(
        self,
        max_input_tokens: int | None = None,
        max_output_tokens: int | None = None,
        warn_at_percent: float = 80,
    ) -> None:
        if not 0 < warn_at_percent <= 100:
            raise ValueError(f"warn_at_percent must be in (0, 100], got {warn_at_percent}")
        self.max_input_tokens = max_input_tokens
        self.max_output_tokens = max_output_tokens
        self.warn_at_percent = warn_at_percent
        self.used = Usage()
        self._warned: set[Limit] = set()

    @classmethod
    def from_config(cls, config: BudgetConfig) -> TokenBudget:
        """The budget the `budget` config section describes."""
        return cls(config.max_input_tokens, config.max_output_tokens, config.warn_at_percent)

    def _limits(self) -> list[tuple[Limit, int, int | None]]:
        return [
            ("input", self.used.prompt_tokens, self.max_input_tokens),
            ("output", self.used.output_tokens, self.max_output_tokens),
        ]

    def record(self, usage: Usage) -> list[BudgetAlert]:
        """Add a call's usage; return the warnings that this call triggered (each fires once)."""
        self.used = self.used + usage
        warnings = []
        for limit, used, maximum in self._limits():
            if maximum is None or limit in self._warned:
                continue
            if used >= maximum * self.warn_at_percent / 100:
                self._warned.add(limit)
                warnings.append(BudgetAlert(limit, used, maximum))
        return warnings

    def check(self, next_input_tokens: int = 0) -> None:
        """Raise `BudgetExceeded` if a limit is spent or the next prompt would overrun input."""
        for limit, used, maximum in self._limits():
            upcoming = next_input_tokens if limit == "input" else 0
            if maximum is not None and (used >= maximum or used + upcoming > maximum):
                raise BudgetExceeded(limit, used + upcoming, maximum)

    @property
    def exhausted(self) -> bool:
        """Whether a limit is already fully spent."""
        return any(m is not None and used >= m for _, used, m in self._limits())

    def fraction_used(self) -> float:
        """The larger share spent of the two limits (0.0 without limits)."""
        shares = [used / m for _, used, m in self._limits() if m]
        return max(shares, default=0.0)


def estimate_tokens(
    messages: Iterable[Message], *, system: str = "", tools: Sequence[ToolSpec] = ()
) -> int:
    """A pre-call estimate of the prompt size (characters / 4), for `TokenBudget.check`."""
    chars = len(system) + sum(len(json.dumps(t.model_dump())) for t in tools)
    for message in messages:
        chars += len(message.model_dump_json())
    return math.ceil(chars / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class BudgetStrategy:
    """How hard to shrink old tool outputs before sending a conversation."""

    keep_recent_tool_results: int
    """The newest tool results stay whole: the model is working with them."""

    max_old_tool_output_chars: int
    """Older tool results longer than this keep only their head and tail."""


BUDGET_STRATEGIES: dict[str, BudgetStrategy] = {
    "normal": BudgetStrategy(keep_recent_tool_results=8, max_old_tool_output_chars=8_000),
    "conservative": BudgetStrategy(keep_recent_tool_results=2, max_old_tool_output_chars=600),
}
"""The strategies by name (`budget.strategy`, the article's `budget_strategy=`)."""


def get_strategy(name: str) -> BudgetStrategy:
    """A strategy by name; unknown names list the known ones."""
    if name not in BUDGET_STRATEGIES:
        known = ", ".join(BUDGET_STRATEGIES)
        raise ValueError(f"unknown budget strategy '{name}'; known: {known}")
    return BUDGET_STRATEGIES[name]


def elide(text: str, max_chars: int) -> str:
    """Keep the head and tail of a long text, saying how much was left out.

    The result is at most `max_chars` long, so eliding twice changes nothing.
    """
    if len(text) <= max_chars:
        return text
    widest = _omission_marker(len(text))
    half = max(max_chars - len(widest), 0) // 2
    return text[:half] + _omission_marker(len(text) - 2 * half) + text[len(text) - half :]


def _omission_marker(omitted: int) -> str:
    return f"\n[… {omitted:,} characters omitted to save tokens …]\n"


def shrink_context(messages: Sequence[Message], strategy: str | BudgetStrategy) -> list[Message]:
    """The conversation with old tool outputs shortened; the newest stay whole.

    Deterministic, so a result shrunk once looks the same on every later step and
    the prompt-cache prefix stays stable from there on. The first user message
    (the task) is never touched.
    """
    chosen = get_strategy(strategy) if isinstance(strategy, str) else strategy
    result_positions = [i for i, m in enumerate(messages) if isinstance(m, ToolResultMessage)]
    recent = set(result_positions[len(result_positions) - chosen.keep_recent_tool_results :])
    shrunk: list[Message] = []
    for index, message in enumerate(messages):
        if isinstance(message, ToolResultMessage) and index not in recent:
            content = elide(message.content, chosen.max_old_tool_output_chars)
            message = message.model_copy(update={"content": content})
        shrunk.append(message)
    return shrunk
