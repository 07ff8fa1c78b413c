"""`ShellExecutor`: runs shell commands with a timeout, in a sandbox (the article's `shell.run`).

The core is asynchronous so a language server can run several commands at once and
cancel them; `run` is the article's synchronous face over it. The executor does not
judge commands: the `shell` tool checks `ShellPolicy` first.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from trae_lsp.config import ShellToolConfig
from trae_lsp.config_layers import load_config
from trae_lsp.sandbox import CommandResult, RunLimits, Sandbox, create_sandbox
from trae_lsp.tools.sync import run_sync

__all__ = ["ShellExecutor", "ShellResult", "run_sync"]

ShellResult = CommandResult
"""What `ShellExecutor.run` returns: `exit_code`, `stdout`, `stderr`, `timed_out`, ..."""


class ShellExecutor:
    """Runs shell commands in `working_dir` with a timeout; the process group dies with them.

    Without `config` and `sandbox`, both come from the layered configuration of
    `working_dir` (`tools.shell`, `sandbox`), as for the article's bare `ShellExecutor()`.
    """

    def __init__(
        self,
        working_dir: str | os.PathLike[str] | None = None,
        *,
        timeout_seconds: float | None = None,
        max_output_bytes: int | None = None,
        sandbox: Sandbox | None = None,
        env: Mapping[str, str] | None = None,
        config: ShellToolConfig | None = None,
    ) -> None:
        self.working_dir = Path(working_dir or os.getcwd()).resolve()
        if config is None or sandbox is None:  # the article's bare ShellExecutor(): read config
            loaded = load_config(self.working_dir).config
            config = config or loaded.tools.shell
            sandbox = sandbox or create_sandbox(loaded.sandbox)
        self.timeout_seconds = timeout_seconds or config.timeout_seconds
        self.max_output_bytes = max_output_bytes or config.max_output_bytes
        self.sandbox = sandbox
        self.env = dict(env or {})

    async def arun(
        self,
        command: str,
        *,
        cwd: str | os.PathLike[str] | None = None,
        root: str | os.PathLike[str] | None = None,
        timeout_seconds: float | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        """Run `command`; `cwd` is relative to `root` (default: the working dir, the project)."""
        base = Path(root).resolve() if root is not None else self.working_dir
        limits = RunLimits(
            timeout_seconds=timeout_seconds or self.timeout_seconds,
            max_output_bytes=self.max_output_bytes,
        )
        return await self.sandbox.run(
            command,
            root=base,
            cwd=(base / cwd).resolve() if cwd is not None else base,
            env=self.env | dict(env or {}),
            limits=limits,
        )

    def run(
        self,
        command: str,
        *,
        cwd: str | os.PathLike[str] | None = None,
        timeout_seconds: float | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        """Run `command` and wait for it (from sync code, or even inside a running loop)."""
        return run_sync(self.arun(command, cwd=cwd, timeout_seconds=timeout_seconds, env=env))
