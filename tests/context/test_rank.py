"""Ranking and budgeted assembly over the sample project."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trae_lsp.config import ContextConfig
from trae_lsp.context.assemble import assemble
from trae_lsp.context.graph import personalized_pagerank
from trae_lsp.context.index import ContextIndex
from trae_lsp.context.rank import Focus, is_test_path, mentioned_paths, rank
from trae_lsp.context.repomap import TextBudget, render_map, repo_map
from trae_lsp.context.symbols import Symbol
from trae_lsp.context.tokens import count_tokens

TASKS = [
    "Fix render_table alignment when rows are wide",
    "parse_config loses values that contain '='",
    "the loader should accept pathlib paths",
    "",
]


@pytest.mark.parametrize(
    ("task", "first"),
    [
        ("Fix render_table alignment when rows are wide", "pkg/util.py"),
        ("parse_config loses values that contain '='", "pkg/core.py"),
        ("report() prints nothing", "pkg/sub/keep.py"),
    ],
)
def test_task_naming_a_function_puts_its_file_first(
    index: ContextIndex, task: str, first: str
) -> None:
    ctx = assemble(index, task, budget=400)
    assert ctx.files[0] == first


@pytest.mark.parametrize("budget", [1, 5, 20, 60, 150, 400, 2000])
@pytest.mark.parametrize("task", TASKS)
def test_budget_is_never_exceeded_and_listed_items_are_visible(
    index: ContextIndex, task: str, budget: int
) -> None:
    ctx = assemble(index, task, budget=budget)
    assert ctx.tokens == count_tokens(ctx.text) <= budget
    assert all(path in ctx.text for path in ctx.files)
    for sym in ctx.symbols:
        assert re.search(rf"\b{re.escape(sym.name.rsplit('.', 1)[-1])}\b", ctx.text)
    full = [s for s in ctx.symbols if s.full]
    assert len({(s.file, s.name) for s in ctx.symbols}) == len(ctx.symbols)
    assert all(f"### {s.name} " in ctx.text for s in full)


def test_bodies_first_then_signatures(index: ContextIndex) -> None:
    ctx = assemble(index, "parse_config loses values", budget=150)
    assert ctx.symbols[0].name == "parse_config" and ctx.symbols[0].full
    assert 'key, _, value = line.partition("=")' in ctx.text
    assert ctx.text.index("# Relevant code") < ctx.text.index("# Repository map")


def test_repo_map_shows_signatures_only(index: ContextIndex) -> None:
    ctx = repo_map(index, "render_table", budget=300)
    assert ctx.files[0] == "pkg/util.py"
    assert "def render_table(rows):" in ctx.text
    assert "width = max" not in ctx.text
    assert not any(s.full for s in ctx.symbols)


def test_focus_and_cursor_symbol_lead(index: ContextIndex) -> None:
    ctx = assemble(index, "make it faster", budget=300, focus=Focus("pkg/core.py", 19))
    assert ctx.files[0] == "pkg/core.py"
    assert (ctx.symbols[0].name, ctx.symbols[0].full) == ("Loader.load", True)


def test_test_files_rank_below_the_code_they_test(index: ContextIndex) -> None:
    ranking = rank(index, "parse_config", ContextConfig())
    names = [s.qualname for s, _ in ranking.symbols]
    assert names.index("parse_config") < names.index("test_parse_config")
    assert is_test_path("tests/test_core.py") and is_test_path("src/app.spec.ts")
    assert not is_test_path("pkg/contest.py")


def test_mentioned_paths_by_path_name_module_and_stem() -> None:
    paths = ["pkg/util.py", "pkg/core.py", "pkg/sub/keep.py", "docs/guide.md"]
    assert mentioned_paths(paths, "see pkg/util.py") == {"pkg/util.py"}
    assert mentioned_paths(paths, "in core.py, line 3") == {"pkg/core.py"}
    assert mentioned_paths(paths, "pkg.sub.keep is slow") == {"pkg/sub/keep.py"}
    assert mentioned_paths(paths, "the guide is outdated") == {"docs/guide.md"}


def test_personalized_pagerank_decays_along_a_chain() -> None:
    graph = {"a": {"b": 1.0}, "b": {"c": 1.0}, "c": {}}
    rank_ = personalized_pagerank({"a": 1.0}, lambda n: graph[n], restart=0.3)
    assert rank_["a"] > rank_["b"] > rank_["c"] > 0
    assert sum(rank_.values()) <= 1.0 + 1e-9
    assert personalized_pagerank({}, lambda n: graph[n], restart=0.3) == {}


def test_personalized_pagerank_breaks_ties_by_name_not_insertion_order() -> None:
    """Seeds come from sets (their order changes with PYTHONHASHSEED); the rank must not."""
    graph: dict[str, dict[str, float]] = {"a": {"c": 1.0}, "b": {"d": 1.0}, "c": {}, "d": {}}
    ranks = [
        personalized_pagerank(seeds, lambda n: graph[n], restart=0.3, max_pushes=1)
        for seeds in ({"a": 1.0, "b": 1.0}, {"b": 1.0, "a": 1.0})
    ]
    assert ranks[0] == ranks[1]


def test_unknown_languages_degrade_to_plain_text(tmp_path: Path) -> None:
    (tmp_path / "build.gradle.kts").write_text("fun configureBuild() {\n  apply_plugins()\n}\n")
    (tmp_path / "notes.unknownext").write_text("def helper_thing arguments\n")
    ix = ContextIndex(tmp_path, workers=1)
    try:
        ix.refresh()
        ctx = assemble(ix, "helper_thing is wrong", budget=200)
        assert ctx.files == ["notes.unknownext"]
        assert [s.name for s in ctx.symbols] == ["helper_thing"]
        assert ctx.tokens <= 200
    finally:
        ix.close()


def test_classes_with_methods_are_mapped_not_bodied(index: ContextIndex) -> None:
    ctx = assemble(index, "Loader class loads files", budget=2000)
    full = {s.name for s in ctx.symbols if s.full}
    assert "Loader.load" in full and "Loader" not in full
    assert "Loader" in {s.name for s in ctx.symbols}
    assert "class Loader:" in ctx.text


def test_map_shows_breadth_before_depth() -> None:
    def sym(path: str, name: str, line: int) -> Symbol:
        return Symbol(
            path, name, name, "function", line, 0, line, 9, line, 4, line, f"def {name}():"
        )

    ranked = [sym("a.py", f"f{i}", i) for i in range(1, 40)] + [sym("b.py", "g", 1)]
    out = TextBudget(600)
    listed = render_map([(s, 1.0) for s in ranked], out, shown=set())
    assert "b.py" in {s.file for s in listed} and "## b.py" in out.text()
    assert out.used <= 600
