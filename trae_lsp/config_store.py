"""Writing the user config file: the only place trae-lsp ever writes a config file.

The file may hold API keys, so it is created with mode 0600 inside a 0700
directory and replaced atomically (temp file in the same directory + rename):
a crash mid-write leaves the old file intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trae_lsp.config_layers import (
    ENV_ALIASES,
    display_path,
    is_reference,
    primary_user_config_file,
    read_config_file,
    validate,
)

PRIVATE_FILE_MODE = 0o600
"""Mode of config files: they may hold API keys."""

PRIVATE_DIR_MODE = 0o700
"""Mode of the directory created for the user config file."""


def write_config_file(path: Path, data: Mapping[str, Any]) -> None:
    """Validate, then atomically replace `path` with `data` as JSON, mode 0600."""
    validate(data, display_path(path))
    path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, PRIVATE_FILE_MODE)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def stored_api_key(
    provider: str, api_key: str, env: Mapping[str, str], *, literal: bool = False
) -> str:
    """What to store for a key given on the command line.

    `$VAR`/`${VAR}` is stored as the reference `${VAR}`. A value that equals the
    provider's conventional variable (the shell expanded `--api-key $ANTHROPIC_API_KEY`
    before we saw it) is stored as that reference too, so the secret is not copied
    to disk; `literal=True` stores the value as given.
    """
    if is_reference(api_key):
        return "${" + api_key.strip().lstrip("$").strip("{}") + "}"
    if not literal:
        for name, key in ENV_ALIASES.items():
            if key == f"providers.{provider}.api_key" and env.get(name) == api_key:
                return "${" + name + "}"
    return api_key


def set_provider(
    *,
    provider: str,
    api_key: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    make_default: bool = False,
    path: Path | None = None,
) -> Path:
    """Update one provider in the user config file (creating it if needed); return its path."""
    target = path or primary_user_config_file()
    data = read_config_file(target) if target.is_file() else {}
    entry = dict(data.setdefault("providers", {}).get(provider, {}))
    if api_key is not None:
        entry["api_key"] = api_key
    if base_url is not None:
        entry["base_url"] = base_url
    if model is not None and model not in entry.get("models", []):
        entry["models"] = [*entry.get("models", []), model]
    data["providers"][provider] = entry
    if make_default:
        data["default_provider"] = provider
        if model is not None:
            data["default_model"] = model
    write_config_file(target, data)
    return target
