"""The language server's settings: `initializationOptions` and `workspace/configuration` `trae`.

One typed, fully defaulted model, camelCase on the wire. It mirrors the VS Code
settings of the reference article (`"trae.suggestions": {...}`) and accepts both
that flat dotted form and the nested form. Parsing never raises: bad parts fall
back to their defaults and are reported as problems naming the key.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

SECTION = "trae"
"""Configuration section name (`workspace/configuration`, VS Code's `trae.*` keys)."""

_ABSENT = object()

MAX_REPAIR_PASSES = 64
"""Bound on fallback passes (one bad value dropped per pass) before giving up on all input."""


class WireModel(BaseModel):
    """Base of every settings section: camelCase aliases, strict JSON types, extra keys ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        strict=True,
        use_attribute_docstrings=True,
        validate_default=True,
    )


class SuggestionSettings(WireModel):
    """On-save review of the file being edited, published as diagnostics."""

    enabled: bool = False
    """Review files and publish findings as diagnostics (source `trae`)."""

    trigger: Literal["on-save", "manual"] = "on-save"
    """`on-save`: review after each save; `manual`: only when `trae.review` is run."""

    scope: Literal["current-file", "changed-symbols"] = "current-file"
    """Review the whole file, or only the symbols changed since the last review."""

    max_tokens: int = Field(default=2000, ge=100)
    """Most tokens the model may answer with per reviewed save."""


class UserCommand(WireModel):
    """A user-defined agent task, offered as a code action and a command."""

    name: str = Field(min_length=1)
    """Title shown in the editor, e.g. `Fix current file`."""

    command: str | None = None
    """The article's form: a `trae run '<task>'` command line; its task text is used."""

    task: str = ""
    """The task given to the agent; derived from `command` when not set."""

    keybinding: str | None = None
    """Key binding the editor plugin binds to this command, e.g. `ctrl+shift+f`."""

    @model_validator(mode="after")
    def _derive_task(self) -> UserCommand:
        if not self.task and self.command is not None:
            self.task = task_from_command(self.command)
        if not self.task:
            raise ValueError("give a `task` text or a `command` such as \"trae run 'Fix it'\"")
        return self


class EditSettings(WireModel):
    """How the agent's changes reach the editor."""

    mode: Literal["apply", "confirm", "review"] = "review"
    """`apply`: at once; `confirm`: the editor's refactor preview; `review`: per-hunk review."""


class TraeSettings(WireModel):
    """Everything the language server reads from the client's settings."""

    enabled: bool = True
    """Offer Trae's code actions, commands and suggestions at all."""

    model: str | None = None
    """Model for agent runs; unset uses the model from the trae config files."""

    auto_record: bool = True
    """Record a trajectory for every agent run (see `trae.showTrajectory`)."""

    suggestions: SuggestionSettings = Field(default_factory=SuggestionSettings)
    """On-save suggestions."""

    commands: list[UserCommand] = Field(default_factory=list)
    """User-defined tasks, each a code action and a command."""

    edits: EditSettings = Field(default_factory=EditSettings)
    """How the agent's changes are applied."""

    max_concurrent_agents: int = Field(default=3, ge=1)
    """Most agent runs at once across all documents (one per document at a time)."""


class SettingsProblem(NamedTuple):
    """One bad setting: its wire key (`trae.suggestions.trigger`) and what is wrong."""

    key: str
    message: str


class ParsedSettings(NamedTuple):
    """The settings in effect and the problems found while reading them."""

    settings: TraeSettings
    problems: list[SettingsProblem]


def task_from_command(command: str) -> str:
    """The task text of a `trae run '<task>' [options]` command line ("" if none)."""
    try:
        words = shlex.split(command)
    except ValueError:
        return ""
    if words[:2] != ["trae", "run"]:
        return ""
    return next((word for word in words[2:] if not word.startswith("-")), "")


def parse_settings(*layers: object) -> ParsedSettings:
    """Validate client settings; bad values fall back to defaults and become problems.

    Layers (e.g. `initializationOptions`, then `workspace/configuration`) are merged
    in order, later keys winning; `None` layers are skipped.
    """
    data: dict[str, Any] = {}
    problems: list[SettingsProblem] = []
    for layer in layers:
        if isinstance(layer, Mapping):
            _merge(data, nest_settings(layer))
        elif layer is not None:
            problems.append(SettingsProblem(SECTION, f"expected an object, got {_short(layer)}"))
    for _ in range(MAX_REPAIR_PASSES):
        try:
            return ParsedSettings(TraeSettings.model_validate(data), problems)
        except ValidationError as e:
            error = e.errors()[0]
            loc = tuple(error["loc"])
            problems.append(SettingsProblem(wire_key(loc), _message(error)))
            _drop(data, loc[:-1] if error["type"] == "missing" else loc)
    problems.append(SettingsProblem(SECTION, "too many invalid settings; using all defaults"))
    return ParsedSettings(TraeSettings(), problems)


def nest_settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Nested settings from either form: `{"trae.edits.mode": ...}` or `{"edits": {...}}`."""
    nested: dict[str, Any] = {}
    for key, value in raw.items():
        parts = str(key).split(".")
        if parts[0] == SECTION:
            parts = parts[1:]
        if not parts:
            if isinstance(value, Mapping):
                _merge(nested, nest_settings(value))
            continue
        for part in reversed(parts[1:]):
            value = {part: value}
        _merge(nested, {parts[0]: value})
    return nested


def wire_key(loc: tuple[str | int, ...]) -> str:
    """`("commands", 0, "name")` → `trae.commands[0].name`."""
    key = SECTION
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else f".{part}"
    return key


def _merge(into: dict[str, Any], new: Mapping[str, Any]) -> None:
    """Recursive merge: nested objects combine, anything else is replaced."""
    for key, value in new.items():
        current = into.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            _merge(current, value)
        elif isinstance(value, Mapping):
            into[key] = {}
            _merge(into[key], value)
        else:
            into[key] = value


def _drop(data: dict[str, Any], loc: tuple[str | int, ...]) -> None:
    """Remove the deepest existing value along `loc` so its default applies."""
    found: tuple[Any, str | int] | None = None
    container: Any = data
    for part in loc:
        child = _child(container, part)
        if child is _ABSENT:
            break
        found, container = (container, part), child
    if found is None:
        data.clear()
    else:
        del found[0][found[1]]


def _child(container: Any, part: str | int) -> Any:
    if isinstance(container, dict):
        return container.get(part, _ABSENT)
    if isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container):
        return container[part]
    return _ABSENT


def _message(error: Any) -> str:
    """Pydantic's message plus the offending value, short."""
    if error["type"] == "missing":
        return "required"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{message} (got {_short(error['input'])})"


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_problems(problems: list[SettingsProblem]) -> str:
    """One message for the user naming every bad key and what to do."""
    listed = "; ".join(f"{p.key}: {p.message}" for p in problems)
    return (
        f"Trae: invalid settings replaced by their defaults: {listed}. "
        f'Fix them in your editor\'s settings (section "{SECTION}").'
    )
