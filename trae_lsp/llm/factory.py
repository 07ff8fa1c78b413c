"""Choosing and building a `Model` from the configuration and a `--model` value."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from typing import Any, NamedTuple

from trae_lsp.config import ProviderConfig, TraeConfig
from trae_lsp.config_layers import LoadedConfig, is_reference
from trae_lsp.errors import ConfigError
from trae_lsp.llm.errors import MissingApiKeyError, UnknownModelError
from trae_lsp.llm.model import Endpoint, Model
from trae_lsp.llm.script_file import is_script_spec, load_script_model

MODEL_CLASSES: dict[str, str] = {
    "anthropic": "trae_lsp.llm.anthropic.AnthropicModel",
    "openai": "trae_lsp.llm.openai.OpenAIModel",
}
"""Wire protocol short name → import path of the class that speaks it."""

MODEL_FAMILIES: dict[str, str] = {
    "claude-": "anthropic",
    "gpt-": "openai",
    "chatgpt-": "openai",
    "o1": "openai",
    "o3": "openai",
    "o4": "openai",
}
"""Name prefix → provider, for bare model names that no `providers.*.models` list names."""

LOCAL_SERVER_API_KEY = "not-needed"
"""Sent to OpenAI-compatible servers with a `base_url` and no key (Ollama, llama.cpp, vLLM)."""


class ModelChoice(NamedTuple):
    """A resolved `--model` value: which provider serves which model."""

    provider: str
    model: str


def get_model_class(api: str) -> type[Any]:
    """The class speaking a wire protocol, by short name."""
    if api not in MODEL_CLASSES:
        known = ", ".join(sorted(MODEL_CLASSES))
        raise ValueError(f"unknown model API '{api}'; known: {known}")
    module_name, _, class_name = MODEL_CLASSES[api].rpartition(".")
    cls: type[Any] = getattr(importlib.import_module(module_name), class_name)
    return cls


def resolve_model_spec(spec: str | None, config: TraeConfig) -> ModelChoice:
    """`provider:model`, a bare model name, or (None) the configured default."""
    if not spec:
        return _checked(ModelChoice(config.default_provider, config.default_model), config)
    prefix, sep, rest = spec.partition(":")
    if sep and prefix in config.providers and rest:
        return ModelChoice(prefix, rest)
    listed = [name for name, p in config.providers.items() if spec in p.models]
    if listed:
        chosen = config.default_provider if config.default_provider in listed else listed[0]
        return ModelChoice(chosen, spec)
    for family, provider in MODEL_FAMILIES.items():
        if spec.startswith(family) and provider in config.providers:
            return ModelChoice(provider, spec)
    raise UnknownModelError(_unknown_model_message(spec, config))


def _checked(choice: ModelChoice, config: TraeConfig) -> ModelChoice:
    if choice.provider not in config.providers:
        known = ", ".join(sorted(config.providers)) or "none"
        raise UnknownModelError(
            f"default_provider '{choice.provider}' is not configured (providers: {known}); "
            f"run `trae config set --provider {choice.provider} --api-key …` or change it"
        )
    return choice


def _unknown_model_message(spec: str, config: TraeConfig) -> str:
    known = sorted(f"{name}:{m}" for name, p in config.providers.items() for m in p.models)
    return (
        f"unknown model '{spec}': no provider lists it in providers.*.models "
        f"(configured: {', '.join(known) or 'none'}); "
        f"use `provider:model` (providers: {', '.join(sorted(config.providers))}) "
        "or add the name to the provider's models"
    )


def provider_api(name: str, provider: ProviderConfig) -> str:
    """The wire protocol of a provider: explicit `api`, else by name."""
    if provider.api is not None:
        return provider.api
    return "anthropic" if name == "anthropic" else "openai"


def endpoint_for(
    provider: str, loaded: LoadedConfig, env: Mapping[str, str] | None = None
) -> Endpoint:
    """Connection settings of a configured provider, with its API key resolved."""
    section = loaded.config.providers[provider]
    base_url = loaded.resolved(f"providers.{provider}.base_url", env) or None
    return Endpoint(
        provider=provider,
        api_key=_api_key(provider, section, loaded, env, local=base_url is not None),
        base_url=base_url,
        max_retries=section.max_retries,
        timeout_seconds=section.timeout_seconds,
        prompt_caching=section.prompt_caching,
    )


def _api_key(
    provider: str,
    section: ProviderConfig,
    loaded: LoadedConfig,
    env: Mapping[str, str] | None,
    *,
    local: bool,
) -> str:
    stored = section.api_key or ""
    try:
        key = str(loaded.resolved(f"providers.{provider}.api_key", env)) if stored else ""
    except ConfigError:
        key = ""
    if key:
        return key
    if local:
        return LOCAL_SERVER_API_KEY
    variable = stored.strip().strip("${}") if is_reference(stored) else ""
    raise MissingApiKeyError(
        f"no API key for {provider}: set {variable or provider.upper() + '_API_KEY'} or run "
        f"`trae config set --provider {provider} --api-key …`"
    )


def create_model(
    spec: str | None, loaded: LoadedConfig, *, env: Mapping[str, str] | None = None
) -> Model:
    """Build the model named by `spec` (`provider:model`, bare name, `scripted:<file>`, None)."""
    if spec is not None and is_script_spec(spec):
        return load_script_model(spec)
    choice = resolve_model_spec(spec, loaded.config)
    section = loaded.config.providers[choice.provider]
    endpoint = endpoint_for(choice.provider, loaded, env if env is not None else os.environ)
    cls = get_model_class(provider_api(choice.provider, section))
    model: Model = cls(choice.model, endpoint)
    return model
