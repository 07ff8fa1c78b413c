"""BubblewrapSandbox really denies the network and writes outside the project."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.sandbox.conftest import process_ended
from trae_lsp.config import SandboxConfig
from trae_lsp.sandbox import (
    BubblewrapSandbox,
    CommandResult,
    RunLimits,
    SandboxUnavailableError,
    create_sandbox,
)


def _bwrap_problem() -> str | None:
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (.ci/run installs it)"
    probe = subprocess.run(
        ["bwrap", "--ro-bind", "/", "/", "--unshare-net", "true"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        return f"bubblewrap cannot create namespaces here: {probe.stderr.decode().strip()}"
    return None


BWRAP_PROBLEM = _bwrap_problem()
pytestmark = pytest.mark.skipif(BWRAP_PROBLEM is not None, reason=str(BWRAP_PROBLEM))

LIMITS = RunLimits(timeout_seconds=60)


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello from the host")

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def host_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    return root


async def _run(sandbox: BubblewrapSandbox, command: str, project: Path) -> CommandResult:
    return await sandbox.run(command, root=project, cwd=project, env={}, limits=LIMITS)


def _fetch(url: str) -> str:
    return f"{sys.executable} -c \"import urllib.request as u; print(u.urlopen('{url}').read())\""


async def test_network_none_cannot_reach_the_host(project: Path, host_server: str) -> None:
    result = await _run(BubblewrapSandbox(network="none"), _fetch(host_server), project)
    assert result.exit_code != 0
    assert "hello from the host" not in result.stdout


async def test_network_host_reaches_the_host(project: Path, host_server: str) -> None:
    result = await _run(BubblewrapSandbox(network="host"), _fetch(host_server), project)
    assert result.exit_code == 0, result.stderr
    assert "hello from the host" in result.stdout


async def test_project_is_writable(project: Path) -> None:
    result = await _run(BubblewrapSandbox(), "echo built > src/out.txt && cat src/out.txt", project)
    assert result.exit_code == 0, result.stderr
    assert (project / "src" / "out.txt").read_text() == "built\n"


async def test_writes_outside_the_project_do_not_reach_the_host(
    project: Path, tmp_path: Path
) -> None:
    sibling = tmp_path / "sibling"
    sibling.mkdir()
    result = await _run(BubblewrapSandbox(), f"echo x > {sibling}/owned", project)
    assert result.exit_code != 0
    assert not (sibling / "owned").exists()


async def test_system_is_read_only(project: Path) -> None:
    result = await _run(BubblewrapSandbox(), "touch /usr/trae-sandbox-probe", project)
    assert result.exit_code != 0
    assert "Read-only file system" in result.stderr
    assert not Path("/usr/trae-sandbox-probe").exists()


async def test_readonly_paths_inside_the_project(project: Path) -> None:
    sandbox = BubblewrapSandbox(readonly_paths=[str(project / "src")])
    result = await _run(sandbox, "touch src/new.py", project)
    assert result.exit_code != 0
    assert not (project / "src" / "new.py").exists()


async def test_writable_paths_are_writable(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    sandbox = BubblewrapSandbox(writable_paths=[str(cache)])
    result = await _run(sandbox, f"echo kept > {cache}/entry", project)
    assert result.exit_code == 0, result.stderr
    assert (cache / "entry").read_text() == "kept\n"


async def test_timeout_kills_the_sandboxed_process_group(project: Path) -> None:
    marker = f"sleep 1000.{secrets.randbelow(10**6):06d}"  # findable from the host pid namespace
    limits = RunLimits(timeout_seconds=3)
    result = await BubblewrapSandbox().run(
        f"{marker} & echo $! > pid; wait", root=project, cwd=project, env={}, limits=limits
    )
    assert result.timed_out
    assert (project / "pid").exists()
    out = subprocess.run(["pgrep", "-f", marker], capture_output=True, check=False)
    assert all(process_ended(int(pid)) for pid in out.stdout.split())


def test_config_selects_bubblewrap() -> None:
    sandbox = create_sandbox(SandboxConfig(kind="bubblewrap", network="none"))
    assert isinstance(sandbox, BubblewrapSandbox)
    with pytest.raises(SandboxUnavailableError, match=r"sandbox\.network"):
        create_sandbox(SandboxConfig(kind="bubblewrap", network="bridge"))
