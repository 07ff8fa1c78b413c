"""What model calls cost: one price table, overridable from the config's `pricing` section."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from trae_lsp.config import ModelPrice
from trae_lsp.llm.messages import Usage

PRICES_CHECKED = "2026-11-28"
"""When the table was last compared with the providers' pricing pages."""

PRICE_SOURCES = (
    "https://docs.anthropic.com/en/docs/about-claude/pricing",
    "https://platform.openai.com/docs/pricing",
)
"""Where the prices come from (USD per million tokens, standard tier, no batch discount)."""


def _claude(input_price: float, output_price: float) -> ModelPrice:
    """Anthropic bills 5-minute cache writes at 1.25x and cache reads at 0.1x of input."""
    return ModelPrice(
        input=input_price,
        output=output_price,
        cache_write=input_price * 1.25,
        cache_read=input_price * 0.1,
    )


def _gpt(input_price: float, cached: float, output_price: float) -> ModelPrice:
    """OpenAI caches automatically: writes cost the input price, reads the cached price."""
    return ModelPrice(input=input_price, output=output_price, cache_read=cached)


PRICES: dict[str, ModelPrice] = {
    "claude-opus-4-6": _claude(5.0, 25.0),
    "claude-opus-4-5": _claude(5.0, 25.0),
    "claude-opus-4-1": _claude(15.0, 75.0),
    "claude-opus-4": _claude(15.0, 75.0),
    "claude-sonnet-4-6": _claude(3.0, 15.0),
    "claude-sonnet-4-5": _claude(3.0, 15.0),
    "claude-sonnet-4": _claude(3.0, 15.0),
    "claude-3-7-sonnet": _claude(3.0, 15.0),
    "claude-haiku-4-5": _claude(1.0, 5.0),
    "claude-3-5-haiku": _claude(0.8, 4.0),
    "gpt-5.2": _gpt(1.75, 0.175, 14.0),
    "gpt-5.1": _gpt(1.25, 0.125, 10.0),
    "gpt-5": _gpt(1.25, 0.125, 10.0),
    "gpt-5-mini": _gpt(0.25, 0.025, 2.0),
    "gpt-5-nano": _gpt(0.05, 0.005, 0.4),
    "gpt-4.1": _gpt(2.0, 0.5, 8.0),
    "gpt-4.1-mini": _gpt(0.4, 0.1, 1.6),
    "gpt-4o": _gpt(2.5, 1.25, 10.0),
    "gpt-4o-mini": _gpt(0.15, 0.075, 0.6),
    "o3": _gpt(2.0, 0.5, 8.0),
    "o3-mini": _gpt(1.1, 0.55, 4.4),
    "o4-mini": _gpt(1.1, 0.275, 4.4),
}
"""USD per million tokens by model name, as checked on `PRICES_CHECKED`."""

_VERSION_SUFFIX = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2}|latest)$")


class Cost(NamedTuple):
    """A usage priced part by part, in USD."""

    input: float
    cache_read: float
    cache_write: float
    output: float

    @property
    def prompt(self) -> float:
        """Everything paid for input: plain, cache reads and cache writes."""
        return self.input + self.cache_read + self.cache_write

    @property
    def total(self) -> float:
        """Input plus output."""
        return self.prompt + self.output


def canonical_model_name(model: str) -> str:
    """`anthropic/claude-sonnet-4-5-20250929` → `claude-sonnet-4-5` (router prefix, date off)."""
    return _VERSION_SUFFIX.sub("", model.rsplit("/", 1)[-1])


def price_for(model: str, overrides: Mapping[str, ModelPrice] | None = None) -> ModelPrice | None:
    """The price of a model: the config's `pricing` first, then the table; None if unknown."""
    for table in (overrides or {}, PRICES):
        for name in (model, canonical_model_name(model)):
            if name in table:
                return table[name]
    return None


def cost_of(usage: Usage, price: ModelPrice) -> Cost:
    """Price a usage part by part."""
    per_token = 1 / 1_000_000
    write = price.input if price.cache_write is None else price.cache_write
    read = price.input if price.cache_read is None else price.cache_read
    return Cost(
        input=usage.input_tokens * price.input * per_token,
        cache_read=usage.cache_read_tokens * read * per_token,
        cache_write=usage.cache_write_tokens * write * per_token,
        output=usage.output_tokens * price.output * per_token,
    )


def estimated_cost_usd(
    usage: Usage, model: str, overrides: Mapping[str, ModelPrice] | None = None
) -> float:
    """What a usage costs on a model; 0.0 for unpriced models (local servers), see `pricing`."""
    price = price_for(model, overrides)
    return 0.0 if price is None else cost_of(usage, price).total
