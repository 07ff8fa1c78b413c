"""Words of code and of task text, for lexical (BM25) matching of symbols to a task."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from itertools import chain

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IDENT_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
_DIGITS = b"0123456789"
_TO_SPACES = bytes.maketrans(
    bytes(b for b in range(256) if b not in _IDENT_BYTES),
    b" " * (256 - len(_IDENT_BYTES)),
)
"""Maps every byte that cannot be part of an identifier (all non-ASCII too) to a space."""
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

_STOPWORDS_TEXT = """a an and are as at be by can could do does for from had has have if in into
    is it its
    of on or so should that the their then there these this to was we were when which will
    with would not no i you your our us use used using self cls none true false"""


MIN_WORD_LENGTH = 2
"""Shorter query words are ignored."""

WORD_CACHE_SIZE = 1 << 18
"""Distinct identifiers whose word split is memoised (identifiers repeat heavily in code;
Django has about 100k distinct ones)."""

BM25_K1 = 1.2
"""BM25 term-frequency saturation."""

BM25_B = 0.75
"""BM25 length normalisation."""


def _stem(word: str) -> str:
    """A light plural/verb-suffix stemmer so `redirects` meets `redirect`."""
    if not word.endswith(("s", "g", "d")):  # no suffix below can match: the common case
        return word
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


STOPWORDS = frozenset(_stem(w) for w in _STOPWORDS_TEXT.split())
"""Words (stemmed) too common in task text and code to say anything about relevance."""


@functools.lru_cache(maxsize=WORD_CACHE_SIZE)
def _expand(raw: str) -> tuple[str, ...]:
    """An identifier's words: itself, then its `_`/camelCase parts, lower-cased and stemmed."""
    if raw.islower() and "_" not in raw:  # one part: skip the camelCase split
        return (_stem(raw),)
    parts = [p for p in _CAMEL.sub("_", raw).split("_") if p]
    whole = _stem(raw.lower())
    if len(parts) > 1:
        return (whole, *(_stem(p.lower()) for p in parts))
    return (whole,)


def words(text: str) -> list[str]:
    """Lower-cased, stemmed identifier words of `text`, whole and split at `_`/camelCase."""
    return [w for raw in _WORD.findall(text) for w in _expand(raw)]


def blank_non_identifiers(data: bytes) -> bytes:
    """`data` with every non-identifier byte a space: `split()` then yields identifier tokens.

    A token may start with digits (`2nd`); like `_WORD`, the functions below drop them
    (`nd`). Working on bytes in C is several times faster than `_WORD.findall`.
    """
    return data.translate(_TO_SPACES)


@functools.lru_cache(maxsize=WORD_CACHE_SIZE)
def _token_words(token: bytes) -> tuple[str, ...]:
    """The words of one token from `blank_non_identifiers(...).split()` (none for a number)."""
    if token[0] in _DIGITS:
        token = token.lstrip(_DIGITS)
        if not token:
            return ()
    return _expand(token.decode("ascii"))


def token_bag(tokens: Iterable[bytes]) -> Counter[str]:
    """Word counts of identifier tokens, for the index (`term_bag` of the tokens' text)."""
    return Counter(chain.from_iterable(map(_token_words, tokens)))


def term_bag(text: str) -> Counter[str]:
    """Word counts of a piece of code, for the index."""
    return token_bag(blank_non_identifiers(text.encode("utf-8", "replace")).split())


def identifier_counts(data: bytes) -> dict[str, int]:
    """How often each identifier-shaped word of (UTF-8) `data` occurs: the file's out-edges."""
    counts: dict[str, int] = {}
    for token, n in Counter(blank_non_identifiers(data).split()).items():
        if token[0] in _DIGITS:
            token = token.lstrip(_DIGITS)
            if not token:
                continue
        name = token.decode("ascii")
        counts[name] = counts.get(name, 0) + n
    return counts


def informative(word: str) -> bool:
    """Whether a word can be a query term; the index keeps postings only for these."""
    return len(word) >= MIN_WORD_LENGTH and word not in STOPWORDS


def query_terms(text: str) -> list[str]:
    """The distinct informative words of a task description."""
    seen: dict[str, None] = {}
    for w in words(text):
        if informative(w):
            seen.setdefault(w, None)
    return list(seen)


def bm25_idf(n_docs: int, doc_freq: int) -> float:
    """BM25's inverse document frequency, never negative."""
    return math.log(1 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def bm25_term(tf: int, doc_len: int, avg_len: float, idf: float) -> float:
    """One term's BM25 contribution to one document."""
    norm = tf + BM25_K1 * (1 - BM25_B + BM25_B * doc_len / max(avg_len, 1.0))
    return idf * tf * (BM25_K1 + 1) / norm
