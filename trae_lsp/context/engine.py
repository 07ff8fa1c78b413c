"""One project's context engine: the index plus ranking and rendering, behind a small API."""

from __future__ import annotations

from pathlib import Path

from trae_lsp.config import ContextConfig
from trae_lsp.context.assemble import assemble
from trae_lsp.context.edges import FileGraph
from trae_lsp.context.errors import ContextError
from trae_lsp.context.index import ContextIndex, RefreshStats, Usage
from trae_lsp.context.rank import Focus
from trae_lsp.context.repomap import repo_map
from trae_lsp.context.result import Context

DEFAULT_BUDGET = 8192
"""Tokens of context when the caller does not say."""


def parse_focus(index: ContextIndex, spec: str | Focus | None) -> Focus | None:
    """`FILE` or `FILE:LINE` (absolute or project-relative) as a `Focus` inside the project."""
    if spec is None or isinstance(spec, Focus):
        return spec
    path, _, line = spec.rpartition(":")
    if not path or not line.isdigit():
        path, line = spec, ""
    rel = index.relative(path)
    if not (index.root / rel).is_file():
        raise ContextError(f"focus file {path} does not exist in {index.root}; pass FILE[:LINE].")
    return Focus(rel, int(line) if line else None)


class ContextEngine:
    """Which code matters for a task: index a project once, then assemble context on demand."""

    def __init__(
        self, root: Path, config: ContextConfig | None = None, *, workers: int | None = None
    ) -> None:
        self.config = config or ContextConfig()
        self.index = ContextIndex(root, workers=workers)
        self._graph = FileGraph(self.index.store, self.config.max_definers)

    def close(self) -> None:
        """Release the index database."""
        self.index.close()

    def refresh(self) -> RefreshStats:
        """Bring the index up to date with the disk (incremental)."""
        return self.index.refresh()

    def assemble(
        self, task: str, focus: str | Focus | None = None, budget: int = DEFAULT_BUDGET
    ) -> Context:
        """Context for `task` in `budget` tokens: bodies of the best symbols, then signatures."""
        return assemble(
            self.index,
            task,
            budget=budget,
            focus=parse_focus(self.index, focus),
            config=self.config,
            graph=self._graph,
        )

    def repo_map(
        self, task: str, focus: str | Focus | None = None, budget: int = DEFAULT_BUDGET
    ) -> Context:
        """A signatures-only map of the code most relevant to `task` within `budget` tokens."""
        return repo_map(
            self.index,
            task,
            budget=budget,
            focus=parse_focus(self.index, focus),
            config=self.config,
            graph=self._graph,
        )

    def find_usages(self, name: str) -> list[Usage]:
        """Every reference to `name` with its file, line and enclosing symbol."""
        return self.index.find_usages(name)
