"""The price table, config overrides and cost arithmetic."""

from __future__ import annotations

import pytest

from trae_lsp.config import ModelPrice
from trae_lsp.llm import Usage
from trae_lsp.llm.pricing import (
    PRICES,
    canonical_model_name,
    cost_of,
    estimated_cost_usd,
    price_for,
)

MILLION = Usage(
    input_tokens=1_000_000,
    output_tokens=1_000_000,
    cache_read_tokens=1_000_000,
    cache_write_tokens=1_000_000,
)


def test_claude_prices_cache_writes_and_reads() -> None:
    cost = cost_of(MILLION, PRICES["claude-sonnet-4-6"])
    assert cost == pytest.approx((3.0, 0.3, 3.75, 15.0))
    assert cost.prompt == pytest.approx(7.05)
    assert cost.total == pytest.approx(22.05)


def test_openai_cache_writes_cost_the_input_price() -> None:
    cost = cost_of(MILLION, PRICES["gpt-5"])
    assert cost == pytest.approx((1.25, 0.125, 1.25, 10.0))


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-3-7-sonnet-latest", "claude-3-7-sonnet"),
        ("openai/gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-5.2", "gpt-5.2"),
    ],
)
def test_dated_and_routed_names_find_their_price(name: str, canonical: str) -> None:
    assert canonical_model_name(name) == canonical
    assert price_for(name) == PRICES[canonical]


def test_config_overrides_win_and_unknown_models_cost_nothing() -> None:
    overrides = {
        "llama3.1:8b": ModelPrice(input=0.1, output=0.2),
        "gpt-5": ModelPrice(input=9, output=9),
    }
    usage = Usage(input_tokens=2_000_000, output_tokens=1_000_000)
    assert estimated_cost_usd(usage, "llama3.1:8b", overrides) == pytest.approx(0.4)
    assert estimated_cost_usd(usage, "gpt-5", overrides) == pytest.approx(27.0)
    assert estimated_cost_usd(usage, "mistral-local") == 0.0
    assert price_for("mistral-local") is None
