"""Personalised PageRank by local push: the cost grows with the seeds' neighbourhood, not the repo.

The graph is never built: `neighbours(node)` is asked lazily for the nodes the walk
reaches (Andersen, Chung and Lang, "Local graph partitioning using PageRank vectors", 2006).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping

PUSH_EPSILON = 1e-3
"""Residual mass below which a node is not pushed further (the approximation's error bound)."""

MAX_PUSHES = 150
"""Upper bound on pushes, so a huge hub-heavy graph still answers quickly."""


def personalized_pagerank(
    seeds: Mapping[str, float],
    neighbours: Callable[[str], Mapping[str, float]],
    *,
    restart: float,
    epsilon: float = PUSH_EPSILON,
    max_pushes: int = MAX_PUSHES,
) -> dict[str, float]:
    """Approximate PageRank personalised to `seeds`; `neighbours` gives out-edge weights."""
    total = sum(w for w in seeds.values() if w > 0)
    if total <= 0:
        return {}
    residual = {node: w / total for node, w in seeds.items() if w > 0}
    rank: dict[str, float] = {}
    queue = deque(sorted(residual, key=lambda n: (-residual[n], n)))
    queued = set(queue)
    pushes = 0
    while queue and pushes < max_pushes:
        node = queue.popleft()
        queued.discard(node)
        mass = residual.pop(node, 0.0)
        rank[node] = rank.get(node, 0.0) + restart * mass
        pushes += 1
        out = neighbours(node)
        out_total = sum(out.values())
        if out_total <= 0:
            continue
        spread = (1 - restart) * mass / out_total
        for other, weight in out.items():
            value = residual.get(other, 0.0) + spread * weight
            residual[other] = value
            if value >= epsilon and other not in queued:
                queue.append(other)
                queued.add(other)
    for node, mass in residual.items():  # unpushed mass stays where it is
        rank[node] = rank.get(node, 0.0) + restart * mass
    return rank
