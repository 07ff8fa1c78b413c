"""Merging the config layers and remembering where each value came from.

Layers, lowest first: built-in defaults < user files < project file <
environment < command-line flags. Each layer is a plain dict; they are merged
recursively (dicts merge, lists and scalars replace) and validated once as a
whole, after each file was validated on its own so that an error names the file
that holds it. `${VAR}` and `~` are expanded when a value is used
(`LoadedConfig.resolved`), never when it is stored.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_config_path
from pydantic import BaseModel, ValidationError

from trae_lsp.config import TraeConfig
from trae_lsp.errors import ConfigError

CONFIG_FILE_NAME = "config.json"
"""File name of every config file, user or project."""

PROJECT_CONFIG_DIR = ".trae"
"""Directory inside a project that holds its config file (and its index)."""

ENV_ALIASES: dict[str, str] = {
    "ANTHROPIC_API_KEY": "providers.anthropic.api_key",
    "ANTHROPIC_BASE_URL": "providers.anthropic.base_url",
    "OPENAI_API_KEY": "providers.openai.api_key",
    "OPENAI_BASE_URL": "providers.openai.base_url",
    "TRAE_TRAJECTORY_DIR": "trajectory.output_dir",
}
"""The usual environment variables of the ecosystem, and where they land in the config."""

ENV_PREFIX = "TRAE_"
"""`TRAE_SECTION__KEY=value` sets `section.key`; nesting uses a double underscore."""

_VAR_REFERENCE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)
_SECRET_WORDS = ("api_key", "token", "secret", "password")


@dataclass(frozen=True)
class Layer:
    """One source of settings: its display name and its (partial) settings."""

    source: str
    data: dict[str, Any]


@dataclass
class LoadedConfig:
    """The effective config plus, for each dotted key, the layer that set it."""

    config: TraeConfig
    sources: dict[str, str] = field(default_factory=dict)

    def raw(self, key: str) -> Any:
        """The stored value at a dotted key, unexpanded; `KeyError` if there is none."""
        node: Any = self.config.model_dump()
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(key)
            node = node[part]
        return node

    def resolved(self, key: str, env: Mapping[str, str] | None = None) -> Any:
        """The value at a dotted key with `${VAR}` and `~` expanded, as a consumer needs it."""
        value = self.raw(key)
        if not isinstance(value, str):
            return value
        return expand_value(value, key=key, source=self.sources.get(key, "defaults"), env=env)

    def leaves(self) -> Iterator[tuple[str, Any, str]]:
        """Every leaf setting as (dotted key, stored value, source)."""
        for key, value in flatten(self.config.model_dump()):
            yield key, value, self.sources.get(key, "defaults")


def flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Leaves of a nested dict as dotted keys; lists are leaves."""
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from flatten(value, f"{dotted}.")
        else:
            yield dotted, value


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Recursive merge: dicts merge key by key, anything else in `override` replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def nest(dotted: str, value: Any) -> dict[str, Any]:
    """`nest("a.b", 1)` is `{"a": {"b": 1}}`."""
    result: Any = value
    for part in reversed(dotted.split(".")):
        result = {part: result}
    return dict(result)


def user_config_files() -> list[Path]:
    """User config files, lowest priority first: the platform's config dir, then `~/.trae`."""
    return [user_config_path("trae") / CONFIG_FILE_NAME, primary_user_config_file()]


def primary_user_config_file() -> Path:
    """The user file `trae config set` writes: `~/.trae/config.json`, the article's path."""
    return Path.home() / ".trae" / CONFIG_FILE_NAME


def project_config_file(project_dir: Path) -> Path:
    """The project's own config file."""
    return project_dir / PROJECT_CONFIG_DIR / CONFIG_FILE_NAME


