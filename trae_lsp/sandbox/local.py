"""Sandboxes that run a local process: on the host (`LocalSandbox`) or wrapped in another tool."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from trae_lsp.config_layers import is_secret_key
from trae_lsp.sandbox.base import CommandResult, RunLimits
from trae_lsp.sandbox.process import run_process

SHELL = "/bin/sh"
"""The shell that interprets commands (POSIX; `bash -c` inside still works)."""


def host_environment() -> dict[str, str]:
    """The host's environment without secrets (API keys, tokens, passwords) the agent could echo."""
    return {k: v for k, v in os.environ.items() if not is_secret_key(k)}


class ProcessSandbox:
    """Base of sandboxes that turn a command into an argv and run it as a local process group."""

    name = "process"

    def wrap(self, command: str, *, root: Path, cwd: Path) -> list[str]:
        """The argv that runs `command` in `cwd` inside this sandbox."""
        return [SHELL, "-c", command]

    async def run(
        self,
        command: str,
        *,
        root: Path,
        cwd: Path,
        env: Mapping[str, str],
        limits: RunLimits,
    ) -> CommandResult:
        """Run `command` with a timeout; the whole process group dies on timeout or cancel."""
        argv = self.wrap(command, root=root, cwd=cwd)
        full_env = host_environment() | dict(env)
        return await run_process(argv, command=command, cwd=cwd, env=full_env, limits=limits)


class LocalSandbox(ProcessSandbox):
    """Runs commands directly on the host (the default): the policy is the only guard."""

    name = "local"
