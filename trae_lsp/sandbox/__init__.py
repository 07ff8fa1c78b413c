"""Where shell commands run: `local` (default), `bubblewrap` or `docker`, chosen by config."""

from __future__ import annotations

from trae_lsp.config import SandboxConfig
from trae_lsp.sandbox.base import (
    CommandResult,
    RunLimits,
    Sandbox,
    SandboxError,
    SandboxUnavailableError,
)
from trae_lsp.sandbox.bubblewrap import BubblewrapSandbox
from trae_lsp.sandbox.local import LocalSandbox

__all__ = [
    "BubblewrapSandbox",
    "CommandResult",
    "LocalSandbox",
    "RunLimits",
    "Sandbox",
    "SandboxError",
    "SandboxUnavailableError",
    "create_sandbox",
]


def create_sandbox(config: SandboxConfig) -> Sandbox:
    """The sandbox named by `sandbox.kind`, built from the rest of the section."""
    if config.kind == "local":
        return LocalSandbox()
    if config.kind == "bubblewrap":
        return BubblewrapSandbox(
            network=config.network,
            readonly_paths=config.readonly_paths,
            writable_paths=config.writable_paths,
        )
    from trae_lsp.sandbox.docker_sandbox import DockerSandbox  # the SDK is slow to import

    return DockerSandbox(
        image=config.image,
        memory_limit=config.memory_limit,
        cpu_limit=config.cpu_limit,
        network=config.network,
        readonly_paths=config.readonly_paths,
        writable_paths=config.writable_paths,
    )
