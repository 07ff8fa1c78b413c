"""Layering, provenance, expansion and validation of the config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trae_lsp.config import TraeConfig
from trae_lsp.config_layers import (
    expand_value,
    is_secret_key,
    load_config,
    mask_secret,
    primary_user_config_file,
    project_config_file,
    user_config_files,
)
from trae_lsp.errors import ConfigError

ARTICLE_CONFIG = {
    "default_provider": "anthropic",
    "default_model": "claude-3-7-sonnet-latest",
    "providers": {
        "anthropic": {
            "api_key": "${ANTHROPIC_API_KEY}",
            "models": ["claude-3-7-sonnet-latest", "claude-3-5-sonnet-20241022"],
        },
        "openai": {"api_key": "${OPENAI_API_KEY}", "models": ["gpt-4o", "o3-mini"]},
    },
    "trajectory": {"enabled": True, "output_dir": "~/.trae/trajectories", "max_size_mb": 100},
    "tools": {
        "shell": {
            "allowed_commands": ["git", "npm", "pip", "pytest", "make"],
            "timeout_seconds": 60,
        },
        "web": {"enabled": True, "max_results": 10},
    },
}


def write_json(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_article_config_is_accepted_as_it_stands(tmp_path: Path) -> None:
    write_json(primary_user_config_file(), ARTICLE_CONFIG)
    loaded = load_config(tmp_path, env={})
    assert loaded.config.default_model == "claude-3-7-sonnet-latest"
    assert loaded.config.providers["openai"].models == ["gpt-4o", "o3-mini"]
    assert loaded.config.tools.shell.allowed_commands == ["git", "npm", "pip", "pytest", "make"]
    assert loaded.config.tools.web.enabled is True


def test_defaults_need_no_file(tmp_path: Path) -> None:
    loaded = load_config(tmp_path, env={})
    assert loaded.config == TraeConfig()
    assert loaded.sources == {} or set(loaded.sources.values()) == {"defaults"}


def test_layers_apply_lowest_first(tmp_path: Path) -> None:
    platform_file, user_file = user_config_files()
    write_json(platform_file, {"default_model": "m-platform", "tools": {"web": {"max_results": 3}}})
    write_json(user_file, {"default_model": "m-user", "budget": {"warn_at_percent": 50}})
    write_json(project_config_file(tmp_path), {"default_model": "m-project"})
    env = {"TRAE_DEFAULT_MODEL": "m-env", "TRAE_TOOLS__SHELL__TIMEOUT_SECONDS": "5"}

    loaded = load_config(tmp_path, env=env, flags={"default_model": "m-flag"})
    assert loaded.config.default_model == "m-flag"
    assert loaded.sources["default_model"] == "command line"
    assert loaded.config.tools.shell.timeout_seconds == 5
    assert loaded.sources["tools.shell.timeout_seconds"] == "env TRAE_TOOLS__SHELL__TIMEOUT_SECONDS"
    assert loaded.config.budget.warn_at_percent == 50
    assert loaded.sources["budget.warn_at_percent"] == "~/.trae/config.json"
    assert loaded.config.tools.web.max_results == 3
    assert loaded.sources["tools.web.max_results"] == "~/.config/trae/config.json"

    without_flags = load_config(tmp_path, env=env)
    assert without_flags.config.default_model == "m-env"
    without_env = load_config(tmp_path, env={})
    assert without_env.config.default_model == "m-project"
    assert without_env.sources["default_model"] == f"{project_config_file(tmp_path)}"


def test_nested_dicts_merge_and_lists_replace(tmp_path: Path) -> None:
    write_json(primary_user_config_file(), {"providers": {"anthropic": {"base_url": "http://x"}}})
    write_json(project_config_file(tmp_path), {"tools": {"shell": {"allowed_commands": ["make"]}}})
    config = load_config(tmp_path, env={}).config
    assert config.providers["anthropic"].base_url == "http://x"
    assert config.providers["anthropic"].api_key == "${ANTHROPIC_API_KEY}"
    assert config.tools.shell.allowed_commands == ["make"]
    assert config.tools.shell.blocked_patterns == TraeConfig().tools.shell.blocked_patterns


def test_usual_environment_variables_land_in_providers(tmp_path: Path) -> None:
    env = {
        "ANTHROPIC_API_KEY": "sk-ant-secret",
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
        "TRAE_TRAJECTORY_DIR": "/data/trajectories",
        "TRAE_DEMO_MODEL": "not a config key, ignored",
    }
    loaded = load_config(tmp_path, env=env)
    assert loaded.config.providers["anthropic"].api_key == "sk-ant-secret"
    assert loaded.sources["providers.anthropic.api_key"] == "env ANTHROPIC_API_KEY"
    assert loaded.config.providers["openai"].base_url == "http://127.0.0.1:9/v1"
    assert loaded.config.trajectory.output_dir == "/data/trajectories"


def test_json_lists_from_environment(tmp_path: Path) -> None:
    env = {"TRAE_TOOLS__SHELL__ALLOWED_COMMANDS": '["pytest", "git status"]'}
    config = load_config(tmp_path, env=env).config
    assert config.tools.shell.allowed_commands == ["pytest", "git status"]


def test_references_are_stored_and_expanded_on_use(tmp_path: Path) -> None:
    write_json(primary_user_config_file(), {"trajectory": {"output_dir": "~/runs/${RUN}"}})
    loaded = load_config(tmp_path, env={})
    assert loaded.config.trajectory.output_dir == "~/runs/${RUN}"
    resolved = loaded.resolved("trajectory.output_dir", env={"RUN": "nightly"})
    assert resolved == str(Path.home() / "runs" / "nightly")
    assert loaded.resolved("providers.anthropic.api_key", env={"ANTHROPIC_API_KEY": "k"}) == "k"


def test_unset_reference_names_file_key_and_variable(tmp_path: Path) -> None:
    write_json(primary_user_config_file(), {"providers": {"x": {"api_key": "$X_KEY"}}})
    loaded = load_config(tmp_path, env={})
    with pytest.raises(ConfigError) as error:
        loaded.resolved("providers.x.api_key", env={})
    message = str(error.value)
    assert "~/.trae/config.json" in message
    assert "providers.x.api_key" in message
    assert "X_KEY" in message


def test_expand_leaves_plain_text_alone() -> None:
    assert expand_value("plain", key="k", source="s", env={}) == "plain"
    assert expand_value("a${B}c", key="k", source="s", env={"B": "-"}) == "a-c"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"tools": ', "config.json:1:11: invalid JSON"),
        (
            '{"tools": {"shel": {}}}',
            "unknown key 'tools.shel' (known keys here: extra_roots, shell, web)",
        ),
        ('{"colour": 1}', "unknown key 'colour'"),
        ('{"tools": {"shell": {"timeout_seconds": "soon"}}}', "'tools.shell.timeout_seconds'"),
        ('{"budget": {"strategy": "cheap"}}', "'budget.strategy'"),
        ('{"providers": {"a": {"models": "m"}}}', "'providers.a.models'"),
        ("[1, 2]", "expected a JSON object"),
        ('{"mcp_servers": {"s": {}}}', "'mcp_servers.s.command' is required"),
    ],
)
def test_bad_files_give_one_line_naming_file_and_key(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = project_config_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path, env={})
    message = str(error.value)
    assert "\n" not in message
    assert str(path) in message
    assert expected in message


def test_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="env TRAE_TOOLS__WEB__MAX_RESULTS"):
        load_config(tmp_path, env={"TRAE_TOOLS__WEB__MAX_RESULTS": "many"})


def test_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    path = primary_user_config_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"default_model": "\xff"}')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(tmp_path, env={})


@pytest.mark.parametrize(
    ("secret", "masked"),
    [
        ("sk-ant-api03-abcdefghijklmnop1a2b", "sk-ant-…1a2b"),
        ("sk-proj-abcdefghijkl9999", "sk-proj-…9999"),
        ("abcdefghijklmnopqrstuvwx", "…uvwx"),
        ("short", "…"),
        ("", ""),
    ],
)
def test_mask_secret(secret: str, masked: str) -> None:
    assert mask_secret(secret) == masked


def test_secret_keys_are_recognised() -> None:
    assert is_secret_key("providers.anthropic.api_key")
    assert is_secret_key("mcp_servers.github.env.GITHUB_TOKEN")
    assert not is_secret_key("providers.anthropic.base_url")
