"""Judges every part of a parsed command against the policy's rules.

A part is one simple command after wrappers are followed. Each must be allowed, or
need confirmation; the first part refused raises `CommandDenied` naming it and why.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from trae_lsp.security.errors import CommandDenied, ShellSyntaxError
from trae_lsp.security.shell_lexer import Word
from trae_lsp.security.shell_syntax import Redirect, Script, SimpleCommand, parse_script
from trae_lsp.security.shell_wrappers import WrapperError, find_commands, unwrap

SHELL_KEYWORDS = frozenset(
    {"if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until"}
    | {"for", "select", "function", "in", "[[", "]]", "{", "}"}
)
"""Reserved words: compound commands are refused; simple commands joined by && are enough."""

FORBIDDEN_BUILTINS = frozenset(
    {"eval", "source", ".", "alias", "unalias", "trap", "builtin", "enable", "hash", "fc"}
)
"""Builtins that run or redefine code the policy cannot see; never allowed."""

DANGEROUS_VARIABLES = re.compile(
    r"PATH|LD_\w*|BASH_ENV|ENV|IFS|SHELLOPTS|BASHOPTS|PS4|PROMPT_COMMAND|CDPATH|GLOBIGNORE"
    r"|BASH_FUNC_\w*|GIT_\w*|PAGER|MANPAGER|EDITOR|VISUAL|LESSOPEN|LESSCLOSE|\w*_ASKPASS"
    r"|PYTHONSTARTUP|PYTHONHOME|NODE_OPTIONS|PERL5OPT|RUBYOPT|HOME"
)
"""Variables that make an allowed program run something else; setting them is refused."""

SAFE_DEVICES = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/stdin"})
"""Redirection targets outside the project that are always fine."""

_PROGRAM_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*")
_DIRECTORY_CHANGERS = frozenset({"cd", "pushd"})

IMPLICIT_BUILTINS = frozenset({"cd", "pwd", "true", "false"})
"""Builtins that run nothing and stay allowed without an entry (`cd` only into the project)."""


@dataclass(frozen=True)
class Rules:
    """The policy's lists, pre-parsed: allowed and confirm entries as word tuples."""

    allowed: tuple[tuple[str, ...], ...]
    confirm: tuple[tuple[str, ...], ...]
    blocked: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def build(cls, allowed: list[str], blocked: list[str], confirm: list[str]) -> Rules:
        """Split entries into words and compile blocked patterns."""
        return cls(
            tuple(_entry(e) for e in allowed),
            tuple(_entry(e) for e in confirm),
            tuple((p, _pattern_regex(p)) for p in blocked if p.strip()),
        )


def _entry(text: str) -> tuple[str, ...]:
    words = tuple(shlex.split(text))
    if not words:
        raise ValueError("empty command entry in the shell policy")
    return words


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(w) for w in pattern.split())
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


GIT_HARMLESS_OPTIONS = frozenset({"--no-pager", "-P", "--no-optional-locks"})
"""git options before the subcommand that change only output or locking, so
`git --no-pager diff` matches the entry `git diff`."""


def matches(entry: tuple[str, ...], argv: tuple[Word, ...]) -> bool:
    """True when `argv` starts with exactly the entry's words, all literal."""
    if argv and argv[0].value == "git":
        argv = argv[:1] + tuple(w for w in argv[1:] if w.value not in GIT_HARMLESS_OPTIONS)
    return len(argv) >= len(entry) and all(
        w.static and w.value == e for w, e in zip(argv, entry, strict=False)
    )


