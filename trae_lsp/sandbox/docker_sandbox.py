"""`DockerSandbox`: runs each command in a fresh container (the article's "Sandboxed Execution").

Built on the official `docker` SDK. The project is bind-mounted at its own path so
paths in output match the host; `readonly_paths` and `writable_paths` are bound at
their own paths too. On timeout or cancellation the container is stopped (Docker
sends SIGTERM, then SIGKILL after the grace period) and always removed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import docker
import docker.errors
import requests.exceptions
from docker.models.containers import Container

from trae_lsp.sandbox.base import CommandResult, RunLimits, SandboxError, SandboxUnavailableError
from trae_lsp.sandbox.output import HeadTailBuffer

NANO_CPUS_PER_CPU = 1_000_000_000
"""Docker counts CPU quota in billionths of a CPU."""


class DockerSandbox:
    """Runs commands in a throwaway container with memory, CPU and network limits."""

    name = "docker"

    def __init__(
        self,
        image: str = "python:3.12-slim",
        memory_limit: str | None = None,
        cpu_limit: float | None = None,
        network: str = "none",
        readonly_paths: Sequence[str] = (),
        writable_paths: Sequence[str] = (),
    ) -> None:
        self.image = image
        self.memory_limit = memory_limit
        self.cpu_limit = cpu_limit
        self.network = network
        self.readonly_paths = [str(Path(p).expanduser()) for p in readonly_paths]
        self.writable_paths = [str(Path(p).expanduser()) for p in writable_paths]
        self._client: docker.DockerClient | None = None

    def connect(self) -> docker.DockerClient:
        """The Docker client, connected and answering; raises `SandboxUnavailableError` if not."""
        if self._client is None:
            try:
                client = docker.from_env()
                client.ping()
            except docker.errors.DockerException as e:
                raise SandboxUnavailableError(
                    f"the Docker daemon is not reachable ({e}); start Docker, point DOCKER_HOST "
                    "at it, or set sandbox.kind to 'bubblewrap' or 'local'"
                ) from e
            self._client = client
        return self._client

    async def run(
        self,
        command: str,
        *,
        root: Path,
        cwd: Path,
        env: Mapping[str, str],
        limits: RunLimits,
    ) -> CommandResult:
        """Run `command` in a new container; it is removed whatever happens."""
        client = await asyncio.to_thread(self.connect)
        container = await asyncio.to_thread(self._start, client, command, root, cwd, env)
        try:
            exit_code, timed_out = await asyncio.to_thread(self._wait, container, limits)
            out, err = await asyncio.to_thread(_collect_logs, container, limits.max_output_bytes)
        except asyncio.CancelledError:
            await asyncio.to_thread(container.stop, timeout=limits.kill_grace_seconds)
            raise
        finally:
            await asyncio.to_thread(container.remove, force=True)
        return CommandResult(
            command=command,
            exit_code=exit_code,
            stdout=out.text(),
            stderr=err.text(),
            timed_out=timed_out,
            stdout_bytes=out.total,
            stderr_bytes=err.total,
            truncated=out.truncated or err.truncated,
        )

    def volumes(self, root: Path) -> dict[str, dict[str, str]]:
        """Bind mounts: the project and writable paths read-write, readonly paths read-only."""
        binds = {str(root): {"bind": str(root), "mode": "rw"}}
        binds |= {p: {"bind": p, "mode": "rw"} for p in self.writable_paths}
        binds |= {p: {"bind": p, "mode": "ro"} for p in self.readonly_paths}
        return binds

    def _start(
        self,
        client: docker.DockerClient,
        command: str,
        root: Path,
        cwd: Path,
        env: Mapping[str, str],
    ) -> Container:
        options: dict[str, Any] = {"network_mode": self.network}
        if self.memory_limit:
            options["mem_limit"] = self.memory_limit
        if self.cpu_limit:
            options["nano_cpus"] = int(self.cpu_limit * NANO_CPUS_PER_CPU)
        try:
            return client.containers.run(
                self.image,
                ["/bin/sh", "-c", command],
                detach=True,
                working_dir=str(cwd),
                environment=dict(env),
                volumes=self.volumes(root),
                **options,
            )
        except docker.errors.ImageNotFound as e:
            raise SandboxError(
                f"docker image {self.image!r} is not available; pull it or set sandbox.image"
            ) from e
        except docker.errors.APIError as e:
            raise SandboxError(f"docker could not start the container: {e.explanation}") from e

    @staticmethod
    def _wait(container: Container, limits: RunLimits) -> tuple[int | None, bool]:
        try:
            status = container.wait(timeout=limits.timeout_seconds)
        except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
            container.stop(timeout=limits.kill_grace_seconds)
            status = container.wait()
            return int(status["StatusCode"]), True
        return int(status["StatusCode"]), False


def _collect_logs(container: Container, limit: int) -> tuple[HeadTailBuffer, HeadTailBuffer]:
    """The container's stdout and stderr, streamed through bounded buffers."""
    buffers = []
    for stdout in (True, False):
        buffer = HeadTailBuffer(limit)
        for chunk in container.logs(stdout=stdout, stderr=not stdout, stream=True):
            buffer.feed(chunk)
        buffers.append(buffer)
    return buffers[0], buffers[1]
