"""Words of code and of task text, for lexical (BM25) matching of symbols to a task."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

_STOPWORDS_TEXT = """a an and are as at be by can could do does for from had has have if in into
    is it its
    of on or so should that the their then there these this to was we were when which will
    with would not no i you your our us use used using self cls none true false"""


MIN_WORD_LENGTH = 2
"""Shorter query words are ignored."""

WORD_CACHE_SIZE = 1 << 16
"""Distinct identifiers whose word split is memoised (identifiers repeat heavily in code)."""

BM25_K1 = 1.2
"""BM25 term-frequency saturation."""

BM25_B = 0.75
"""BM25 length normalisation."""


def _stem(word: str) -> str:
    """A light plural/verb-suffix stemmer so `redirects` meets `redirect`."""
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


STOPWORDS = frozenset(_stem(w) for w in _STOPWORDS_TEXT.split())
"""Words (stemmed) too common in task text and code to say anything about relevance."""


@functools.lru_cache(maxsize=WORD_CACHE_SIZE)
def _expand(raw: str) -> tuple[str, ...]:
    """An identifier's words: itself, then its `_`/camelCase parts, lower-cased and stemmed."""
    parts = [p for p in _CAMEL.sub("_", raw).split("_") if p]
    whole = _stem(raw.lower())
    if len(parts) > 1:
        return (whole, *(_stem(p.lower()) for p in parts))
    return (whole,)


def words(text: str) -> list[str]:
    """Lower-cased, stemmed identifier words of `text`, whole and split at `_`/camelCase."""
    return [w for raw in _WORD.findall(text) for w in _expand(raw)]


def term_bag(text: str) -> dict[str, int]:
    """Word counts of a piece of code, for the index."""
    bag: dict[str, int] = {}
    get = bag.get
    for raw, count in Counter(_WORD.findall(text)).items():
        for w in _expand(raw):
            bag[w] = get(w, 0) + count
    return bag


def identifier_counts(text: str) -> dict[str, int]:
    """How often each identifier-shaped word occurs (the file's out-edges in the graph)."""
    return dict(Counter(_WORD.findall(text)))


def query_terms(text: str) -> list[str]:
    """The distinct informative words of a task description."""
    seen: dict[str, None] = {}
    for w in words(text):
        if len(w) >= MIN_WORD_LENGTH and w not in STOPWORDS:
            seen.setdefault(w, None)
    return list(seen)


def bm25_idf(n_docs: int, doc_freq: int) -> float:
    """BM25's inverse document frequency, never negative."""
    return math.log(1 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def bm25_term(tf: int, doc_len: int, avg_len: float, idf: float) -> float:
    """One term's BM25 contribution to one document."""
    norm = tf + BM25_K1 * (1 - BM25_B + BM25_B * doc_len / max(avg_len, 1.0))
    return idf * tf * (BM25_K1 + 1) / norm
