"""Public facade for sandboxes: `from trae.sandbox import DockerSandbox`."""

from trae_lsp.sandbox import (
    BubblewrapSandbox,
    CommandResult,
    LocalSandbox,
    RunLimits,
    Sandbox,
    SandboxError,
    SandboxUnavailableError,
    create_sandbox,
)
from trae_lsp.sandbox.docker_sandbox import DockerSandbox

__all__ = [
    "BubblewrapSandbox",
    "CommandResult",
    "DockerSandbox",
    "LocalSandbox",
    "RunLimits",
    "Sandbox",
    "SandboxError",
    "SandboxUnavailableError",
    "create_sandbox",
]
