"""`trae context` prints the retriever contract the quality benchmark reads."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from trae_lsp.cli.app import app
from trae_lsp.context.errors import ContextError


def test_json_contract(project: Path, tmp_path: Path) -> None:
    query = tmp_path / "q.txt"
    query.write_text("render_table pads rows wrongly")
    args = ["context", "--repo", str(project), "--query-file", str(query), "--budget", "300"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["files"][0] == "pkg/util.py"
    assert {"file", "name", "kind", "line"} <= set(out["symbols"][0])
    assert out["tokens"] <= 300 and out["text"]
    assert out["stats"]["elapsed_ms"] > 0
    assert (project / ".trae" / "context.sqlite3").is_file()


def test_text_format_and_focus(project: Path) -> None:
    args = ["context", "--repo", str(project), "--query", "speed up", "--focus", "pkg/core.py:19"]
    result = CliRunner().invoke(app, [*args, "--budget", "200", "--format", "text"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Relevant code\n## pkg/core.py\n### Loader.load")


def test_missing_query_is_a_clear_error(project: Path) -> None:
    result = CliRunner().invoke(app, ["context", "--repo", str(project), "--budget", "10"])
    assert isinstance(result.exception, ContextError)
    assert "--query" in str(result.exception)
