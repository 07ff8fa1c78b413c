"""Running the `trae` agent commands as a user does: a real process against a fake provider."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.fakes.anthropic_server import FakeAnthropic

FAKE_KEY = "sk-ant-fake-cli-key-0123456789"
"""The API key the processes get (tests check it never reaches a trajectory)."""


def provider_env(server: FakeAnthropic | None, home: Path) -> dict[str, str]:
    """The environment of a `trae` process: isolated home, and the fake provider if given."""
    env = {**os.environ, "HOME": str(home), "COLUMNS": "200"}
    if server is not None:
        env["ANTHROPIC_API_KEY"] = FAKE_KEY
        env["TRAE_PROVIDERS__ANTHROPIC__BASE_URL"] = server.url
    return env


def trae_command(*args: str) -> list[str]:
    """The argv of `trae ARGS` with this interpreter."""
    return [sys.executable, "-m", "trae_lsp.cli", *args]


def run_trae(
    *args: str,
    home: Path,
    server: FakeAnthropic | None = None,
    stdin: str | None = None,
    cwd: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `trae ARGS` to completion and capture its output."""
    return subprocess.run(
        trae_command(*args),
        env=provider_env(server, home) | (extra_env or {}),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )


def trajectory_files(home: Path) -> list[Path]:
    """The trajectory summaries written under the default `~/.trae/trajectories`."""
    return sorted((home / ".trae" / "trajectories").glob("*.json"))
