"""A copy of the demo's calculator project and helpers to script agent runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from trae_lsp.events import AgentEvent
from trae_lsp.llm.messages import Response, Usage
from trae_lsp.llm.scripted import text_response

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
"""The repository's sample projects."""


def copy_calculator(target: Path) -> Path:
    """A fresh copy of `examples/calculator` (with its failing test) under `target`."""
    shutil.copytree(
        EXAMPLES / "calculator",
        target,
        ignore=shutil.ignore_patterns(".pytest_cache", "__pycache__"),
    )
    return target


@pytest.fixture
def calculator(tmp_path: Path) -> Path:
    """The calculator project in a temp dir; `median` of an even count is wrong."""
    return copy_calculator(tmp_path / "calculator")


def plan_response(
    *descriptions: str, tools: tuple[str, ...] = (), usage: Usage | None = None
) -> Response:
    """A planner answer with one step per description."""
    steps = [
        {"index": i, "description": d, "required_tools": list(tools), "affected_files": []}
        for i, d in enumerate(descriptions or ("Do the task",), start=1)
    ]
    return text_response(json.dumps({"steps": steps}), usage=usage)


def kinds(events: list[AgentEvent]) -> list[str]:
    """The event kinds, in order."""
    return [event.kind for event in events]
