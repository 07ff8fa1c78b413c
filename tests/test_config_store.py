"""The user config file: mode 0600, atomic replacement, references instead of secrets."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from trae_lsp import config_store
from trae_lsp.config_layers import primary_user_config_file
from trae_lsp.config_store import set_provider, stored_api_key, write_config_file
from trae_lsp.errors import ConfigError


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_is_private() -> None:
    path = set_provider(provider="anthropic", api_key="sk-ant-literal-0000")
    assert path == primary_user_config_file()
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700


def test_existing_file_keeps_private_mode_even_if_it_was_open(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o644)
    write_config_file(path, {"default_model": "m"})
    assert mode_of(path) == 0o600


def test_set_provider_updates_without_losing_other_settings() -> None:
    path = primary_user_config_file()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"tools": {"web": {"enabled": True}}}), encoding="utf-8")
    set_provider(provider="ollama", base_url="http://localhost:11434/v1", model="qwen3")
    set_provider(provider="ollama", model="llama4", make_default=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["tools"] == {"web": {"enabled": True}}
    assert data["providers"]["ollama"] == {
        "base_url": "http://localhost:11434/v1",
        "models": ["qwen3", "llama4"],
    }
    assert data["default_provider"] == "ollama"
    assert data["default_model"] == "llama4"


def test_failed_write_leaves_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"default_model": "old"}', encoding="utf-8")

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(config_store.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_config_file(path, {"default_model": "new"})
    assert json.loads(path.read_text(encoding="utf-8")) == {"default_model": "old"}
    assert os.listdir(tmp_path) == ["config.json"]


def test_invalid_settings_are_never_written(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    with pytest.raises(ConfigError, match="unknown key"):
        write_config_file(path, {"nonsense": True})
    assert not path.exists()


def test_broken_user_file_is_not_overwritten() -> None:
    path = primary_user_config_file()
    path.parent.mkdir(parents=True)
    path.write_text("{broken", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid JSON"):
        set_provider(provider="openai", api_key="k")
    assert path.read_text(encoding="utf-8") == "{broken"


@pytest.mark.parametrize(
    ("given", "env", "stored"),
    [
        ("$ANTHROPIC_API_KEY", {}, "${ANTHROPIC_API_KEY}"),
        ("${MY_KEY}", {}, "${MY_KEY}"),
        (
            "sk-ant-expanded-by-shell",
            {"ANTHROPIC_API_KEY": "sk-ant-expanded-by-shell"},
            "${ANTHROPIC_API_KEY}",
        ),
        ("sk-ant-pasted", {"ANTHROPIC_API_KEY": "something-else"}, "sk-ant-pasted"),
    ],
)
def test_stored_api_key(given: str, env: dict[str, str], stored: str) -> None:
    assert stored_api_key("anthropic", given, env) == stored


def test_literal_keeps_the_value_even_if_it_matches_the_environment() -> None:
    env = {"OPENAI_API_KEY": "sk-proj-x"}
    assert stored_api_key("openai", "sk-proj-x", env, literal=True) == "sk-proj-x"
