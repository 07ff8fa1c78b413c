"""Reading a recording back for replay: the model calls of a run, in the order they happened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from trae_lsp.trajectory.schema import LLMInteraction, Trajectory
from trae_lsp.trajectory.store import load_trajectory


def recorded_interactions(source: Trajectory | str | Path) -> Iterator[LLMInteraction]:
    """Yield each recorded LLM interaction (request summary + response + usage) in order.

    `source` is a loaded trajectory or a path to one (crashed runs included).
    A replay model answers its n-th request with the n-th interaction's
    `response` (`text`, `tool_calls`, `stop_reason`) and may check the request
    against `request.new_messages` (the messages added since the previous call).
    """
    trajectory = source if isinstance(source, Trajectory) else load_trajectory(source)
    yield from sorted(trajectory.llm_interactions, key=lambda call: call.index)
