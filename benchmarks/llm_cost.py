"""What prompt caching saves on a realistic agent run, priced with the real price table.

A 30-step agent conversation (a ~3k-token system prompt, eight tool schemas, and a
history that grows with file contents, test output and edits) goes through
`AnthropicModel` (the real SDK) against the fake Messages API, once with cache
breakpoints and once without. The fake bills input with a fixed rule (tokens =
ceil(chars / 4) per block; a prefix ending at a breakpoint that it has seen before
is a cache read, the rest up to the last breakpoint a cache write). Prices are
`PRICES[MODEL]`. Target: caching cuts the input cost by at least 70 %.
"""

from __future__ import annotations

import asyncio
import inspect
import textwrap
from collections.abc import Sequence
from importlib import import_module

from tests.fakes import FakeAnthropic
from tests.fakes.fixtures import fake_endpoint
from trae_lsp.llm.anthropic import AnthropicModel
from trae_lsp.llm.messages import Message, ToolCall, ToolResultMessage, ToolSpec, Usage, UserMessage
from trae_lsp.llm.pricing import PRICES, Cost, cost_of
from trae_lsp.llm.scripted import tool_call_response

MODEL = "claude-sonnet-4-6"
"""The model whose prices are applied."""

STEPS = 30
"""Model calls in the run."""

TARGET_REDUCTION = 0.70
"""The issue's target: caching cuts the input cost by at least this share."""

SOURCE_MODULES = ("textwrap", "json.decoder", "json.encoder", "shlex", "string", "fnmatch")
"""Stdlib modules (fixed for a given Python) that play the project files the agent reads."""

MAX_FILE_CHARS = 9_000
"""A `read_file` result shows at most this much of a file, as the real tool truncates."""

SYSTEM_RULES = (
    "Work in small verified steps: read before you edit, run the tests after every change.",
    "Edit files only with the edit tools; never rewrite a file you have not read.",
    "Keep changes minimal and in the style of the surrounding code; do not reformat.",
    "When a command fails, read its output and fix the cause, not the symptom.",
    "Never run destructive commands; the shell policy refuses them and wastes a step.",
    "Prefer searching for a symbol over listing directories when you know its name.",
    "Explain briefly what you are about to do before each tool call.",
    "Call task_done with a summary once the tests pass and the task is complete.",
)


def system_prompt() -> str:
    """A realistic agent system prompt: role, rules, and a map of the project."""
    rules = "\n".join(f"{n}. {rule}" for n, rule in enumerate(SYSTEM_RULES * 4, start=1))
    repo_map = "\n".join(
        f"{name.replace('.', '/')}.py: "
        + " ".join(
            f"{fn}()" for fn, _ in inspect.getmembers(import_module(name), inspect.isfunction)
        )
        for name in SOURCE_MODULES
    )
    intro = textwrap.dedent("""\
        You are trae, an autonomous software engineering agent working in a user's
        repository through tools. You plan, read code, edit it, run commands and verify
        your work. Everything you change is shown to the user as a diff for review.""")
    return f"{intro}\n\n# Rules\n{rules}\n\n# Repository map\n{repo_map}\n" * 3


def _schema(**properties: tuple[str, str]) -> dict[str, object]:
    return {
        "type": "object",
        "properties": {k: {"type": t, "description": d} for k, (t, d) in properties.items()},
        "required": list(properties)[:1],
        "additionalProperties": False,
    }


def tool_specs() -> list[ToolSpec]:
    """Eight tools with descriptions and schemas of realistic size."""
    path = ("string", "Path relative to the project root; symlinks must stay inside it.")
    specs = {
        "read_file": (
            "Read a text file, optionally a line range, with line numbers.",
            _schema(
                path=path,
                start_line=("integer", "First line, 1-based."),
                end_line=("integer", "Last line, inclusive."),
            ),
        ),
        "write_file": (
            "Create or overwrite a file with the given content.",
            _schema(path=path, content=("string", "The complete new content.")),
        ),
        "str_replace": (
            "Replace one exact, unique occurrence of a string in a file.",
            _schema(
                path=path,
                old=("string", "Text to find, exactly once."),
                new=("string", "Replacement text."),
            ),
        ),
        "shell": (
            "Run a shell command in the project (policy-checked, with a timeout).",
            _schema(
                command=("string", "The command line."),
                timeout=("number", "Seconds before the process group is killed."),
            ),
        ),
        "grep": (
            "Search file contents with a regular expression, ripgrep style.",
            _schema(pattern=("string", "Regular expression."), glob=("string", "Filter.")),
        ),
        "list_dir": ("List a directory, respecting .gitignore.", _schema(path=path)),
        "think": (
            "Write down reasoning without taking an action.",
            _schema(thought=("string", "Your reasoning.")),
        ),
        "task_done": (
            "Finish the task with a summary of what changed and how it was verified.",
            _schema(summary=("string", "What was done.")),
        ),
    }
    return [
        ToolSpec(name=name, description=(description + " ") * 6, input_schema=schema)
        for name, (description, schema) in specs.items()
    ]


