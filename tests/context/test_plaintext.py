"""Plain-text heuristics: code-shaped words counted exactly as the reference regex does."""

from __future__ import annotations

from collections import Counter

import pytest

from trae_lsp.context.plaintext import _CODE_WORD, code_words

SAMPLES = (
    "Call foo(bar) or baz_qux, fooBar but not FooBar; 2abc( stays out.",
    "_x( a__b abc_ x1_y get_page (  x\t(\n y\x1c( z\x0b( end",
    "fooBar( fooBar fooBar( then A_b_C(x) aBc_ _a_b a_ __init__(",
    "(((  a(  ) b (",
    "Unicode: é_x( b_é naïve_value(",
    "",
)


@pytest.mark.parametrize("text", SAMPLES)
def test_code_words_match_the_reference_regex(text: str) -> None:
    expected = Counter(a or b for a, b in _CODE_WORD.findall(text))
    found = code_words(text)
    assert found == expected
    assert list(found) == list(expected)  # first-match order, as the index stores it
