"""The `shell` tool: policy first, then the sandbox; propose mode runs in the shadow copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trae_lsp.config import TraeConfig
from trae_lsp.sandbox import BubblewrapSandbox
from trae_lsp.security.shell_policy import ConfirmAnswer, ConfirmationRequest, ShellPolicy
from trae_lsp.tools.base import ToolContext
from trae_lsp.tools.shell import ShellTool
from trae_lsp.workspace import Workspace


def _config(**shell: object) -> TraeConfig:
    return TraeConfig.model_validate({"tools": {"shell": shell}})


async def test_allowed_command_reports_exit_code_and_output(ctx: ToolContext) -> None:
    result = await ShellTool().invoke({"command": "ls src && cat README.md"}, ctx)
    assert not result.is_error
    assert result.output.splitlines()[:2] == ["Exit code: 0", "--- stdout (23 bytes) ---"]
    assert "app.py" in result.output and "# demo" in result.output
    assert result.value.exit_code == 0


async def test_failing_command_is_an_observation_not_an_error(ctx: ToolContext) -> None:
    result = await ShellTool().invoke(
        {"command": "python -c 'import sys; sys.exit(\"boom\")'"}, ctx
    )
    assert not result.is_error
    assert result.output == "Exit code: 1\n--- stderr (5 bytes) ---\nboom"


async def test_denied_command_names_the_part_and_does_not_run(
    ctx: ToolContext, project: Path
) -> None:
    result = await ShellTool().invoke({"command": "ls && rm -rf src"}, ctx)
    assert result.is_error
    assert "Refused part: `rm -rf src`" in result.output
    assert (project / "src" / "app.py").exists()


async def test_confirmation_goes_through_the_context(project: Path) -> None:
    asked: list[str] = []

    async def yes(question: str) -> bool:
        asked.append(question)
        return True

    config = _config(allowed_commands=["ls"], require_confirmation=["python"])
    ctx = ToolContext(workspace=Workspace(project), config=config, confirm=yes)
    result = await ShellTool().invoke({"command": "python -c 'print(42)'"}, ctx)
    assert "42" in result.output and len(asked) == 1
    ctx.confirm = None
    refused = await ShellTool().invoke({"command": "python -c 'print(42)'"}, ctx)
    assert refused.is_error and "nobody can be asked" in refused.output


async def test_allow_for_session_through_an_explicit_callback(project: Path) -> None:
    asked: list[ConfirmationRequest] = []

    async def always(request: ConfirmationRequest) -> ConfirmAnswer:
        asked.append(request)
        return ConfirmAnswer.ALLOW_FOR_SESSION

    tool = ShellTool(policy=ShellPolicy(["ls"], [], ["python"]), confirm=always)
    ctx = ToolContext(workspace=Workspace(project))
    for _ in range(2):
        assert not (await tool.invoke({"command": "python -c pass"}, ctx)).is_error
    assert len(asked) == 1


async def test_timeout_is_an_error_with_advice(project: Path) -> None:
    ctx = ToolContext(workspace=Workspace(project), config=_config(timeout_seconds=1))
    command = "python -c 'import time; time.sleep(1000)'"
    result = await ShellTool().invoke({"command": command, "timeout_seconds": 500}, ctx)
    assert result.is_error
    assert result.output.startswith("Timed out after 1s")


async def test_cwd_is_confined_to_the_project(ctx: ToolContext) -> None:
    inside = await ShellTool().invoke({"command": "ls", "cwd": "src"}, ctx)
    assert "app.py" in inside.output
    outside = await ShellTool().invoke({"command": "ls", "cwd": "../.."}, ctx)
    assert outside.is_error


async def test_propose_mode_runs_against_the_agents_edits(project: Path) -> None:
    with Workspace(project, mode="propose") as ws:
        ws.write_text("src/app.py", "print('edited by the agent')\n")
        ctx = ToolContext(workspace=ws)
        result = await ShellTool().invoke({"command": "python src/app.py > out.txt"}, ctx)
        assert not result.is_error, result.output
        shown = await ShellTool().invoke({"command": "cat out.txt"}, ctx)
        assert "edited by the agent" in shown.output
    assert (project / "src" / "app.py").read_text().startswith("import os")
    assert not (project / "out.txt").exists()


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
async def test_bubblewrap_sandbox_through_the_tool(ctx: ToolContext, project: Path) -> None:
    tool = ShellTool(sandbox=BubblewrapSandbox())
    result = await tool.invoke({"command": "ls > listing.txt; cat listing.txt"}, ctx)
    assert "src" in result.output
    assert (project / "listing.txt").exists()


async def test_missing_cwd_is_an_error_the_model_can_fix(ctx: ToolContext) -> None:
    result = await ShellTool().invoke({"command": "ls", "cwd": "no/such/dir"}, ctx)
    assert result.is_error
    assert "does not exist" in result.output
