"""The one token-counting rule of the context engine."""

from __future__ import annotations

CHARS_PER_TOKEN = 4
"""Tokens are ceil(characters / 4): tokenizer-free, deterministic, the benchmark's rule."""


def count_tokens(text: str) -> int:
    """Tokens of `text` under the engine's rule."""
    return -(-len(text) // CHARS_PER_TOKEN)


def char_budget(tokens: int) -> int:
    """Most characters that stay within `tokens`."""
    return max(tokens, 0) * CHARS_PER_TOKEN
