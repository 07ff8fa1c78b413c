"""Public facade for the shell command policy: `from trae.security import ShellPolicy`."""

from trae_lsp.security.errors import CommandDenied, ShellSyntaxError
from trae_lsp.security.shell_policy import (
    ConfirmAnswer,
    ConfirmationRequest,
    ConfirmCallback,
    PolicyDecision,
    ShellPolicy,
    Verdict,
)

__all__ = [
    "CommandDenied",
    "ConfirmAnswer",
    "ConfirmCallback",
    "ConfirmationRequest",
    "PolicyDecision",
    "ShellPolicy",
    "ShellSyntaxError",
    "Verdict",
]
