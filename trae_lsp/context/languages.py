"""Which language a file is written in, and the tree-sitter grammar and query for it."""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import PurePath

from tree_sitter import Language, Query

PLAIN_TEXT = "text"
"""Language id of files no grammar covers; they get plain-text heuristics, never an error."""


@dataclass(frozen=True, slots=True)
class LanguageSpec:
    """How to load one grammar: its module, the factory function and the query file."""

    module: str
    factory: str
    query: str


LANGUAGES: dict[str, LanguageSpec] = {
    "python": LanguageSpec("tree_sitter_python", "language", "python"),
    "javascript": LanguageSpec("tree_sitter_javascript", "language", "javascript"),
    "typescript": LanguageSpec("tree_sitter_typescript", "language_typescript", "typescript"),
    "tsx": LanguageSpec("tree_sitter_typescript", "language_tsx", "typescript"),
    "go": LanguageSpec("tree_sitter_go", "language", "go"),
    "rust": LanguageSpec("tree_sitter_rust", "language", "rust"),
    "java": LanguageSpec("tree_sitter_java", "language", "java"),
    "c": LanguageSpec("tree_sitter_c", "language", "c"),
    "cpp": LanguageSpec("tree_sitter_cpp", "language", "cpp"),
    "ruby": LanguageSpec("tree_sitter_ruby", "language", "ruby"),
}
"""Grammar wheels this package depends on, by language id."""

EXTENSIONS: dict[str, str] = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hh": "cpp",
    ".hpp": "cpp",
    ".hxx": "cpp",
    ".rb": "ruby",
    ".rake": "ruby",
}
"""File extension (lower case) to language id."""

SHEBANG_INTERPRETERS: dict[str, str] = {
    "python": "python",
    "node": "javascript",
    "ruby": "ruby",
    "deno": "typescript",
}
"""Interpreter named on a `#!` line (version suffix stripped) to language id."""

_SHEBANG = re.compile(rb"^#!\s*(?:\S*/)?(?:env\s+(?:-\S+\s+)*)?([A-Za-z]+)")


def detect_language(path: str, head: bytes = b"") -> str:
    """The language id of `path` by extension, else by its shebang line, else plain text."""
    lang = EXTENSIONS.get(PurePath(path).suffix.lower())
    if lang:
        return lang
    match = _SHEBANG.match(head)
    if match:
        return SHEBANG_INTERPRETERS.get(match.group(1).decode(), PLAIN_TEXT)
    return PLAIN_TEXT


@dataclass(frozen=True, slots=True)
class Grammar:
    """A loaded tree-sitter language, its definitions query and its references query."""

    language: Language
    tags: Query
    refs: Query


@functools.cache
def load_grammar(lang: str) -> Grammar:
    """Load (once per process) the grammar and queries for a language id from `LANGUAGES`."""
    spec = LANGUAGES[lang]
    module = importlib.import_module(spec.module)
    language = Language(getattr(module, spec.factory)())
    folder = resources.files(__package__).joinpath("queries")
    tags = folder.joinpath(f"{spec.query}-tags.scm").read_text()
    refs = folder.joinpath(f"{spec.query}-refs.scm").read_text()
    return Grammar(language, Query(language, tags), Query(language, refs))
