"""What a sandbox is: a place that runs one shell command in a directory with an environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from trae_lsp.errors import TraeError

KILL_GRACE_SECONDS = 2.0
"""Time between SIGTERM and SIGKILL when a command is stopped."""

MAX_OUTPUT_BYTES = 30_000
"""Default bytes kept per stream (head and tail); the middle is dropped and counted."""


class SandboxError(TraeError):
    """A sandbox cannot run the command; the message says what to change."""


class SandboxUnavailableError(SandboxError):
    """The sandbox's runtime (bwrap binary, Docker daemon) is missing or unreachable."""


@dataclass(frozen=True)
class RunLimits:
    """Limits for one command."""

    timeout_seconds: float
    """Kill the whole process group after this long."""

    max_output_bytes: int = MAX_OUTPUT_BYTES
    """Bytes kept per stream; longer output keeps its head and tail."""

    kill_grace_seconds: float = KILL_GRACE_SECONDS
    """How long SIGTERM has to work before SIGKILL."""


@dataclass(frozen=True)
class CommandResult:
    """What a command did: exit code, (truncated) output and whether it timed out."""

    command: str
    exit_code: int | None
    """The exit status; negative when a signal ended it (`-9` for SIGKILL)."""

    stdout: str
    stderr: str
    timed_out: bool = False
    stdout_bytes: int = 0
    """Bytes the command wrote to stdout, including any dropped by truncation."""

    stderr_bytes: int = 0
    truncated: bool = False
    """True when the middle of stdout or stderr was dropped."""

    duration_seconds: float = 0.0

    @property
    def returncode(self) -> int | None:
        """The exit code under its `subprocess` name."""
        return self.exit_code

    @property
    def ok(self) -> bool:
        """True when the command finished in time with exit code 0."""
        return self.exit_code == 0 and not self.timed_out


class Sandbox(Protocol):
    """Runs a shell command somewhere: the host, a namespace, a container."""

    @property
    def name(self) -> str:
        """Short name for messages and config (`local`, `bubblewrap`, `docker`)."""
        ...

    async def run(
        self,
        command: str,
        *,
        root: Path,
        cwd: Path,
        env: Mapping[str, str],
        limits: RunLimits,
    ) -> CommandResult:
        """Run `command` with `/bin/sh -c` in `cwd`; `root` is the project, always writable.

        `env` holds variables set on top of the sandbox's own environment (the host's,
        secrets removed, for process sandboxes; the image's for containers).
        """
        ...
