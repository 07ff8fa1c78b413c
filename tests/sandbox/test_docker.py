"""DockerSandbox: a clear error without a daemon; a real run only where a daemon answers."""

from __future__ import annotations

from pathlib import Path

import docker
import docker.errors
import pytest

from trae.sandbox import DockerSandbox
from trae_lsp.config import SandboxConfig
from trae_lsp.sandbox import RunLimits, SandboxUnavailableError, create_sandbox


def test_unreachable_daemon_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(
        SandboxUnavailableError, match=r"Docker daemon is not reachable.*sandbox\.kind"
    ):
        DockerSandbox().connect()


def test_article_arguments_become_mounts_and_limits(tmp_path: Path) -> None:
    sandbox = DockerSandbox(
        image="python:3.12-slim",
        memory_limit="2g",
        cpu_limit=1.0,
        network="none",
        readonly_paths=["/project/src"],
        writable_paths=["/project/tests", "/tmp"],
    )
    assert sandbox.volumes(Path("/project")) == {
        "/project": {"bind": "/project", "mode": "rw"},
        "/project/tests": {"bind": "/project/tests", "mode": "rw"},
        "/tmp": {"bind": "/tmp", "mode": "rw"},
        "/project/src": {"bind": "/project/src", "mode": "ro"},
    }


def test_config_selects_docker() -> None:
    sandbox = create_sandbox(SandboxConfig(kind="docker", image="alpine:3", memory_limit="1g"))
    assert isinstance(sandbox, DockerSandbox)
    assert (sandbox.image, sandbox.memory_limit, sandbox.network) == ("alpine:3", "1g", "none")


def _daemon_problem(image: str) -> str | None:
    try:
        client = docker.from_env()
        client.ping()
        client.images.get(image)
    except docker.errors.ImageNotFound:
        return f"image {image} is not pulled and tests never download it"
    except docker.errors.DockerException as e:
        return f"no Docker daemon reachable ({e}); DockerSandbox runs only where Docker runs"
    return None


IMAGE = "python:3.12-slim"
DOCKER_PROBLEM = _daemon_problem(IMAGE)


@pytest.mark.skipif(DOCKER_PROBLEM is not None, reason=str(DOCKER_PROBLEM))
async def test_runs_in_a_container_without_network(tmp_path: Path) -> None:
    sandbox = DockerSandbox(image=IMAGE, network="none", memory_limit="256m", cpu_limit=1.0)
    connect = "import socket; socket.create_connection(('1.1.1.1', 53), 2)"
    result = await sandbox.run(
        f'echo inside > out.txt; cat out.txt; python -c "{connect}"',
        root=tmp_path,
        cwd=tmp_path,
        env={"GREETING": "hi"},
        limits=RunLimits(timeout_seconds=60),
    )
    assert result.stdout.startswith("inside")
    assert result.exit_code != 0
    assert (tmp_path / "out.txt").read_text() == "inside\n"
