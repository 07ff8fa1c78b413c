"""A real redis-server on a free port for the cache tests; skipped only without the binary."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator

import pytest

READY_LINE = b"Ready to accept connections"
"""What redis-server logs once it serves clients."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def redis_port() -> Iterator[int]:
    """Start redis-server without persistence and wait for its ready line."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    port = _free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert server.stdout is not None
    for line in server.stdout:  # blocks on the log, no polling
        if READY_LINE in line:
            break
    else:
        pytest.fail(f"redis-server exited with {server.wait()} before it was ready")
    yield port
    server.terminate()
    server.wait()
    server.stdout.close()
