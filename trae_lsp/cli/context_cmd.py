"""`trae context`: the code that matters for a task, ranked and packed into a token budget."""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from trae_lsp.config_layers import load_config
from trae_lsp.context.engine import DEFAULT_BUDGET, ContextEngine
from trae_lsp.context.errors import ContextError


class OutputFormat(StrEnum):
    """How `trae context` prints its result."""

    JSON = "json"
    TEXT = "text"


def context(
    repo: Annotated[
        Path, typer.Option("--repo", help="Project folder to index and search.")
    ] = Path(),
    query: Annotated[str | None, typer.Option("--query", help="The task, in words.")] = None,
    query_file: Annotated[
        Path | None, typer.Option("--query-file", help="Read the task from a file.")
    ] = None,
    focus: Annotated[
        str | None, typer.Option("--focus", help="FILE or FILE:LINE the user is at.")
    ] = None,
    budget: Annotated[
        int, typer.Option("--budget", min=1, help="Token budget (1 token = 4 characters).")
    ] = DEFAULT_BUDGET,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="json or text.")
    ] = OutputFormat.JSON,
) -> None:
    """Print the context for a task: files, symbols and the text an LLM would see."""
    start = time.perf_counter()
    task = _task(query, query_file)
    engine = ContextEngine(repo, load_config(repo).config.context)
    try:
        refreshed = engine.refresh()
        ctx = engine.assemble(task, focus=focus, budget=budget)
    finally:
        engine.close()
    if output is OutputFormat.TEXT:
        typer.echo(ctx.text)
        return
    payload = ctx.to_json()
    payload["stats"] = {
        **ctx.stats,
        "index_ms": refreshed.elapsed_ms,
        "files_indexed": refreshed.files,
        "files_parsed": refreshed.parsed,
        "elapsed_ms": (time.perf_counter() - start) * 1000,
    }
    typer.echo(json.dumps(payload))


def _task(query: str | None, query_file: Path | None) -> str:
    if query_file is not None:
        try:
            return query_file.read_text(encoding="utf-8", errors="replace")
        except OSError as e:
            raise ContextError(f"cannot read --query-file {query_file}: {e.strerror}.") from e
    if query is None:
        raise ContextError("say what the task is: pass --query TEXT or --query-file FILE.")
    return query