def read_config_file(path: Path) -> dict[str, Any]:
    """Parse and validate one config file on its own, so errors name this file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"{display_path(path)}: cannot read: {e.strerror}") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"{display_path(path)}: not UTF-8 text") from e
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as e:
        where = f"{display_path(path)}:{e.lineno}:{e.colno}"
        raise ConfigError(f"{where}: invalid JSON: {e.msg}") from e
    if not isinstance(data, dict):
        raise ConfigError(f"{display_path(path)}: expected a JSON object at the top level")
    validate(data, display_path(path))
    return data


def env_layers(env: Mapping[str, str]) -> list[Layer]:
    """One layer per environment variable that sets a config key."""
    layers = []
    for name, value in sorted(env.items()):
        key = ENV_ALIASES.get(name) or _generic_env_key(name)
        if key is None or value == "":
            continue
        layer = Layer(f"env {name}", nest(key, _parse_env_value(value)))
        validate(layer.data, layer.source)
        layers.append(layer)
    return layers


def _generic_env_key(name: str) -> str | None:
    if not name.startswith(ENV_PREFIX):
        return None
    key = name[len(ENV_PREFIX) :].lower().replace("__", ".")
    return key if key.split(".")[0] in TraeConfig.model_fields else None


def _parse_env_value(value: str) -> Any:
    """Lists and objects are written as JSON; pydantic coerces numbers and booleans."""
    if value.lstrip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def load_config(
    project_dir: Path | None = None,
    *,
    flags: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> LoadedConfig:
    """Build the effective config from every layer; raise `ConfigError` naming the culprit."""
    environ = os.environ if env is None else env
    layers = [Layer("defaults", TraeConfig().model_dump())]
    for path in user_config_files():
        if path.is_file():
            layers.append(Layer(display_path(path), read_config_file(path)))
    if project_dir is not None and project_config_file(project_dir).is_file():
        path = project_config_file(project_dir)
        layers.append(Layer(display_path(path), read_config_file(path)))
    layers.extend(env_layers(environ))
    for key, value in (flags or {}).items():
        layers.append(Layer("command line", nest(key, value)))
    return combine(layers)


def combine(layers: list[Layer]) -> LoadedConfig:
    """Merge layers in order, recording the source of every leaf."""
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for layer in layers:
        merged = merge(merged, layer.data)
        for key, _ in flatten(layer.data):
            sources[key] = layer.source
    config = validate(merged, " < ".join(dict.fromkeys(layer.source for layer in layers)))
    return LoadedConfig(config, sources)


def validate(data: Mapping[str, Any], source: str) -> TraeConfig:
    """Validate settings, turning the first pydantic error into one actionable line."""
    try:
        return TraeConfig.model_validate(data)
    except ValidationError as e:
        raise ConfigError(f"{source}: {_describe(e)}") from e


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    loc = [str(part) for part in first["loc"]]
    key = ".".join(loc)
    if first["type"] == "extra_forbidden":
        known = ", ".join(_known_keys(loc[:-1]))
        return f"unknown key '{key}' (known keys here: {known})"
    if first["type"] == "missing":
        return f"'{key}' is required"
    return f"'{key}': {first['msg'].lower()}, got {first['input']!r}"


def _known_keys(parent: list[str]) -> list[str]:
    model: type[BaseModel] = TraeConfig
    for part in parent:
        annotation = model.model_fields[part].annotation if part in model.model_fields else None
        nested = _model_in(annotation)
        if nested is None:
            continue
        model = nested
    return sorted(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel inside `X`, `dict[str, X]` or `X | None`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def expand_value(value: str, *, key: str, source: str, env: Mapping[str, str] | None = None) -> str:
    """Expand `${VAR}`, `$VAR` and a leading `~`; an unset variable is a `ConfigError`."""
    environ = os.environ if env is None else env

    def substitute(match: re.Match[str]) -> str:
        name = match.group("braced") or match.group("bare")
        if name not in environ:
            raise ConfigError(
                f"{source}: '{key}' refers to ${{{name}}}, which is not set; "
                f"export {name} or run `trae config set`"
            )
        return environ[name]

    expanded = _VAR_REFERENCE.sub(substitute, value)
    return os.path.expanduser(expanded) if expanded.startswith("~") else expanded


def is_reference(value: str) -> bool:
    """Whether a stored value is only a `$VAR`/`${VAR}` reference."""
    match = _VAR_REFERENCE.fullmatch(value.strip())
    return match is not None


def is_secret_key(key: str) -> bool:
    """Whether the setting at a dotted key holds a secret that must never be shown whole."""
    last = key.rsplit(".", 1)[-1].lower()
    return any(word in last for word in _SECRET_WORDS)


def mask_secret(value: str) -> str:
    """`sk-ant-api03-…1a2b`-style masking: the key's kind stays readable, the secret does not."""
    if len(value) < 12:
        return "…" * bool(value)
    prefix = re.match(r"^([a-z]+-){1,2}", value)
    return f"{prefix.group(0) if prefix else ''}…{value[-4:]}"


def display_path(path: Path) -> str:
    """A path as users recognise it: under the home directory as `~/...`."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)
