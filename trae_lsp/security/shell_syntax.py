"""Parses shell text into the flat list of simple commands it would run.

Pipelines, `;`, `&&`, `||`, newlines and subshells only decide *when* commands run;
the policy needs *which* commands run, so a `Script` is every simple command in
order, subshells flattened, with `$(...)`/backtick scripts hanging off their words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trae_lsp.security.errors import ShellSyntaxError
from trae_lsp.security.shell_lexer import REDIRECTIONS, IoNumber, Lexer, Operator, Token, Word

_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_SEPARATORS = frozenset({";", "\n"})
_CONNECTORS = frozenset({"&&", "||", "|", "|&"})
_OUTPUT_OPS = frozenset({">", ">>", ">|", "&>", "&>>", "<>", ">&"})


@dataclass(frozen=True)
class Redirect:
    """One redirection such as `> out.txt`, `2>&1` or `< in.txt`."""

    op: str
    """The operator (`>`, `>>`, `<`, `>&`, `<<<`, ...)."""

    fd: int | None
    """The descriptor written before the operator, if any."""

    target: Word
    """The file, descriptor number or here-string after the operator."""

    @property
    def is_fd_dup(self) -> bool:
        """True for `2>&1`-style duplication, which opens no file."""
        return self.op in (">&", "<&") and (self.target.value.isdigit() or self.target.value == "-")

    @property
    def opens_path(self) -> bool:
        """True when the redirection opens the file named by `target`."""
        return self.op != "<<<" and not self.is_fd_dup

    @property
    def writes(self) -> bool:
        """True when the redirection may create or change the target file."""
        return self.op in _OUTPUT_OPS


@dataclass(frozen=True)
class Assignment:
    """A `NAME=value` prefix that sets a variable for (or before) a command."""

    name: str
    word: Word


@dataclass(frozen=True)
class SimpleCommand:
    """One command the shell runs: variables, words and redirections."""

    assignments: tuple[Assignment, ...] = ()
    words: tuple[Word, ...] = ()
    redirects: tuple[Redirect, ...] = ()

    def text(self) -> str:
        """The command as typed, for messages."""
        parts = [f"{a.name}={a.word.raw.partition('=')[2]}" for a in self.assignments]
        parts += [w.raw for w in self.words]
        parts += [f"{r.fd if r.fd is not None else ''}{r.op}{r.target.raw}" for r in self.redirects]
        return " ".join(parts) or "( ... )"

    def all_words(self) -> tuple[Word, ...]:
        """Every word of the command, including assignment values and redirect targets."""
        return (
            tuple(a.word for a in self.assignments)
            + self.words
            + tuple(r.target for r in self.redirects)
        )


@dataclass(frozen=True)
class Script:
    """Every simple command a piece of shell text runs, subshells flattened."""

    commands: tuple[SimpleCommand, ...]


def parse_script(text: str, *, depth: int = 0) -> Script:
    """Parse shell text; raise `ShellSyntaxError` for anything not understood with confidence."""
    return parse_tokens(Lexer(text, parse_tokens, depth=depth).tokens())


def parse_tokens(tokens: list[Token]) -> Script:
    """Turn lexer tokens into a `Script`."""
    parser = _Parser(tokens)
    commands = parser.command_list(in_subshell=False)
    return Script(tuple(commands))


class _Parser:
    """Recursive descent over tokens: lists of pipelines of simple commands or subshells."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def _peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def command_list(self, *, in_subshell: bool) -> list[SimpleCommand]:
        """Commands up to the end (or the `)` closing a subshell)."""
        out: list[SimpleCommand] = []
        expect_command, after_connector = True, False
        while (tok := self._peek()) is not None:
            if isinstance(tok, Operator) and tok.op == ")":
                if not in_subshell:
                    raise ShellSyntaxError("unbalanced )")
                break
            if isinstance(tok, Operator) and tok.op not in REDIRECTIONS and tok.op != "(":
                self.i += 1
                expect_command, after_connector = self._separator(
                    tok.op, expect_command, after_connector
                )
                continue
            if not expect_command:
                raise ShellSyntaxError(f"unexpected {_describe(tok)} after a command")
            out.extend(self._command())
            expect_command, after_connector = False, False
        if after_connector or (in_subshell and not out):
            raise ShellSyntaxError("command missing after an operator")
        if in_subshell:
            if self._peek() is None:
                raise ShellSyntaxError("unbalanced (")
            self.i += 1
        return out

    def _separator(self, op: str, expect_command: bool, after_connector: bool) -> tuple[bool, bool]:
        if op == "&":
            raise ShellSyntaxError("background jobs (&) are not supported")
        if op == ";;":
            raise ShellSyntaxError("';;' outside a case statement")
        if op == "\n" and expect_command:
            return True, after_connector
        if expect_command:
            raise ShellSyntaxError(f"command missing before {op!r}")
        return True, op in _CONNECTORS

    def _command(self) -> list[SimpleCommand]:
        tok = self._peek()
        if isinstance(tok, Operator) and tok.op == "(":
            self.i += 1
            inner = self.command_list(in_subshell=True)
            redirects = self._trailing_redirects()
            return [*inner, SimpleCommand(redirects=redirects)] if redirects else inner
        return [self._simple_command()]

    def _trailing_redirects(self) -> tuple[Redirect, ...]:
        redirects: list[Redirect] = []
        while (tok := self._peek()) is not None:
            if isinstance(tok, IoNumber) or (isinstance(tok, Operator) and tok.op in REDIRECTIONS):
                redirects.append(self._redirect())
            elif isinstance(tok, Word):
                raise ShellSyntaxError(f"unexpected word {tok.raw!r} after a subshell")
            else:
                break
        return tuple(redirects)

    def _simple_command(self) -> SimpleCommand:
        assignments: list[Assignment] = []
        words: list[Word] = []
        redirects: list[Redirect] = []
        while (tok := self._peek()) is not None:
            if isinstance(tok, Word):
                self.i += 1
                match = _ASSIGNMENT.match(tok.raw)
                if not words and match:
                    assignments.append(Assignment(match.group().rstrip("+="), tok))
                elif words or tok.raw != "!":
                    words.append(tok)
            elif isinstance(tok, IoNumber) or tok.op in REDIRECTIONS:
                redirects.append(self._redirect())
            elif tok.op == "(":
                raise ShellSyntaxError("'(' inside a command (functions and arrays)")
            else:
                break
        return SimpleCommand(tuple(assignments), tuple(words), tuple(redirects))

    def _redirect(self) -> Redirect:
        fd: int | None = None
        tok = self._peek()
        if isinstance(tok, IoNumber):
            fd = tok.fd
            self.i += 1
            tok = self._peek()
        if not isinstance(tok, Operator) or tok.op not in REDIRECTIONS:
            raise ShellSyntaxError("file descriptor number without a redirection")
        self.i += 1
        target = self._peek()
        if not isinstance(target, Word):
            raise ShellSyntaxError(f"redirection {tok.op!r} without a target")
        self.i += 1
        return Redirect(tok.op, fd, target)


def _describe(tok: Token) -> str:
    if isinstance(tok, Word):
        return f"word {tok.raw!r}"
    if isinstance(tok, IoNumber):
        return f"descriptor {tok.fd}"
    return f"{tok.op!r}"
