"""Verification: find the project's test command and run it where the agent's edits are visible.

In apply mode the tests run in the project; in propose mode in the Workspace's
shadow copy (the overlay materialised), so the user's tree is never touched.
The command must pass the `ShellPolicy` like any command the model runs.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from trae_lsp.security.shell_policy import ShellPolicy, Verdict
from trae_lsp.tools.shell_executor import ShellExecutor
from trae_lsp.workspace import Workspace

PYTEST_COMMAND = "python -m pytest -q -p no:cacheprovider"
"""How Python projects are tested (no `.pytest_cache` left in the project)."""

PYTEST_MARKERS = ("pytest.ini", "conftest.py", "tox.ini", "setup.cfg")
"""Files whose presence says a Python project uses pytest."""

OUTPUT_TAIL_CHARS = 3000
"""Characters of test output kept for the model and the record (the end says what failed)."""


@dataclass(frozen=True)
class Verification:
    """The outcome of running the project's tests once."""

    command: str
    passed: bool
    output: str


def find_test_command(workspace: Workspace) -> str | None:
    """The command that runs the project's tests, or None when none can be found."""
    if _uses_pytest(workspace):
        return PYTEST_COMMAND
    if workspace.exists("package.json") and '"test"' in workspace.read_text("package.json"):
        return "npm test --silent"
    if workspace.exists("Makefile") and "\ntest:" in "\n" + workspace.read_text("Makefile"):
        return "make test"
    return None


def _uses_pytest(workspace: Workspace) -> bool:
    if any(workspace.exists(marker) for marker in PYTEST_MARKERS):
        return True
    if workspace.exists("pyproject.toml") and "pytest" in workspace.read_text("pyproject.toml"):
        return True
    return workspace.is_dir("tests") and any(
        Path(name).name.startswith("test_") and name.endswith(".py")
        for name in workspace.list_dir("tests", depth=3)
    )


class Verifier:
    """Runs the project's tests when it can find them and the shell policy allows them."""

    def __init__(self, policy: ShellPolicy, executor: ShellExecutor) -> None:
        self.policy = policy
        self.executor = executor

    def command_for(self, workspace: Workspace) -> tuple[str | None, str]:
        """The test command and, when there is none to run, why."""
        command = find_test_command(workspace)
        if command is None:
            return None, "no test suite found (pytest, npm test or make test)"
        decision = self.policy.check(command, project_root=workspace.root)
        if decision.verdict is not Verdict.ALLOW:
            return None, f"the shell policy does not allow `{command}`: {decision.reason}"
        return command, ""

    async def run(self, workspace: Workspace, command: str) -> Verification:
        """Run `command` where the agent's edits are visible and report pass or fail."""
        result = await self.executor.arun(
            command, root=workspace.command_root(), env=_test_environment(workspace.root)
        )
        output = f"{result.stderr.strip()}\n{result.stdout.strip()}".strip()  # verdict last
        if result.timed_out:
            output += f"\n(timed out after {self.executor.timeout_seconds:g}s)"
        if len(output) > OUTPUT_TAIL_CHARS:
            output = "…" + output[-OUTPUT_TAIL_CHARS:]
        return Verification(command, result.ok, output)


def _test_environment(project: Path) -> dict[str, str]:
    """`python` resolves to the project's venv if it has one, else to the Python running trae."""
    venv_bin = project / ".venv" / "bin"
    first = venv_bin if venv_bin.is_dir() else Path(sys.executable).parent
    return {
        "PATH": f"{first}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
