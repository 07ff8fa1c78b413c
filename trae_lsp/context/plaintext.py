"""Heuristic symbols for files no grammar covers: keyword-led definitions, code-like words."""

from __future__ import annotations

import re
from collections import Counter

from trae_lsp.context.lexical import term_bag
from trae_lsp.context.symbols import ParsedFile, Reference, Symbol

_DEFINITION = re.compile(
    r"^[ \t]*(?:export[ \t]+|pub[ \t]+|public[ \t]+|async[ \t]+)*"
    r"(def|class|function|func|fn|sub|proc|module|interface|struct)[ \t]+([A-Za-z_][\w]*)",
    re.MULTILINE,
)
_KINDS = {"class": "class", "module": "module", "interface": "interface", "struct": "class"}
_CODE_WORD = re.compile(r"\b([A-Za-z_]\w*)(?=\s*\()|\b([A-Za-z]+_\w+|[a-z]+[A-Z]\w*)\b")


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
    names = Counter(a or b for a, b in _CODE_WORD.findall(text))
    refs = []
    if references:
        refs = [
            Reference(m.group(1) or m.group(2), n + 1, m.start(), "")
            for n, row in enumerate(lines)
            for m in _CODE_WORD.finditer(row)
        ]
    return ParsedFile(path, "text", symbols, refs, terms, dict(names))
