"""The scripted model turns that record the demo: what a model does to fix the calculator bug.

`trae demo --record` drives the real agent with these answers on a copy of
`examples/calculator`; the resulting trajectory is what the offline demo replays.
Tests use the same script to exercise a full run.
"""

from __future__ import annotations

import json

from trae_lsp.llm.messages import Response
from trae_lsp.llm.scripted import text_response, tool_call_response

DEMO_TASK = (
    "median() in calculator/stats.py is wrong for an even number of values, so "
    "tests/test_stats.py::test_median_even fails. Fix the bug and make the tests pass."
)
"""The task the demo gives the agent."""

STATS_FILE = "calculator/stats.py"

BUGGY_RETURN = "    return ordered[middle]\n"
"""The line of `median` that returns the upper middle value for even counts."""

FIXED_RETURN = (
    "    if len(ordered) % 2:\n"
    "        return ordered[middle]\n"
    "    return (ordered[middle - 1] + ordered[middle]) / 2\n"
)
"""What a model replaces it with: the mean of the two middle values for even counts."""


TEST_COMMAND = "python -m pytest -q -p no:cacheprovider"
"""How the scripted model runs the tests with the `shell` tool."""


def demo_plan() -> str:
    """The plan a model answers the planner with, as JSON text."""
    steps = [
        ("Read median() and run the failing test", ["view", "shell"], [STATS_FILE]),
        ("Return the mean of the two middle values for even counts", ["str_replace"], [STATS_FILE]),
        ("Run the whole test suite, then finish", ["shell", "task_done"], []),
    ]
    return json.dumps(
        {
            "steps": [
                {"index": i, "description": d, "required_tools": t, "affected_files": f}
                for i, (d, t, f) in enumerate(steps, start=1)
            ]
        }
    )


def calculator_fix_script() -> list[Response]:
    """The model's answers, in order: plan, look, reproduce, fix, test, finish."""
    return [
        text_response(demo_plan()),
        tool_call_response(
            "view",
            {"path": STATS_FILE},
            call_id="call_view_stats",
            text="Let me look at median() first.",
        ),
        tool_call_response(
            "shell",
            {"command": f"{TEST_COMMAND} tests/test_stats.py::test_median_even"},
            call_id="call_reproduce",
            text="For [4, 1, 3, 2] it returns ordered[2] = 3 instead of 2.5. Reproducing:",
        ),
        tool_call_response(
            "str_replace",
            {"path": STATS_FILE, "old_str": BUGGY_RETURN, "new_str": FIXED_RETURN},
            call_id="call_fix_median",
            text="For an even count median() must average the two middle values.",
        ),
        tool_call_response(
            "shell", {"command": TEST_COMMAND}, call_id="call_run_tests", text="Now the suite:"
        ),
        tool_call_response(
            "task_done",
            {"summary": "median() now averages the two middle values for even counts."},
            call_id="call_done",
        ),
    ]