def _tool_output(step: int) -> tuple[str, dict[str, object], str]:
    """The tool call of a step and what it returned: reads, test runs and edits in turn."""
    module = SOURCE_MODULES[step % len(SOURCE_MODULES)]
    kind = step % 3
    if kind == 0:
        source = inspect.getsource(import_module(module))[:MAX_FILE_CHARS]
        return "read_file", {"path": module.replace(".", "/") + ".py"}, source
    if kind == 1:
        failures = "\n".join(
            f"FAILED tests/test_{module.split('.')[-1]}.py::test_case_{n} - AssertionError"
            for n in range(step % 7 + 3)
        )
        return "shell", {"command": "pytest -q"}, f"{failures}\n{step % 7 + 3} failed, 120 passed"
    return "str_replace", {"path": f"{module}.py", "old": "x = 1", "new": "x = 2"}, "replaced 1"


def conversation_script() -> list[tuple[ToolCall, str]]:
    """The tool calls the scripted model makes, with their results."""
    script = []
    for step in range(STEPS):
        name, arguments, output = _tool_output(step)
        script.append((ToolCall(id=f"toolu_{step:02d}", name=name, arguments=arguments), output))
    return script


async def run(caching: bool) -> Usage:
    """Replay the conversation through the Anthropic path; return the summed usage."""
    script = conversation_script()
    responses = [
        tool_call_response(
            call.name,
            call.arguments,
            call_id=call.id,
            text=f"Step {n + 1}: next I use {call.name}.",
        )
        for n, (call, _) in enumerate(script)
    ]
    system, tools = system_prompt(), tool_specs()
    history: list[Message] = [UserMessage(text="Fix the failing tests in the text utilities.")]
    total = Usage()
    with FakeAnthropic(responses, simulate_cache=True) as fake:
        model = AnthropicModel(MODEL, fake_endpoint(fake, prompt_caching=caching))
        for call, output in script:
            response = await model.complete(history, system=system, tools=tools)
            total = total + response.usage
            history += [response.message, ToolResultMessage(tool_call_id=call.id, content=output)]
        await model.aclose()
    return total


def _row(label: str, usage: Usage, cost: Cost) -> str:
    return (
        f"{label:<14}{usage.input_tokens:>12,}{usage.cache_read_tokens:>14,}"
        f"{usage.cache_write_tokens:>14,}{usage.output_tokens:>10,}"
        f"{cost.prompt:>13.4f}{cost.total:>13.4f}"
    )


def report(results: Sequence[tuple[str, Usage]]) -> float:
    """Print the side-by-side table; return the input-cost reduction."""
    price = PRICES[MODEL]
    print(
        f"{STEPS}-step agent run, {MODEL}, USD per Mtok: input {price.input:g}, "
        f"cache read {price.cache_read:g}, cache write {price.cache_write:g}, "
        f"output {price.output:g}"
    )
    print(
        f"{'':<14}{'full-price in':>12}{'cache read':>14}{'cache write':>14}"
        f"{'output':>10}{'input USD':>13}{'total USD':>13}"
    )
    costs = [cost_of(usage, price) for _, usage in results]
    for (label, usage), cost in zip(results, costs, strict=True):
        print(_row(label, usage, cost))
    reduction = 1 - costs[0].prompt / costs[1].prompt
    print(
        f"input cost cut by caching: {reduction:.1%} (target ≥ {TARGET_REDUCTION:.0%}); "
        f"prompt tokens sent: {results[0][1].prompt_tokens:,} vs {results[1][1].prompt_tokens:,}"
    )
    return reduction


async def main() -> int:
    """Run both variants and report; exit 1 if the target is missed."""
    on, off = await run(caching=True), await run(caching=False)
    reduction = report([("caching on", on), ("caching off", off)])
    return 0 if reduction >= TARGET_REDUCTION else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
