"""Each grammar's definitions and references on a small fixture, and plain-text fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from trae_lsp.context.languages import PLAIN_TEXT, detect_language
from trae_lsp.context.parse import parse_source
from trae_lsp.context.symbols import ParsedFile

LANGS = Path(__file__).parents[1] / "data" / "context" / "langs"

CASES = [
    # file, language, expected (qualname, kind) definitions, (reference, enclosing qualname)
    (
        "sample.py",
        "python",
        {
            ("Greeter", "class"),
            ("Greeter.greet", "method"),
            ("format_name", "function"),
            ("LIMIT", "constant"),
        },
        ("format_name", "Greeter.greet"),
    ),
    (
        "sample.js",
        "javascript",
        {
            ("Greeter", "class"),
            ("Greeter.greet", "method"),
            ("formatName", "function"),
            ("shout", "function"),
        },
        ("formatName", "shout"),
    ),
    (
        "sample.ts",
        "typescript",
        {
            ("Named", "interface"),
            ("Id", "type"),
            ("Greeter", "class"),
            ("Greeter.greet", "method"),
            ("formatName", "function"),
        },
        ("formatName", "Greeter.greet"),
    ),
    (
        "sample.tsx",
        "tsx",
        {("Props", "interface"), ("Button", "function"), ("formatLabel", "function")},
        ("formatLabel", "Button"),
    ),
    (
        "sample.go",
        "go",
        {
            ("Named", "interface"),
            ("Greeter", "class"),
            ("Greet", "method"),
            ("formatName", "function"),
        },
        ("formatName", "Greet"),
    ),
    (
        "sample.rs",
        "rust",
        {
            ("Named", "interface"),
            ("Greeter", "class"),
            ("Greeter.greet", "method"),
            ("format_name", "function"),
        },
        ("format_name", "Greeter.greet"),
    ),
    (
        "Sample.java",
        "java",
        {
            ("Named", "interface"),
            ("Greeter", "class"),
            ("Greeter.greet", "method"),
            ("Greeter.formatName", "method"),
        },
        ("formatName", "Greeter.greet"),
    ),
    (
        "sample.c",
        "c",
        {
            ("greeter", "class"),
            ("format_name", "function"),
            ("greet", "function"),
            ("LIMIT", "constant"),
        },
        ("format_name", "greet"),
    ),
    (
        "sample.cpp",
        "cpp",
        {("demo", "module"), ("demo.Greeter", "class"), ("demo.format_name", "function")},
        ("format_name", "demo.greet"),
    ),
    (
        "sample.rb",
        "ruby",
        {
            ("Demo", "module"),
            ("Demo.Greeter", "class"),
            ("Demo.Greeter.greet", "method"),
            ("format_name", "function"),
        },
        ("format_name", "Demo.Greeter.greet"),
    ),
]


def _parse(name: str) -> ParsedFile:
    data = (LANGS / name).read_bytes()
    return parse_source(name, data, detect_language(name, data[:128]), references=True)


@pytest.mark.parametrize(("name", "language", "definitions", "reference"), CASES)
def test_definitions_and_references(
    name: str, language: str, definitions: set[tuple[str, str]], reference: tuple[str, str]
) -> None:
    parsed = _parse(name)
    assert parsed.language == language
    assert definitions <= {(s.qualname, s.kind) for s in parsed.symbols}
    assert reference in {(r.name, r.enclosing) for r in parsed.references}
    assert len(parsed.terms) == len(parsed.symbols)


def test_definition_names_are_not_references() -> None:
    parsed = _parse("sample.py")
    positions = {(r.line, r.column) for r in parsed.references}
    assert all((s.name_line, s.name_column) not in positions for s in parsed.symbols)


def test_signature_docstring_and_decorated_start() -> None:
    source = (
        b"@cache\ndef load(path: str,\n         mode: int = 0) -> bytes:\n"
        b'    """Read it.\n\n    More."""\n'
    )
    (sym,) = parse_source("m.py", source, "python").symbols
    assert sym.signature == "def load(path: str, mode: int = 0) -> bytes:"
    assert sym.doc == "Read it."
    assert (sym.start_line, sym.line, sym.end_line) == (1, 2, 6)


def test_shebang_selects_the_grammar() -> None:
    parsed = _parse("runner")
    assert parsed.language == "python"
    assert [s.name for s in parsed.symbols] == ["main"]


def test_unknown_language_degrades_to_plain_text() -> None:
    parsed = _parse("notes.txt")
    assert parsed.language == PLAIN_TEXT
    assert [s.name for s in parsed.symbols] == ["looks_like_code"]
    assert "format_name" in {r.name for r in parsed.references}


def test_non_ascii_columns_are_code_points() -> None:
    parsed = parse_source("u.py", "s = 'é'; f(x)\n".encode(), "python", references=True)
    assert ("f", 1, 9) in {(r.name, r.line, r.column) for r in parsed.references}


def test_broken_source_does_not_raise() -> None:
    parsed = parse_source("bad.py", b"def broken(:\n  class\n", "python")
    assert parsed.language == "python"


def test_indexing_parse_counts_names_without_listing_references() -> None:
    parsed = parse_source("m.py", b"import os\nos.path.join(os.sep)\n", "python")
    assert parsed.references == []
    assert parsed.names["os"] == 3
