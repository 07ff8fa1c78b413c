"""Code search: `CodeSearcher.find_usages` and the `grep` and `find_usages` tools.

`find_usages` is textual (whole-word matches) unless a symbol index is plugged in
through the one seam below, `UsageIndex`: the context engine's index fits it, and
then references come from parsed code instead of text.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from trae_lsp.tools.base import BaseTool, ToolContext, ToolError, ToolParams, ToolResult
from trae_lsp.tools.grep import DEFAULT_LIMIT, Engine, GrepMatch, GrepQuery, grep
from trae_lsp.workspace import Workspace

_IDENTIFIER = re.compile(r"\w+", re.UNICODE)


class UsageLike(Protocol):
    """Anything that says where a name is used."""

    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def text(self) -> str: ...


class UsageIndex(Protocol):
    """THE SEAM for the symbol index: `find_usages` uses it when one is given."""

    def find_usages(self, name: str) -> Sequence[UsageLike]:
        """Every reference to `name` the index knows."""
        ...


@dataclass(frozen=True)
class Usage:
    """One use of a name: project-relative file, 1-based line, 0-based column, the line's text."""

    file: str
    line: int
    column: int
    text: str


class CodeSearcher:
    """Finds where names are used and greps the project (`searcher.find_usages("f")`)."""

    def __init__(
        self,
        codebase: str | Path = ".",
        *,
        workspace: Workspace | None = None,
        index: UsageIndex | None = None,
        engine: Engine = "auto",
    ) -> None:
        self.workspace = workspace or Workspace(codebase)
        self.index = index
        self.engine: Engine = engine

    def find_usages(self, name: str, *, limit: int = DEFAULT_LIMIT) -> list[Usage]:
        """Where `name` occurs: from the symbol index if plugged in, else whole-word matches."""
        if not name.strip():
            raise ToolError("name is empty; pass the identifier to look for.")
        if self.index is not None:
            found = self.index.find_usages(name)
            return [Usage(u.file, u.line, u.column, u.text.strip()) for u in found][: limit + 1]
        whole_word = _IDENTIFIER.fullmatch(name) is not None
        pattern = rf"\b{re.escape(name)}\b" if whole_word else name
        query = GrepQuery(pattern, fixed_strings=not whole_word, limit=limit)
        return [
            Usage(m.path, m.line, m.column, m.text.strip())
            for m in grep(self.workspace, query, engine=self.engine)
        ]

    def grep(self, query: GrepQuery) -> list[GrepMatch]:
        """Matching lines for a query (see `GrepQuery`)."""
        return grep(self.workspace, query, engine=self.engine)


class GrepParams(ToolParams):
    """Arguments of `grep`."""

    pattern: str
    """Regular expression to search for (or literal text with fixed_strings)."""

    path: str = "."
    """File or directory to search, relative to the project root."""

    glob: str | None = None
    """Only search files matching this glob, e.g. `*.py` or `src/**/*.ts`."""

    ignore_case: bool = False
    """Match regardless of case."""

    fixed_strings: bool = False
    """Treat the pattern as literal text."""


class GrepTool(BaseTool):
    """Searches file contents and lists matching lines."""

    name = "grep"
    description = (
        "Search file contents with a regular expression; lists `path:line: text` for each "
        "matching line. Git-ignored files are skipped. Narrow with path or glob."
    )
    Params = GrepParams
    read_only = True

    async def execute(self, params: GrepParams, ctx: ToolContext) -> ToolResult:
        """Run the search in a thread so the event loop stays free."""
        query = GrepQuery(
            params.pattern,
            path=params.path,
            glob=params.glob,
            ignore_case=params.ignore_case,
            fixed_strings=params.fixed_strings,
        )
        matches = await asyncio.to_thread(grep, ctx.workspace, query)
        rows = [f"{m.path}:{m.line}: {m.text}" for m in matches]
        return ToolResult(_report(rows, query.limit, f"pattern {params.pattern!r}"), value=matches)


class FindUsagesParams(ToolParams):
    """Arguments of `find_usages`."""

    name: str
    """Identifier (function, class, variable) whose uses to find."""


class FindUsagesTool(BaseTool):
    """Lists where a name is used across the project."""

    name = "find_usages"
    description = (
        "Find every place an identifier (function, class, variable) is used, as "
        "`path:line:column: text`. Use it before renaming or changing a signature."
    )
    Params = FindUsagesParams
    read_only = True

    def __init__(self, index: UsageIndex | None = None) -> None:
        self.index = index

    async def execute(self, params: FindUsagesParams, ctx: ToolContext) -> ToolResult:
        """Search in a thread so the event loop stays free."""
        searcher = CodeSearcher(workspace=ctx.workspace, index=self.index)
        usages = await asyncio.to_thread(searcher.find_usages, params.name)
        rows = [f"{u.file}:{u.line}:{u.column + 1}: {u.text}" for u in usages]
        return ToolResult(_report(rows, DEFAULT_LIMIT, f"{params.name!r}"), value=usages)


def _report(rows: list[str], limit: int, what: str) -> str:
    """Rows of matches, or a clear 'nothing found', with a hint when clipped."""
    if not rows:
        return f"No matches for {what}."
    if len(rows) > limit:
        shown = "\n".join(rows[:limit])
        return f"{shown}\n[clipped at {limit} matches. Narrow the search with path or glob.]"
    return "\n".join(rows)
