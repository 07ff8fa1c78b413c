"""The engine's small APIs as their consumers use them: the usage seam, the graph cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from trae_lsp.context.edges import FileGraph
from trae_lsp.context.engine import ContextEngine
from trae_lsp.context.index import ContextIndex
from trae_lsp.tools.search import CodeSearcher, UsageIndex


def test_code_searcher_takes_the_index_through_its_seam(project: Path, index: ContextIndex) -> None:
    seam: UsageIndex = index
    usages = CodeSearcher(project, index=seam).find_usages("slugify")
    assert ("pkg/core.py", 11) in {(u.file, u.line) for u in usages}
    assert all(u.text for u in usages)


def test_file_graph_is_reused_until_the_index_changes(index: ContextIndex) -> None:
    graph = FileGraph(index.store, max_definers=10)
    assert graph("pkg/core.py") == {"pkg/util.py": 2**0.5}  # slugify: import + call
    text = "from pkg.util import render_table\nrender_table(render_table(render_table([])))\n"
    index.update_text("pkg/core.py", text)
    assert graph("pkg/core.py") == {"pkg/util.py": 2.0}


def test_engine_assembles_with_a_focus_string(project: Path) -> None:
    engine = ContextEngine(project, workers=1)
    try:
        engine.refresh()
        ctx = engine.assemble("why is this slow", focus="pkg/util.py:11", budget=200)
        assert ctx.symbols[0].name == "render_table" and ctx.symbols[0].full
        usages = {(u.file, u.enclosing) for u in engine.find_usages("render_table")}
        assert ("pkg/sub/keep.py", "report") in usages
    finally:
        engine.close()


def test_package_names_are_imported_on_first_use() -> None:
    import trae_lsp.context as package

    assert sorted(package.__all__) == sorted(package._HOMES)
    for name in package.__all__:
        assert getattr(package, name).__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = package.nope  # type: ignore[attr-defined]
