"""The file graph PageRank walks: a file points at the files defining the names it uses."""

from __future__ import annotations

import math

from trae_lsp.context.store import Store


class FileGraph:
    """Out-edges of files, computed lazily from the index and kept until the index changes."""

    def __init__(self, store: Store, max_definers: int) -> None:
        self._store = store
        self._max_definers = max_definers
        self._generation = -1
        self._definers: dict[str, list[str]] = {}
        self._edges: dict[str, dict[str, float]] = {}

    def __call__(self, path: str) -> dict[str, float]:
        """Files `path` references, weighted by sqrt(uses) shared among a name's definers."""
        if self._generation != self._store.generation:
            self._generation = self._store.generation
            self._definers.clear()
            self._edges.clear()
        edges = self._edges.get(path)
        if edges is None:
            edges = self._edges[path] = self._compute(path)
        return edges

    def _compute(self, path: str) -> dict[str, float]:
        counts = self._store.ref_counts(path)
        unknown = [name for name in counts if name not in self._definers]
        found = self._store.definers(unknown)
        for name in unknown:
            self._definers[name] = found.get(name, [])
        out: dict[str, float] = {}
        for name, count in counts.items():
            definers = self._definers[name]
            if not definers or len(definers) > self._max_definers:
                continue  # undefined here, or too generic to say which file is meant
            share = math.sqrt(count) / len(definers)
            for other in definers:
                if other != path:
                    out[other] = out.get(other, 0.0) + share
        return out
