"""How much the budget strategies shrink what an agent run sends, on a real 30-step loop.

`TraeAgent` runs on a temp project of 30 source files (copies of stdlib modules,
cut to 8,000 characters each); a scripted model views one file per step and then
calls `task_done`. What was sent is measured from the requests the model received
(after `MeteredModel` shrank old tool outputs) with `estimate_tokens`, the
characters/4 rule the budget uses. Compared: `normal` and `conservative`.
"""

from __future__ import annotations

import inspect
import json
import tempfile
from importlib import import_module
from pathlib import Path

from trae import TraeAgent
from trae_lsp.llm.budget import estimate_tokens
from trae_lsp.llm.scripted import ScriptedModel, text_response, tool_call_response

STEPS = 30
"""Files viewed, one per model turn."""

FILE_CHARS = 8_000
"""Characters of each project file."""

MODULES = ("textwrap", "json.decoder", "json.encoder", "shlex", "string", "fnmatch")
"""Stdlib modules whose source plays the project's files."""


def make_project(root: Path) -> list[str]:
    """Write the project's files and return their names."""
    sources = [inspect.getsource(import_module(name)) for name in MODULES]
    names = []
    for index in range(STEPS):
        name = f"src/module_{index:02d}.py"
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(sources[index % len(sources)][:FILE_CHARS])
        names.append(name)
    return names


def script(names: list[str]) -> ScriptedModel:
    """Plan, view every file, finish."""
    plan = {"steps": [{"index": 1, "description": "Read the modules"}]}
    responses = [text_response(json.dumps(plan))]
    responses += [
        tool_call_response("view", {"path": n}, call_id=f"c{i}") for i, n in enumerate(names)
    ]
    responses.append(tool_call_response("task_done", {"summary": "read them all"}))
    return ScriptedModel(responses)


def sent_tokens(strategy: str) -> tuple[int, int]:
    """Prompt tokens sent over the whole run, and in its last call."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        model = script(make_project(root))
        agent = TraeAgent(
            model=model, project_path=root, record_trajectory=False, max_steps=STEPS + 1
        )
        result = agent.run("Read every module", budget_strategy=strategy)
        assert result.status == "completed", result.error
    sizes = [estimate_tokens(r.messages, system=r.system, tools=r.tools) for r in model.requests]
    return sum(sizes), sizes[-1]


def main() -> None:
    """Print the table."""
    rows = {strategy: sent_tokens(strategy) for strategy in ("normal", "conservative")}
    base_total = rows["normal"][0]
    print(f"{'strategy':<14}{'tokens sent (run)':>20}{'last call':>12}{'vs normal':>12}")
    for strategy, (total, last) in rows.items():
        saved = 100 * (1 - total / base_total)
        print(f"{strategy:<14}{total:>20,}{last:>12,}{saved:>11.1f}%")


if __name__ == "__main__":
    main()
