"""Choosing the provider and model from config and `--model`, and the errors on the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from trae_lsp.config_layers import load_config
from trae_lsp.llm import MissingApiKeyError, UnknownModelError, create_model, resolve_model_spec
from trae_lsp.llm.factory import ModelChoice, endpoint_for, get_model_class

OLLAMA = {
    "providers": {"ollama": {"base_url": "http://127.0.0.1:11434/v1", "models": ["llama3.1:8b"]}}
}


def config(tmp_path: Path, **flags: object):  # type: ignore[no-untyped-def]
    return load_config(tmp_path, flags=flags, env={})


def test_default_spec_is_default_provider_and_model(tmp_path: Path) -> None:
    loaded = config(tmp_path)
    assert resolve_model_spec(None, loaded.config) == ModelChoice("anthropic", "claude-sonnet-4-6")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("openai:gpt-5-mini", ModelChoice("openai", "gpt-5-mini")),
        ("gpt-5", ModelChoice("openai", "gpt-5")),
        ("claude-3-7-sonnet-latest", ModelChoice("anthropic", "claude-3-7-sonnet-latest")),
        ("o3-mini", ModelChoice("openai", "o3-mini")),
        ("llama3.1:8b", ModelChoice("ollama", "llama3.1:8b")),
        ("ollama:qwen3:32b", ModelChoice("ollama", "qwen3:32b")),
    ],
)
def test_specs_resolve(tmp_path: Path, spec: str, expected: ModelChoice) -> None:
    loaded = load_config(tmp_path, flags={"providers": OLLAMA["providers"]}, env={})
    assert resolve_model_spec(spec, loaded.config) == expected


def test_unknown_bare_name_lists_what_is_configured(tmp_path: Path) -> None:
    with pytest.raises(UnknownModelError, match=r"unknown model 'mistral'.*openai:gpt-5"):
        resolve_model_spec("mistral", config(tmp_path).config)


def test_unknown_default_provider(tmp_path: Path) -> None:
    loaded = config(tmp_path, default_provider="nowhere")
    with pytest.raises(UnknownModelError, match="default_provider 'nowhere' is not configured"):
        resolve_model_spec(None, loaded.config)


def test_missing_key_names_the_variable_and_the_command(tmp_path: Path) -> None:
    with pytest.raises(MissingApiKeyError) as err:
        create_model("claude-sonnet-4-6", config(tmp_path), env={})
    assert str(err.value) == (
        "no API key for anthropic: set ANTHROPIC_API_KEY or run "
        "`trae config set --provider anthropic --api-key …`"
    )


def test_key_from_environment_and_settings_reach_the_model(tmp_path: Path) -> None:
    loaded = config(tmp_path)
    model = create_model("openai:gpt-5", loaded, env={"OPENAI_API_KEY": "sk-test-123"})
    assert (model.provider, model.name) == ("openai", "gpt-5")
    endpoint = endpoint_for("openai", loaded, {"OPENAI_API_KEY": "sk-test-123"})
    assert endpoint.api_key == "sk-test-123"
    assert "sk-test-123" not in repr(endpoint)


def test_local_server_needs_no_key(tmp_path: Path) -> None:
    loaded = load_config(tmp_path, flags={"providers": OLLAMA["providers"]}, env={})
    model = create_model("llama3.1:8b", loaded, env={})
    assert type(model) is get_model_class("openai")
    assert model.provider == "ollama"


def test_unknown_api_lists_known_ones() -> None:
    with pytest.raises(ValueError, match="known: anthropic, openai"):
        get_model_class("gemini")


def test_retries_and_timeouts_reach_the_sdk_client(tmp_path: Path) -> None:
    flags = {"providers.anthropic.max_retries": 7, "providers.anthropic.timeout_seconds": 120}
    loaded = load_config(tmp_path, flags=flags, env={"ANTHROPIC_API_KEY": "sk-ant-test"})
    model = create_model(None, loaded)
    client = model.client  # type: ignore[attr-defined]
    assert client.max_retries == 7
    assert (client.timeout.read, client.timeout.connect) == (120, 10)
