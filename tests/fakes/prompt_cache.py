"""How the Anthropic fake bills input: a deterministic model of prompt caching.

Tokens are counted with one fixed rule, `ceil(chars / 4)` of each block's compact
JSON. The prompt is the sequence tools → system → message blocks; every block that
carries `cache_control` ends a cacheable prefix. A prefix seen before is a cache
read (the longest one wins); the part up to the last breakpoint that was not read
is a cache write; the rest is plain input. Prefixes shorter than the minimum
cacheable length are never cached, as with the real API.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

MIN_CACHEABLE_TOKENS = 1024
"""Shortest prefix the API caches (Sonnet/Opus; Haiku needs more)."""


class Billing(NamedTuple):
    """Input tokens of one request split the way the API bills them."""

    input_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int


def count_tokens(value: Any) -> int:
    """The fake's token count of any JSON value: a quarter of its compact JSON, rounded up."""
    return math.ceil(len(_canonical(value)) / 4)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def prompt_blocks(body: dict[str, Any]) -> Iterator[tuple[Any, bool]]:
    """Every block of a Messages request in prompt order, without cache_control, and its mark."""
    for tool in body.get("tools") or []:
        yield _strip(tool), "cache_control" in tool
    system = body.get("system") or []
    for block in [{"type": "text", "text": system}] if isinstance(system, str) else system:
        yield _strip(block), "cache_control" in block
    for turn in body.get("messages", []):
        content = turn["content"]
        blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
        for block in blocks:
            yield {"role": turn["role"], **_strip(block)}, "cache_control" in block


def _strip(block: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in block.items() if k != "cache_control"}


@dataclass
class PromptCache:
    """The cached prefixes of one fake server, keyed by model and content hash."""

    min_tokens: int = MIN_CACHEABLE_TOKENS
    prefixes: set[str] = field(default_factory=set)

    def bill(self, body: dict[str, Any]) -> Billing:
        """Split a request's input into plain, cache-read and cache-write tokens; remember it."""
        digest = hashlib.sha256(str(body.get("model")).encode())
        total = 0
        breakpoints: list[tuple[int, str]] = []
        for block, marked in prompt_blocks(body):
            digest.update(_canonical(block).encode())
            total += count_tokens(block)
            if marked and total >= self.min_tokens:
                breakpoints.append((total, digest.copy().hexdigest()))
        read = max((tokens for tokens, key in breakpoints if key in self.prefixes), default=0)
        cached_end = max((tokens for tokens, _ in breakpoints), default=0)
        self.prefixes.update(key for _, key in breakpoints)
        write = max(cached_end - read, 0)
        return Billing(total - read - write, read, write)
