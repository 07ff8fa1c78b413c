"""Heuristic symbols for files no grammar covers: keyword-led definitions, code-like words."""

from __future__ import annotations

import re
from collections import Counter

from trae_lsp.context.lexical import blank_non_identifiers, term_bag
from trae_lsp.context.symbols import ParsedFile, Reference, Symbol

_DEFINITION = re.compile(
    r"^[ \t]*(?:export[ \t]+|pub[ \t]+|public[ \t]+|async[ \t]+)*"
    r"(def|class|function|func|fn|sub|proc|module|interface|struct)[ \t]+([A-Za-z_][\w]*)",
    re.MULTILINE,
)
_KINDS = {"class": "class", "module": "module", "interface": "interface", "struct": "class"}
_CODE_WORD = re.compile(r"\b([A-Za-z_]\w*)(?=\s*\()|\b([A-Za-z]+_\w+|[a-z]+[A-Z]\w*)\b")
"""A code-shaped word: called (`name(`), snake_case or camelCase."""
_CALLED_REVERSED = re.compile(r"\(\s*(\w+)")
"""`_CODE_WORD`'s first branch on reversed text: it starts with a literal, which re finds fast."""
_SHAPED_BLANKED = re.compile(rb" ([A-Za-z]++_\w++|[a-z]++[A-Z]\w*+)(?= )")
"""`_CODE_WORD`'s second branch on ASCII text after `blank_non_identifiers`, space-padded."""


def parse_plain(path: str, text: str, *, references: bool = False) -> ParsedFile:
    """Definitions from `def`/`class`/`function`… lines; references are code-shaped words."""
    lines = text.split("\n")
    symbols: list[Symbol] = []
    terms: list[dict[str, int]] = []
    line, counted = 1, 0  # count newlines incrementally: recounting from 0 is quadratic
    for match in _DEFINITION.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        column = match.start(2) - match.start()
        name = match.group(2)
        header = lines[line - 1].strip()
        symbols.append(
            Symbol(
                file=path,
                name=name,
                qualname=name,
                kind=_KINDS.get(match.group(1), "function"),
                line=line,
                column=0,
                end_line=line,
                end_column=len(lines[line - 1]),
                name_line=line,
                name_column=column,
                start_line=line,
                signature=header,
            )
        )
        terms.append(term_bag(header))
    names = code_words(text)
    refs = []
    if references:
        refs = [
            Reference(m.group(1) or m.group(2), n + 1, m.start(), "")
            for n, row in enumerate(lines)
            for m in _CODE_WORD.finditer(row)
        ]
    return ParsedFile(path, "text", symbols, refs, terms, names)


def code_words(text: str) -> dict[str, int]:
    """Counts of `_CODE_WORD` matches, in order of first match, like `Counter(findall)`.

    For ASCII text the two branches run as separate, faster scans (a third less time):
    snake/camelCase words count at every occurrence, other words only before a `(`.
    """
    if not text.isascii():
        return dict(Counter(a or b for a, b in _CODE_WORD.findall(text)))
    first: dict[str, int] = {}
    counts: dict[str, int] = {}
    padded = b" " + blank_non_identifiers(text.encode("ascii")) + b" "
    for shaped in _SHAPED_BLANKED.finditer(padded):
        word = shaped.group(1).decode("ascii")
        if word not in counts:
            first[word] = shaped.start()
        counts[word] = counts.get(word, 0) + 1
    called: dict[str, int] = {}
    for m in _CALLED_REVERSED.finditer(text[::-1]):
        word = m.group(1)[::-1]
        if word[0].isdigit() or word in counts:
            continue
        called[word] = called.get(word, 0) + 1
        first[word] = len(text) - m.end(1)  # later matches are earlier in the text
    counts.update(called)
    return {w: counts[w] for w in sorted(counts, key=first.__getitem__)}
