"""grep and find_usages: ripgrep and the pure-Python engine agree; pending edits are searched."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from trae_lsp.tools.base import ToolContext
from trae_lsp.tools.grep import Engine, GrepMatch, GrepQuery, grep
from trae_lsp.tools.search import CodeSearcher, FindUsagesTool, GrepTool, Usage
from trae_lsp.workspace import Workspace

needs_rg = pytest.mark.skipif(shutil.which("rg") is None, reason="ripgrep is not installed")


@pytest.fixture
def corpus(project: Path) -> Path:
    (project / ".gitignore").write_text("build/\n*.min.js\n")
    (project / "build").mkdir()
    (project / "build" / "out.py").write_text("authenticate_user()\n")
    (project / "lib.min.js").write_text("authenticate_user()\n")
    (project / "nested").mkdir()
    (project / "nested" / ".gitignore").write_text("secret.py\n")
    (project / "nested" / "secret.py").write_text("authenticate_user\n")
    (project / "nested" / "keep.py").write_text("x = authenticate_user_v2\nAUTHENTICATE_USER = 1\n")
    (project / ".hidden.py").write_text("# authenticate_user in a hidden file\n")
    (project / "blob.bin").write_bytes(b"authenticate_user\x00\x01")
    (project / "legacy.txt").write_bytes(b"caf\xe9 authenticate_user\r\n")
    return project


@pytest.mark.parametrize("engine", [pytest.param("ripgrep", marks=needs_rg), "python"])
def test_engines_find_the_same_lines(corpus: Path, engine: Engine) -> None:
    ws = Workspace(corpus)
    found = grep(ws, GrepQuery("authenticate_user"), engine=engine)
    assert [(m.path, m.line, m.column) for m in found] == [
        (".hidden.py", 1, 2),
        ("legacy.txt", 1, 5),
        ("nested/keep.py", 1, 4),
        ("src/app.py", 4, 4),
        ("src/views.py", 1, 16),
        ("src/views.py", 5, 11),
    ]
    assert found[1].text == "café authenticate_user"


@pytest.mark.parametrize("engine", [pytest.param("ripgrep", marks=needs_rg), "python"])
def test_engines_agree_on_options(corpus: Path, engine: Engine) -> None:
    ws = Workspace(corpus)
    query = GrepQuery("authenticate_USER\\b", ignore_case=True, glob="*.py", path="nested")
    found = grep(ws, query, engine=engine)
    assert [(m.path, m.line) for m in found] == [("nested/keep.py", 2)]
    literal = grep(ws, GrepQuery("a.b(", fixed_strings=True), engine=engine)
    assert literal == []


@pytest.mark.parametrize("engine", [pytest.param("ripgrep", marks=needs_rg), "python"])
def test_pending_edits_are_searched_instead_of_disk(corpus: Path, engine: Engine) -> None:
    ws = Workspace(corpus, mode="propose")
    ws.write_text("src/views.py", "def login(n):\n    return check(n)\n")
    ws.set_buffer("README.md", "# uses authenticate_user\n", version=2)
    found = grep(ws, GrepQuery("authenticate_user", glob="*.md"), engine=engine)
    assert [(m.path, m.line) for m in found] == [("README.md", 1)]
    found = grep(ws, GrepQuery("authenticate_user", path="src"), engine=engine)
    assert [(m.path, m.line) for m in found] == [("src/app.py", 4)]


@pytest.mark.parametrize("engine", [pytest.param("ripgrep", marks=needs_rg), "python"])
def test_limit_stops_early(project: Path, engine: Engine) -> None:
    (project / "many.txt").write_text("hit\n" * 50)
    found = grep(Workspace(project), GrepQuery("hit", limit=10), engine=engine)
    assert len(found) == 11


def test_invalid_regex_is_explained(project: Path) -> None:
    with pytest.raises(Exception, match="Invalid regular expression '\\(unclosed'"):
        grep(Workspace(project), GrepQuery("(unclosed"), engine="python")


async def test_grep_tool_output_and_errors(ctx: ToolContext) -> None:
    result = await GrepTool().invoke({"pattern": "def \\w+", "path": "src"}, ctx)
    assert result.output == (
        "src/app.py:4: def authenticate_user(name):\nsrc/views.py:4: def login(n):"
    )
    result = await GrepTool().invoke({"pattern": "zzz_nothing"}, ctx)
    assert result.output == "No matches for pattern 'zzz_nothing'."
    result = await GrepTool().invoke({"pattern": "[", "fixed_strings": False}, ctx)
    assert result.is_error and "fixed_strings=true" in result.output
    result = await GrepTool().invoke({"pattern": "x", "path": "../.."}, ctx)
    assert result.is_error and "leaves the project" in result.output


async def test_grep_tool_falls_back_without_ripgrep(
    ctx: ToolContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = await GrepTool().invoke({"pattern": "import os"}, ctx)
    assert result.output == "src/app.py:1: import os"


async def test_grep_tool_clips(ctx: ToolContext, project: Path) -> None:
    (project / "many.txt").write_text("hit\n" * 300)
    result = await GrepTool().invoke({"pattern": "hit"}, ctx)
    assert result.output.endswith("[clipped at 200 matches. Narrow the search with path or glob.]")


def test_code_searcher_article_example(corpus: Path) -> None:
    searcher = CodeSearcher(codebase=str(corpus))
    matches = searcher.find_usages("authenticate_user")
    assert [(u.file, u.line) for u in matches] == [
        (".hidden.py", 1),
        ("legacy.txt", 1),
        ("src/app.py", 4),
        ("src/views.py", 1),
        ("src/views.py", 5),
    ]
    assert matches[2] == Usage("src/app.py", 4, 4, "def authenticate_user(name):")


def test_find_usages_of_non_identifier_is_literal(project: Path) -> None:
    (project / "ops.txt").write_text("a += 1\nb + = 2\n")
    assert [u.line for u in CodeSearcher(project).find_usages("+=")] == [1]


@dataclass(frozen=True)
class _IndexedUsage:
    file: str
    line: int
    column: int
    text: str
    enclosing: str


class _RecordingIndex:
    """A real (tiny) index: answers from a table and records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def find_usages(self, name: str) -> list[_IndexedUsage]:
        self.asked.append(name)
        return [_IndexedUsage("src/views.py", 5, 11, "    return authenticate_user(n)\n", "login")]


async def test_find_usages_uses_the_index_seam(ctx: ToolContext) -> None:
    index = _RecordingIndex()
    result = await FindUsagesTool(index).invoke({"name": "authenticate_user"}, ctx)
    assert result.output == "src/views.py:5:12: return authenticate_user(n)"
    assert index.asked == ["authenticate_user"]


async def test_find_usages_tool_errors(ctx: ToolContext) -> None:
    result = await FindUsagesTool().invoke({"name": "  "}, ctx)
    assert result.is_error and "name is empty" in result.output
    result = await FindUsagesTool().invoke({"name": "never_used_anywhere"}, ctx)
    assert result.output == "No matches for 'never_used_anywhere'."


def test_grep_match_is_plain_data() -> None:
    assert GrepMatch("a", 1, 0, "x") == GrepMatch("a", 1, 0, "x")


@pytest.mark.parametrize("engine", [pytest.param("ripgrep", marks=needs_rg), "python"])
def test_grep_a_single_file(corpus: Path, engine: Engine) -> None:
    found = grep(Workspace(corpus), GrepQuery("def", path="src/views.py"), engine=engine)
    assert [(m.path, m.line) for m in found] == [("src/views.py", 4)]
