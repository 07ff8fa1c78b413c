"""The `shell` tool: `ShellPolicy` check, then the command in a sandbox with a timeout.

In propose mode the command runs in the Workspace's shadow copy (the project with the
agent's edits materialised), so tests see the agent's changes while the user's tree
stays untouched; in apply mode it runs in the project itself.
"""

from __future__ import annotations

import asyncio

from trae_lsp.sandbox import CommandResult, Sandbox, SandboxError, create_sandbox
from trae_lsp.security.shell_policy import (
    ConfirmAnswer,
    ConfirmationRequest,
    ConfirmCallback,
    ShellPolicy,
)
from trae_lsp.tools.base import BaseTool, ConfirmFn, ToolContext, ToolParams, ToolResult
from trae_lsp.tools.shell_executor import ShellExecutor


class ShellParams(ToolParams):
    """Arguments of `shell`."""

    command: str
    """The command line, e.g. `pytest -q tests/test_app.py`. Only allowed commands run."""

    cwd: str | None = None
    """Directory to run in, relative to the project root (default: the root)."""

    timeout_seconds: float | None = None
    """Stop the command sooner than the configured limit (it can never run longer)."""


class ShellTool(BaseTool):
    """Runs an allowed shell command in the project and reports exit code and output."""

    name = "shell"
    description = (
        "Run a shell command in the project root (tests, builds, git status...). Commands pass "
        "an allowlist: use plain allowed programs with literal arguments; pipes, && and ; are "
        "fine. Output is clipped in the middle when long; the exit code is always reported."
    )
    Params = ShellParams

    def __init__(
        self,
        *,
        policy: ShellPolicy | None = None,
        sandbox: Sandbox | None = None,
        confirm: ConfirmCallback | None = None,
    ) -> None:
        self._policy = policy
        self._sandbox = sandbox
        self._confirm = confirm

    async def execute(self, params: ShellParams, ctx: ToolContext) -> ToolResult:
        """Check the policy, then run the command where the Workspace says commands run."""
        ws = ctx.workspace
        root = await asyncio.to_thread(ws.command_root)
        cwd = root / ws.relative(ws.resolve(params.cwd or "."))
        policy = self._policy_for(ctx)
        decision = await policy.authorize(
            params.command, project_root=root, cwd=cwd, confirm=self._confirm_for(ctx)
        )
        if not decision.allowed:
            return ToolResult.error(decision.message())
        settings = ctx.config.tools.shell
        executor = ShellExecutor(root, config=settings, sandbox=self._sandbox_for(ctx))
        timeout = min(params.timeout_seconds or settings.timeout_seconds, settings.timeout_seconds)
        try:
            result = await executor.arun(params.command, cwd=cwd, timeout_seconds=timeout)
        except SandboxError as e:
            return ToolResult.error(f"The sandbox could not run the command: {e}")
        return ToolResult(describe_result(result, timeout), is_error=result.timed_out, value=result)

    def _policy_for(self, ctx: ToolContext) -> ShellPolicy:
        if self._policy is None:  # kept, so allow-for-session answers last the session
            self._policy = ShellPolicy.from_config(ctx.config.tools.shell)
        return self._policy

    def _sandbox_for(self, ctx: ToolContext) -> Sandbox:
        if self._sandbox is None:
            self._sandbox = create_sandbox(ctx.config.sandbox)
        return self._sandbox

    def _confirm_for(self, ctx: ToolContext) -> ConfirmCallback | None:
        if self._confirm is not None:
            return self._confirm
        return None if ctx.confirm is None else yes_no_confirmation(ctx.confirm)


def yes_no_confirmation(ask: ConfirmFn) -> ConfirmCallback:
    """Adapt a yes/no question (terminal, editor dialog) to the policy's confirmation callback."""

    async def confirm(request: ConfirmationRequest) -> ConfirmAnswer:
        return ConfirmAnswer.ALLOW if await ask(request.prompt()) else ConfirmAnswer.DENY

    return confirm


def describe_result(result: CommandResult, timeout_seconds: float) -> str:
    """The observation the model reads: exit status first, then stdout and stderr."""
    if result.timed_out:
        status = (
            f"Timed out after {timeout_seconds:g}s; the command and its child processes were "
            "killed. Run something narrower (one test file, -x) or ask for a longer timeout."
        )
    else:
        status = f"Exit code: {result.exit_code}"
    lines = [status]
    for label, text, size in (
        ("stdout", result.stdout, result.stdout_bytes),
        ("stderr", result.stderr, result.stderr_bytes),
    ):
        if text:
            lines.append(f"--- {label} ({size} bytes) ---\n{text.rstrip(chr(10))}")
    if len(lines) == 1:
        lines.append("(no output)")
    return "\n".join(lines)