@dataclass
class Judge:
    """Walks a script and records which parts need confirmation; raises on a refused part."""

    rules: Rules
    root: Path
    dirs: list[Path]
    confirmations: list[tuple[str, str]] = field(default_factory=list)
    """(part, matched require_confirmation entry) pairs."""

    depth: int = 0
    """How many `sh -c` scripts deep the judge is (bounded by the lexer's MAX_NESTING)."""

    def script(self, script: Script) -> None:
        """Judge every simple command of `script` in order."""
        for cmd in script.commands:
            self.command(cmd)

    def command(self, cmd: SimpleCommand) -> None:
        """Judge one simple command: substitutions, variables, redirections, program."""
        part = cmd.text()
        for word in cmd.all_words():
            for sub in word.substitutions:
                self.script(sub)
        for assignment in cmd.assignments:
            self._variable(assignment.name, part)
        for redirect in cmd.redirects:
            self._redirect(redirect, part)
        if cmd.words:
            self._blocked(" ".join(w.raw for w in cmd.words), part)
            self._blocked(" ".join(w.value for w in cmd.words), part)
            self._program(cmd.words, part)

    def blocked_anywhere(self, text: str) -> None:
        """Refuse the whole command when a blocked pattern appears in it as typed."""
        self._blocked(" ".join(text.split()), text)

    def _program(self, words: tuple[Word, ...], part: str) -> None:
        try:
            target = unwrap(words)
        except WrapperError as e:
            raise CommandDenied(str(e), part) from e
        for name in target.env_assignments:
            self._variable(name, part)
        if target.script is not None:
            self._nested_script(target.script, part)
        if not target.argv:
            return
        argv = target.argv
        self._blocked(" ".join(w.value for w in argv), part)
        if target.open_arguments:
            self._blocked_completion(argv, part)
        self._rule(argv, part)
        if argv[0].value == "find":
            for command in self._find_commands(argv, part):
                self._program(command, part)

    @staticmethod
    def _find_commands(argv: tuple[Word, ...], part: str) -> list[tuple[Word, ...]]:
        try:
            return find_commands(argv)
        except WrapperError as e:
            raise CommandDenied(str(e), part) from e

    def _nested_script(self, script: Word, part: str) -> None:
        try:
            parsed = parse_script(script.value, depth=self.depth + 1)
        except ShellSyntaxError as e:
            raise CommandDenied(f"cannot check the script given to the shell: {e}", part) from e
        self._blocked(" ".join(script.value.split()), part)
        self.depth += 1
        try:
            self.script(parsed)
        finally:
            self.depth -= 1

    def _rule(self, argv: tuple[Word, ...], part: str) -> None:
        name = argv[0]
        if not name.static:
            raise CommandDenied(f"the program name {name.raw!r} is decided at run time", part)
        if "/" in name.value:
            raise CommandDenied(
                f"programs must be named, not given by path ({name.value!r}); "
                f"use the bare name of an allowed command",
                part,
            )
        if not _PROGRAM_NAME.fullmatch(name.value) or name.value in SHELL_KEYWORDS:
            raise CommandDenied(f"shell construct {name.value!r} is not supported", part)
        if name.value in FORBIDDEN_BUILTINS:
            raise CommandDenied(f"{name.value!r} runs code the policy cannot check", part)
        for entry in self.rules.confirm:
            if matches(entry, argv):
                self.confirmations.append((part, " ".join(entry)))
                return
        allowed = any(matches(entry, argv) for entry in self.rules.allowed)
        if not allowed and name.value not in IMPLICIT_BUILTINS:
            raise CommandDenied(self._not_allowed(argv), part)
        if name.value in _DIRECTORY_CHANGERS:
            self._change_directory(argv, part)

    def _not_allowed(self, argv: tuple[Word, ...]) -> str:
        allowed = ", ".join(" ".join(e) for e in self.rules.allowed) or "nothing"
        shown = " ".join(w.value for w in argv[:2])
        return f"'{shown}' is not in allowed_commands (allowed: {allowed})"

    def _change_directory(self, argv: tuple[Word, ...], part: str) -> None:
        if len(argv) != 2 or not argv[1].static:
            raise CommandDenied("cd needs one literal directory inside the project", part)
        self.dirs.extend(self._inside(argv[1].value, part, "cd leads"))

    def _variable(self, name: str, part: str) -> None:
        if DANGEROUS_VARIABLES.fullmatch(name):
            raise CommandDenied(f"setting {name} could make a command run something else", part)

    def _redirect(self, redirect: Redirect, part: str) -> None:
        if not redirect.opens_path:
            return
        target = redirect.target
        if not target.static:
            raise CommandDenied(f"redirection target {target.raw!r} is decided at run time", part)
        if target.value in SAFE_DEVICES:
            return
        verb = "writes" if redirect.writes else "reads"
        self._inside(target.value, part, f"redirection {verb}")

    def _inside(self, path_text: str, part: str, what: str) -> list[Path]:
        path = Path(path_text).expanduser()
        resolved = [(base / path).resolve() for base in self.dirs]
        for candidate in resolved:
            if not candidate.is_relative_to(self.root):
                raise CommandDenied(f"{what} outside the project ({candidate})", part)
        return resolved

    def _blocked(self, text: str, part: str) -> None:
        for pattern, regex in self.rules.blocked:
            if regex.search(text):
                raise CommandDenied(f"matches blocked pattern {pattern!r}", part)

    def _blocked_completion(self, argv: tuple[Word, ...], part: str) -> None:
        text = " ".join(w.value for w in argv)
        for pattern, _ in self.rules.blocked:
            words = pattern.split()
            for k in range(1, len(words)):
                prefix = _pattern_regex(" ".join(words[:k])).pattern
                if re.search(prefix + r"\s*$", text, re.IGNORECASE):
                    raise CommandDenied(
                        f"xargs may complete blocked pattern {pattern!r} with its input", part
                    )
