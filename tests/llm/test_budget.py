"""TokenBudget: warnings once, a distinct exhausted signal, and the shrinking strategies."""

from __future__ import annotations

import pytest

from trae_lsp.config import BudgetConfig
from trae_lsp.llm import AssistantMessage, ToolCall, ToolResultMessage, Usage, UserMessage
from trae_lsp.llm.budget import (
    BudgetAlert,
    BudgetExceeded,
    TokenBudget,
    estimate_tokens,
    get_strategy,
    shrink_context,
)


def test_article_signature_and_warning_fires_once_per_limit() -> None:
    budget = TokenBudget(max_input_tokens=50_000, max_output_tokens=10_000, warn_at_percent=80)
    assert budget.record(Usage(input_tokens=10_000, cache_read_tokens=20_000)) == []
    [alert] = budget.record(Usage(input_tokens=1_000, cache_write_tokens=9_000, output_tokens=10))
    assert alert == BudgetAlert("input", 40_000, 50_000)
    assert alert.message == "80% of the input token budget used (40,000 of 50,000)"
    assert budget.record(Usage(input_tokens=5_000)) == []
    assert [a.limit for a in budget.record(Usage(output_tokens=9_000))] == ["output"]
    assert not budget.exhausted


def test_exhausted_budget_raises_before_the_next_call() -> None:
    budget = TokenBudget(max_input_tokens=1_000)
    budget.record(Usage(input_tokens=900))
    budget.check()
    with pytest.raises(BudgetExceeded, match="1,100 of 1,000 input tokens") as caught:
        budget.check(next_input_tokens=200)
    assert (caught.value.limit, caught.value.maximum) == ("input", 1_000)
    budget.record(Usage(input_tokens=100))
    assert budget.exhausted
    with pytest.raises(BudgetExceeded, match=r"budget\.max_input_tokens"):
        budget.check()


def test_output_limit_and_unlimited_budgets() -> None:
    budget = TokenBudget(max_output_tokens=10)
    budget.record(Usage(output_tokens=10, input_tokens=10**9))
    with pytest.raises(BudgetExceeded, match="output"):
        budget.check()
    unlimited = TokenBudget()
    unlimited.record(Usage(input_tokens=10**9))
    unlimited.check(next_input_tokens=10**9)
    assert unlimited.fraction_used() == 0.0


def test_from_config_and_invalid_threshold() -> None:
    budget = TokenBudget.from_config(BudgetConfig(max_input_tokens=5, warn_at_percent=50))
    assert (budget.max_input_tokens, budget.max_output_tokens, budget.warn_at_percent) == (
        5,
        None,
        50,
    )
    with pytest.raises(ValueError, match="warn_at_percent"):
        TokenBudget(warn_at_percent=0)


def conversation(results: int, size: int) -> list:  # type: ignore[type-arg]
    messages: list = [UserMessage(text="task " * size)]  # type: ignore[type-arg]
    for i in range(results):
        call = ToolCall(id=f"c{i}", name="read_file", arguments={"path": f"f{i}.py"})
        messages.append(AssistantMessage(tool_calls=(call,)))
        messages.append(ToolResultMessage(tool_call_id=f"c{i}", content=f"{i}" * size))
    return messages


def test_conservative_shrinks_all_but_the_newest_results() -> None:
    messages = conversation(results=5, size=5_000)
    shrunk = shrink_context(messages, "conservative")
    results = [m for m in shrunk if isinstance(m, ToolResultMessage)]
    assert [len(r.content) <= 600 for r in results] == [True, True, True, False, False]
    assert "characters omitted" in results[0].content
    assert results[0].content.startswith("0" * 250) and results[0].content.endswith("0" * 250)
    assert shrunk[0] == messages[0]
    assert shrink_context(shrunk, "conservative") == shrunk
    saved_tokens = 3 * (5_000 - 600) / 4
    assert estimate_tokens(messages) - estimate_tokens(shrunk) == pytest.approx(saved_tokens, abs=3)


def test_normal_only_touches_large_old_outputs() -> None:
    small = conversation(results=12, size=1_000)
    assert shrink_context(small, "normal") == small
    large = conversation(results=12, size=20_000)
    shrunk = [m for m in shrink_context(large, "normal") if isinstance(m, ToolResultMessage)]
    assert [len(r.content) < 20_000 for r in shrunk] == [True] * 4 + [False] * 8


def test_unknown_strategy_lists_known_ones() -> None:
    with pytest.raises(ValueError, match="known: normal, conservative"):
        get_strategy("frugal")
