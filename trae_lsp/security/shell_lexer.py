"""Tokenizer for the subset of POSIX/bash syntax that `ShellPolicy` can judge with confidence.

Anything outside that subset (heredocs, arithmetic, process substitution, ANSI-C quoting,
complex parameter expansion, unbalanced quotes) raises `ShellSyntaxError`: the policy
denies what it cannot read. `$(...)` and backticks are parsed recursively here, through
the `parse` callback, so every command they hide becomes a part the policy checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trae_lsp.security.errors import ShellSyntaxError

if TYPE_CHECKING:
    from trae_lsp.security.shell_syntax import Script

MAX_NESTING = 8
"""Deepest nesting of `$(...)`, backticks and `sh -c` the policy follows before refusing."""

OPERATORS = (
    "&&", "||", ";;", "|&", "&>>", "&>", ">>", ">|", "<<<", "<<", "<>", ">&", "<&",
    "|", "&", ";", "(", ")", "<", ">", "\n",
)  # fmt: skip
"""Control and redirection operators, longest first so the first match is the right one."""

REDIRECTIONS = frozenset({"&>>", "&>", ">>", ">|", "<<<", "<<", "<>", ">&", "<&", "<", ">"})
"""Operators that redirect a file descriptor."""

_METACHARS = frozenset(" \t\n|&;()<>")
_GLOB_CHARS = frozenset("*?[")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPECIAL_PARAMS = frozenset("0123456789@*#?$!-")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

ParseFn = Callable[[list["Token"]], "Script"]
"""Turns the tokens of a nested script into a `Script`."""


@dataclass(frozen=True)
class Word:
    """One shell word: what was typed, and its value once quotes are removed."""

    raw: str
    """The word exactly as typed."""

    value: str
    """The word with quoting removed; expansions are kept as typed."""

    dynamic: bool = False
    """True when the value depends on run time (`$VAR`, `$(...)`, backticks)."""

    pattern: bool = False
    """True when an unquoted glob or brace character may expand it into other words."""

    substitutions: tuple[Script, ...] = ()
    """Scripts run by `$(...)` or backticks inside the word."""

    @property
    def static(self) -> bool:
        """True when the shell will pass exactly `value`, as one word."""
        return not self.dynamic and not self.pattern


@dataclass(frozen=True)
class Operator:
    """A control or redirection operator."""

    op: str


@dataclass(frozen=True)
class IoNumber:
    """The file descriptor number written right before a redirection (`2>`)."""

    fd: int


Token = Word | Operator | IoNumber


class _WordBuilder:
    """Accumulates the pieces of one word while the lexer walks it."""

    def __init__(self) -> None:
        self.value: list[str] = []
        self.dynamic = False
        self.pattern = False
        self.brace = False
        self.substitutions: list[Script] = []


class Lexer:
    """Turns shell text into tokens; `$(...)` and backticks are parsed on the way."""

    def __init__(self, text: str, parse: ParseFn, *, depth: int = 0, pos: int = 0) -> None:
        if depth > MAX_NESTING:
            raise ShellSyntaxError(f"commands nested more than {MAX_NESTING} levels deep")
        if _CONTROL.search(text):
            raise ShellSyntaxError("control characters in the command")
        self.text = text
        self.pos = pos
        self.depth = depth
        self._parse = parse

    def tokens(self, *, closing_paren: bool = False) -> list[Token]:
        """All tokens up to the end, or up to the `)` closing a `$(` when `closing_paren`."""
        out: list[Token] = []
        parens = 0
        while True:
            self._skip_blanks()
            if self.pos >= len(self.text):
                if closing_paren:
                    raise ShellSyntaxError("unterminated $( ... )")
                return out
            op = self._operator()
            if op is None:
                out.append(self._word_or_io_number())
                continue
            if op == ")" and parens == 0 and closing_paren:
                return out
            parens += {"(": 1, ")": -1}.get(op, 0)
            out.append(Operator(op))

    def _skip_blanks(self) -> None:
        text = self.text
        while self.pos < len(text):
            if text[self.pos] in " \t":
                self.pos += 1
            elif text.startswith("\\\n", self.pos):
                self.pos += 2
            elif text[self.pos] == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def _operator(self) -> str | None:
        for op in OPERATORS:
            if self.text.startswith(op, self.pos):
                self.pos += len(op)
                self._refuse_unsupported(op)
                return op
        return None

    def _refuse_unsupported(self, op: str) -> None:
        nxt = self.text[self.pos : self.pos + 1]
        if op in ("<", ">") and nxt == "(":
            raise ShellSyntaxError(f"process substitution {op}( ... )")
        if op == "(" and nxt == "(":
            raise ShellSyntaxError("arithmetic command (( ... ))")
        if op == "<<":
            raise ShellSyntaxError("heredoc (<<)")

    def _word_or_io_number(self) -> Token:
        start = self.pos
        word = self._word()
        if word.raw.isdigit() and self.text[self.pos : self.pos + 1] in ("<", ">"):
            return IoNumber(int(word.raw))
        if not word.raw:
            raise ShellSyntaxError(f"unexpected character {self.text[start]!r}")
        return word

    def _word(self) -> Word:
        start = self.pos
        b = _WordBuilder()
        text = self.text
        while self.pos < len(text) and text[self.pos] not in _METACHARS:
            c = text[self.pos]
            if c == "'":
                b.value.append(self._single_quoted())
            elif c == '"':
                self._double_quoted(b)
            elif c == "\\":
                self._escape(b, quoted=False)
            elif c == "$":
                self._dollar(b, quoted=False)
            elif c == "`":
                self._backticks(b)
            else:
                b.pattern = b.pattern or c in _GLOB_CHARS
                b.brace = b.brace or c == "{"
                b.value.append(c)
                self.pos += 1
        raw = text[start : self.pos]
        return Word(
            raw=raw,
            value="".join(b.value),
            dynamic=b.dynamic,
            pattern=b.pattern or (b.brace and ("," in raw or ".." in raw)),
            substitutions=tuple(b.substitutions),
        )

    def _single_quoted(self) -> str:
        end = self.text.find("'", self.pos + 1)
        if end < 0:
            raise ShellSyntaxError("unbalanced single quote")
        value = self.text[self.pos + 1 : end]
        self.pos = end + 1
        return value

    def _double_quoted(self, b: _WordBuilder) -> None:
        text = self.text
        self.pos += 1
        while self.pos < len(text) and text[self.pos] != '"':
            c = text[self.pos]
            if c == "\\":
                self._escape(b, quoted=True)
            elif c == "$":
                self._dollar(b, quoted=True)
            elif c == "`":
                self._backticks(b)
            else:
                b.value.append(c)
                self.pos += 1
        if self.pos >= len(text):
            raise ShellSyntaxError("unbalanced double quote")
        self.pos += 1

    def _escape(self, b: _WordBuilder, *, quoted: bool) -> None:
        nxt = self.text[self.pos + 1 : self.pos + 2]
        if not nxt:
            raise ShellSyntaxError("trailing backslash")
        self.pos += 2
        if nxt == "\n":
            return
        if quoted and nxt not in '$`"\\':
            b.value.append("\\")
        b.value.append(nxt)

    def _dollar(self, b: _WordBuilder, *, quoted: bool) -> None:
        text, start = self.text, self.pos
        nxt = text[start + 1 : start + 2]
        if nxt == "(":
            self._command_substitution(b)
            return
        if nxt == "{":
            end = text.find("}", start + 2)
            inner = text[start + 2 : end] if end > 0 else ""
            if not (_NAME.fullmatch(inner) or (len(inner) == 1 and inner in _SPECIAL_PARAMS)):
                raise ShellSyntaxError("parameter expansion other than ${NAME}")
            self.pos = end + 1
        elif nxt in ("'", '"') and not quoted:
            kind = "ANSI-C" if nxt == "'" else "locale"
            raise ShellSyntaxError(f"{kind} quoting ${nxt}...{nxt}")
        elif nxt and nxt in _SPECIAL_PARAMS:
            self.pos = start + 2
        elif match := _NAME.match(text, start + 1):
            self.pos = match.end()
        else:
            b.value.append("$")
            self.pos += 1
            return
        b.dynamic = True
        b.value.append(text[start : self.pos])

    def _command_substitution(self, b: _WordBuilder) -> None:
        start = self.pos
        if self.text.startswith("$((", start):
            raise ShellSyntaxError("arithmetic expansion $(( ... ))")
        inner = Lexer(self.text, self._parse, depth=self.depth + 1, pos=start + 2)
        b.substitutions.append(self._parse(inner.tokens(closing_paren=True)))
        self.pos = inner.pos
        b.dynamic = True
        b.value.append(self.text[start : self.pos])

    def _backticks(self, b: _WordBuilder) -> None:
        start = self.pos
        end = self.text.find("`", start + 1)
        if end < 0:
            raise ShellSyntaxError("unbalanced backtick")
        inner = self.text[start + 1 : end]
        if "\\" in inner:
            raise ShellSyntaxError("backslash inside backticks (use $( ... ) instead)")
        self.pos = end + 1
        b.substitutions.append(
            self._parse(Lexer(inner, self._parse, depth=self.depth + 1).tokens())
        )
        b.dynamic = True
        b.value.append(self.text[start : self.pos])
