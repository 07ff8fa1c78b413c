"""Typed errors of the security layer."""

from trae_lsp.errors import TraeError


class ShellSyntaxError(TraeError):
    """Shell text uses syntax the policy cannot judge with confidence, so it is refused."""


class CommandDenied(TraeError):
    """A part of a command is refused; `part` says which and the message says why."""

    def __init__(self, reason: str, part: str) -> None:
        super().__init__(f"{reason} (in: {part})")
        self.reason = reason
        self.part = part
