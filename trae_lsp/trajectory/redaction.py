"""Removing secrets from everything a trajectory records, before it reaches the disk.

Three nets: known key shapes (`sk-ant-…`, `sk-…`, bearer tokens, GitHub, AWS,
Slack, Google keys, `password=…` assignments), the exact values of environment
variables whose names look secret and of the configured provider keys, and any
string stored under a dict key that looks secret (`api_key`, `token`...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from trae_lsp.config import TraeConfig
from trae_lsp.config_layers import expand_value, is_reference, is_secret_key
from trae_lsp.errors import ConfigError

REDACTED = "[REDACTED]"
"""What a secret is replaced with."""

MIN_SECRET_LENGTH = 8
"""Shorter values are not treated as secrets: redacting `1` or `true` would shred the record."""

SECRET_ENV_NAME = re.compile(
    r"api_?key|token|secret|passw(or)?d|credential|private_?key|access_?key", re.IGNORECASE
)
"""Environment variable names whose values are secrets (`ANTHROPIC_API_KEY`, `GH_TOKEN`...)."""

KEY_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"sk-ant-[A-Za-z0-9_\-]{8,}"),
    re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}"),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"),
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    re.compile(r"\bxox[abprs]-[A-Za-z0-9\-]{10,}"),
    re.compile(r"\bAIza[0-9A-Za-z_\-]{35}"),
)
"""Shapes of well-known API keys, redacted wherever they appear."""

_LABELLED = re.compile(
    r"(?P<label>\bbearer\s+"
    r"|[\w.-]*(?:api[_-]?key|secret|token|password|passwd)[\w.-]*[\"']?\s*[=:]\s*[\"']?)"
    r"(?P<value>(?!\d+\b)[^\s\"',;}]{8,})",
    re.IGNORECASE,
)
"""`Bearer xyz`, `API_KEY=xyz`, `"password": "xyz"`: the label stays, the value goes."""


class Redactor:
    """Replaces secrets in strings and in nested JSON-like values."""

    def __init__(self, secrets: Mapping[str, str] | None = None) -> None:
        known = {
            value: name
            for name, value in (secrets or {}).items()
            if len(value) >= MIN_SECRET_LENGTH
        }
        # Longest first, so a key that contains another is replaced whole.
        self._names = known
        ordered = sorted(known, key=len, reverse=True)
        self._exact = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    @classmethod
    def from_environment(cls, env: Mapping[str, str], config: TraeConfig | None = None) -> Redactor:
        """A redactor for this process: secret-looking env vars plus the configured keys."""
        secrets = {name: value for name, value in env.items() if SECRET_ENV_NAME.search(name)}
        if config is not None:
            secrets.update(_configured_secrets(config, env))
        return cls(secrets)

    def redact_text(self, text: str) -> str:
        """The text with every secret it contains replaced."""
        if self._exact is not None:
            text = self._exact.sub(lambda m: f"[REDACTED:{self._names[m.group(0)]}]", text)
        for pattern in KEY_PATTERNS:
            text = pattern.sub(REDACTED, text)
        return _LABELLED.sub(lambda m: m.group("label") + REDACTED, text)

    def redact(self, value: Any) -> Any:
        """A copy of a JSON-like value (dicts, lists, strings...) with secrets replaced."""
        if isinstance(value, str):
            return self.redact_text(value)
        if isinstance(value, Mapping):
            return {key: self._redact_item(str(key), item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.redact(item) for item in value]
        return value

    def _redact_item(self, key: str, item: Any) -> Any:
        if isinstance(item, str) and item and is_secret_key(key):
            return REDACTED
        return self.redact(item)


def _configured_secrets(config: TraeConfig, env: Mapping[str, str]) -> dict[str, str]:
    """Provider keys and secret-looking MCP server env values, expanded where possible."""
    found: dict[str, str] = {}
    candidates: Iterable[tuple[str, str | None]] = [
        *((f"providers.{n}.api_key", p.api_key) for n, p in config.providers.items()),
        *(
            (f"mcp_servers.{n}.env.{k}", v)
            for n, server in config.mcp_servers.items()
            for k, v in server.env.items()
            if SECRET_ENV_NAME.search(k)
        ),
    ]
    for key, stored in candidates:
        if not stored:
            continue
        try:
            value = expand_value(stored, key=key, source="config", env=env)
        except ConfigError:
            continue  # refers to an unset variable: there is no secret to hide
        if not is_reference(value):
            found[key] = value
    return found
