"""Word extraction for the index: the byte-level tokeniser agrees with the identifier regex."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from trae_lsp.context.lexical import (
    identifier_counts,
    informative,
    query_terms,
    term_bag,
    words,
)

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""The reference definition of an identifier-shaped word."""

SAMPLES = (
    "def get_page(self, number): return self._pages[number - 1]",
    "x2 = 3rd + 2nd_place + 0x1F + 1e10 + __init__ + _private",
    "café = naïve_value + überCount; µs = ñame",
    "HTTPResponseRedirect parseURL getHTTP2Client",
    "bad bytes \ufffd here\u00a0and\ttabs\n\n123 456",
    "",
)


@pytest.mark.parametrize("text", SAMPLES)
def test_identifier_counts_match_the_regex(text: str) -> None:
    expected = Counter(IDENTIFIER.findall(text))
    found = identifier_counts(text.encode("utf-8"))
    assert found == expected
    assert list(found) == list(expected)  # first-occurrence order, as the index stores it


@pytest.mark.parametrize("text", SAMPLES)
def test_term_bag_counts_every_word_of_every_identifier(text: str) -> None:
    assert term_bag(text) == Counter(words(text))


def test_words_split_case_and_underscores_and_stem() -> None:
    assert words("getHTTPResponse redirects") == [
        "gethttpresponse",
        "get",
        "http",
        "response",
        "redirect",
    ]


def test_only_informative_words_are_query_terms() -> None:
    assert not informative("the") and not informative("x")
    assert informative("redirect")
    assert query_terms("Fix the redirect for a user") == ["fix", "redirect", "user"]
