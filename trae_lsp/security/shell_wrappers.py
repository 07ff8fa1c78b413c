"""Sees through commands that run another command: `env`, `xargs`, `timeout`, `sh -c`, ...

`timeout 5 rm -rf /` runs `rm`, so the policy must judge `rm`. Each wrapper's options
are parsed from a small table; an option the table does not know is refused rather
than guessed, because a misread option would shift which word is the real program.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from trae_lsp.security.shell_lexer import Word

SHELLS = frozenset({"sh", "bash", "dash"})
"""Shells whose `-c SCRIPT` is parsed and judged like the outer command."""


@dataclass(frozen=True)
class OptionSpec:
    """The options one wrapper accepts before the command it runs."""

    flags: str = ""
    """Short options without a value (`-i`)."""

    valued: str = ""
    """Short options that take a value (`-u NAME`)."""

    long_flags: frozenset[str] = frozenset()
    long_valued: frozenset[str] = frozenset()
    positionals: int = 0
    """Plain words between the options and the command (timeout's DURATION)."""


_SPECS: dict[str, OptionSpec] = {
    "env": OptionSpec("i0v", "u", frozenset({"ignore-environment", "null"}), frozenset({"unset"})),
    "nice": OptionSpec("", "n", long_valued=frozenset({"adjustment"})),
    "timeout": OptionSpec(
        "v",
        "sk",
        frozenset({"preserve-status", "foreground", "verbose"}),
        frozenset({"signal", "kill-after"}),
        positionals=1,
    ),
    "command": OptionSpec("pvV"),
    "exec": OptionSpec("cl", "a"),
    "nohup": OptionSpec(),
    "time": OptionSpec("p"),
    "xargs": OptionSpec(
        "0rtx",
        "InPdLsEa",
        frozenset({"null", "no-run-if-empty", "verbose", "exit"}),
        frozenset({"max-args", "max-procs", "delimiter", "max-lines", "max-chars", "eof"}),
    ),
    "sh": OptionSpec("eufxvc", "o", frozenset({"norc", "noprofile", "posix"})),
}
_SPECS["bash"] = _SPECS["dash"] = _SPECS["sh"]

WRAPPERS = frozenset(_SPECS)
"""Programs that run the command given in their arguments."""

FIND_ACTIONS = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
"""`find` predicates that run a command of their own."""

_ENV_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_NICE_NUMBER = re.compile(r"-[0-9]+")


class WrapperError(ValueError):
    """A wrapper is used in a way the policy cannot follow."""


@dataclass(frozen=True)
class Unwrapped:
    """What a chain of wrappers finally runs."""

    argv: tuple[Word, ...]
    """The real program and its arguments (empty when nothing runs)."""

    env_assignments: tuple[str, ...] = ()
    """Variables set by `env NAME=value`."""

    script: Word | None = None
    """The script of `sh -c SCRIPT`, to be parsed and judged in turn."""

    open_arguments: bool = False
    """True when `xargs` appends arguments nobody can see in advance."""


@dataclass(frozen=True)
class _Options:
    seen: frozenset[str]
    values: dict[str, str]
    rest: tuple[Word, ...]


def unwrap(argv: Sequence[Word]) -> Unwrapped:
    """Follow wrappers until the real program; raise `WrapperError` when that is unclear."""
    words, env, open_args = tuple(argv), list[str](), False
    while words and words[0].static and words[0].value in WRAPPERS:
        name, current = words[0].value, words
        opts = _parse_options(name, _SPECS[name], words[1:])
        words = opts.rest
        if name in SHELLS:
            if "c" not in opts.seen:
                return Unwrapped(current, tuple(env), None, open_args)
            return Unwrapped((), tuple(env), _shell_script(name, words), open_args)
        if name == "env":
            words = _take_env_assignments(words, env)
        elif name == "command" and opts.seen & {"v", "V"}:
            return Unwrapped((), tuple(env))
        elif name == "xargs":
            words, open_args = _xargs_command(opts, words), True
        if not words and name in ("exec", "command", "nohup", "timeout", "nice", "time"):
            raise WrapperError(f"'{name}' without a command to run")
    return Unwrapped(words, tuple(env), None, open_args)


def _parse_options(name: str, spec: OptionSpec, args: tuple[Word, ...]) -> _Options:
    seen: set[str] = set()
    values: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        text = arg.value
        if not text.startswith("-") or (text == "-" and name != "env"):
            break
        if not arg.static:
            raise WrapperError(f"option {arg.raw!r} of '{name}' is not a literal")
        i += 1
        if text == "--":
            break
        if text == "-" or (name == "nice" and _NICE_NUMBER.fullmatch(text)):
            seen.add(text)
        elif text.startswith("--"):
            i = _long_option(name, spec, text[2:], args, i, seen, values)
        else:
            i = _short_options(name, spec, text[1:], args, i, seen, values)
    if len(args) - i < spec.positionals:
        raise WrapperError(f"'{name}' is missing its arguments")
    for word in args[i : i + spec.positionals]:
        if not word.static:
            raise WrapperError(f"argument {word.raw!r} of '{name}' is not a literal")
    return _Options(frozenset(seen), values, args[i + spec.positionals :])


def _long_option(
    name: str,
    spec: OptionSpec,
    body: str,
    args: tuple[Word, ...],
    i: int,
    seen: set[str],
    values: dict[str, str],
) -> int:
    key, has_value, value = body.partition("=")
    if key in spec.long_flags and not has_value:
        seen.add(key)
        return i
    if key not in spec.long_valued:
        raise WrapperError(f"unsupported option --{key} of '{name}'")
    if not has_value:
        value, i = _option_value(name, key, args, i)
    seen.add(key)
    values[key] = value
    return i


def _short_options(
    name: str,
    spec: OptionSpec,
    cluster: str,
    args: tuple[Word, ...],
    i: int,
    seen: set[str],
    values: dict[str, str],
) -> int:
    for pos, flag in enumerate(cluster):
        if flag in spec.flags:
            seen.add(flag)
            continue
        if flag not in spec.valued:
            raise WrapperError(f"unsupported option -{flag} of '{name}'")
        value = cluster[pos + 1 :]
        if not value:
            value, i = _option_value(name, flag, args, i)
        seen.add(flag)
        values[flag] = value
        return i
    return i


def _option_value(name: str, key: str, args: tuple[Word, ...], i: int) -> tuple[str, int]:
    if i >= len(args):
        raise WrapperError(f"option {key} of '{name}' needs a value")
    if not args[i].static:
        raise WrapperError(f"value {args[i].raw!r} of option {key} of '{name}' is not a literal")
    return args[i].value, i + 1


def _take_env_assignments(words: tuple[Word, ...], env: list[str]) -> tuple[Word, ...]:
    while words and _ENV_ASSIGNMENT.match(words[0].value):
        if not words[0].static:
            raise WrapperError(f"'env {words[0].raw}' sets a variable to a run-time value")
        env.append(words[0].value.partition("=")[0])
        words = words[1:]
    return words


def _xargs_command(opts: _Options, words: tuple[Word, ...]) -> tuple[Word, ...]:
    if not words:
        return (Word(raw="echo", value="echo"),)
    replace = opts.values.get("I")
    if replace is None:
        return words
    return tuple(dataclasses.replace(w, dynamic=True) if replace in w.value else w for w in words)


def _shell_script(name: str, words: tuple[Word, ...]) -> Word:
    if not words:
        raise WrapperError(f"'{name} -c' without a script")
    if not words[0].static:
        raise WrapperError(f"the script of '{name} -c' is built at run time")
    return words[0]


def find_commands(argv: Sequence[Word]) -> list[tuple[Word, ...]]:
    """The commands `find ... -exec CMD ... ;` would run, `{}` counted as run-time values."""
    commands: list[tuple[Word, ...]] = []
    i = 1
    while i < len(argv):
        if argv[i].value in FIND_ACTIONS:
            end = next((j for j in range(i + 1, len(argv)) if argv[j].value in (";", "+")), None)
            if end is None or end == i + 1:
                raise WrapperError(f"find {argv[i].value} needs a command ending in ';' or '+'")
            commands.append(
                tuple(
                    dataclasses.replace(w, dynamic=True) if "{}" in w.value else w
                    for w in argv[i + 1 : end]
                )
            )
            i = end
        i += 1
    return commands
