"""`ShellPolicy`: which shell commands the agent may run (the article's "Command Allowlist").

Commands are parsed, not substring-matched: every part of a pipeline, list, subshell,
`$(...)`, backtick, `sh -c` script and wrapper (`env`, `xargs`, `timeout`, ...) must
pass. Whatever cannot be parsed with confidence is denied. A part matching
`require_confirmation` runs only after a person says yes through a callback.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from trae_lsp.config import ShellToolConfig
from trae_lsp.security.errors import CommandDenied, ShellSyntaxError
from trae_lsp.security.shell_judge import Judge, Rules
from trae_lsp.security.shell_syntax import parse_script


class Verdict(StrEnum):
    """What the policy says about a command."""

    ALLOW = "allow"
    DENY = "deny"
    CONFIRM = "confirm"


class ConfirmAnswer(StrEnum):
    """What the person asked answered."""

    ALLOW = "allow"
    DENY = "deny"
    ALLOW_FOR_SESSION = "allow_for_session"


@dataclass(frozen=True)
class ConfirmationRequest:
    """The question put to the person: may this command run?"""

    command: str
    """The whole command the agent wants to run."""

    parts: tuple[str, ...]
    """The parts that need confirmation."""

    rules: tuple[str, ...]
    """The `require_confirmation` entries those parts matched (what allow-for-session covers)."""

    def prompt(self) -> str:
        """A one-line question for a terminal or an editor dialog."""
        return f"The agent wants to run `{self.command}` ({', '.join(self.rules)}). Allow it?"


ConfirmCallback = Callable[[ConfirmationRequest], Awaitable[ConfirmAnswer]]
"""Asks a person (terminal prompt, `window/showMessageRequest`) and returns the answer."""


@dataclass(frozen=True)
class PolicyDecision:
    """The policy's answer for one command: allow, deny (why, which part) or confirm (parts)."""

    verdict: Verdict
    command: str
    reason: str = ""
    """Why the command is denied or needs confirmation."""

    part: str | None = None
    """The part that was refused."""

    confirm_parts: tuple[str, ...] = ()
    confirm_rules: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        """True when the command may run now."""
        return self.verdict is Verdict.ALLOW

    def message(self) -> str:
        """What the model reads when the command does not run."""
        if self.verdict is Verdict.ALLOW:
            return f"Command allowed: {self.command}"
        if self.verdict is Verdict.CONFIRM:
            return f"Command needs confirmation ({', '.join(self.confirm_rules)}): {self.command}"
        return (
            f"Command refused by the shell policy: {self.reason}. Refused part: `{self.part}`. "
            "Run only allowed commands, one simple command per part, with literal arguments."
        )


class ShellPolicy:
    """Allowlist, blocked patterns and confirmation rules for the `shell` tool."""

    def __init__(
        self,
        allowed_commands: Iterable[str] | None = None,
        blocked_patterns: Iterable[str] | None = None,
        require_confirmation: Iterable[str] | None = None,
    ) -> None:
        defaults = ShellToolConfig()
        self.allowed_commands = list(
            defaults.allowed_commands if allowed_commands is None else allowed_commands
        )
        self.blocked_patterns = list(
            defaults.blocked_patterns if blocked_patterns is None else blocked_patterns
        )
        self.require_confirmation = list(
            defaults.require_confirmation if require_confirmation is None else require_confirmation
        )
        self._rules = Rules.build(
            self.allowed_commands, self.blocked_patterns, self.require_confirmation
        )
        self._session_allowed: set[str] = set()

    @classmethod
    def from_config(cls, config: ShellToolConfig) -> ShellPolicy:
        """The policy described by `tools.shell`."""
        return cls(config.allowed_commands, config.blocked_patterns, config.require_confirmation)

    def check(
        self,
        command: str,
        *,
        project_root: str | os.PathLike[str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
    ) -> PolicyDecision:
        """Judge `command` without asking anyone; redirections must stay in `project_root`."""
        root = Path(project_root or cwd or os.getcwd()).resolve()
        judge = Judge(self._rules, root, [Path(cwd or root).resolve()])
        try:
            judge.script(parse_script(command))
            judge.blocked_anywhere(command)
        except ShellSyntaxError as e:
            return self._deny(command, f"cannot parse it with confidence: {e}", command)
        except CommandDenied as e:
            return self._deny(command, e.reason, e.part)
        pending = [(p, r) for p, r in judge.confirmations if r not in self._session_allowed]
        if not pending:
            return PolicyDecision(Verdict.ALLOW, command)
        rules = tuple(dict.fromkeys(r for _, r in pending))
        return PolicyDecision(
            Verdict.CONFIRM,
            command,
            reason=f"{', '.join(rules)} requires confirmation",
            confirm_parts=tuple(p for p, _ in pending),
            confirm_rules=rules,
        )

    async def authorize(
        self,
        command: str,
        *,
        project_root: str | os.PathLike[str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        confirm: ConfirmCallback | None = None,
    ) -> PolicyDecision:
        """Judge `command` and settle confirmations through `confirm`; no callback means no."""
        decision = self.check(command, project_root=project_root, cwd=cwd)
        if decision.verdict is not Verdict.CONFIRM:
            return decision
        part = decision.confirm_parts[0]
        if confirm is None:
            reason = f"{decision.reason} and nobody can be asked here"
            return self._deny(command, reason, part)
        request = ConfirmationRequest(command, decision.confirm_parts, decision.confirm_rules)
        answer = ConfirmAnswer(await confirm(request))
        if answer is ConfirmAnswer.DENY:
            return self._deny(command, "the user declined to run it", part)
        if answer is ConfirmAnswer.ALLOW_FOR_SESSION:
            self._session_allowed.update(decision.confirm_rules)
        return PolicyDecision(Verdict.ALLOW, command, reason="confirmed by the user")

    @staticmethod
    def _deny(command: str, reason: str, part: str) -> PolicyDecision:
        return PolicyDecision(Verdict.DENY, command, reason=reason, part=part)
