"""Turning what a caller passes as `model=` into a `Model`: a name goes through the config.

Tests that run the article's examples as written (which pass a model *name*)
monkeypatch `trae_lsp.agent.resolve.create_model` to return a `ScriptedModel`;
this is the one place where the agent builds a model from a name.
"""

from __future__ import annotations

import os
from pathlib import Path

from trae_lsp.config_layers import LoadedConfig, load_config
from trae_lsp.llm.factory import create_model
from trae_lsp.llm.model import Model


def load_project_config(project_path: str | os.PathLike[str] | None) -> LoadedConfig:
    """The layered configuration as seen from the project (user files, project file, env)."""
    return load_config(Path(project_path) if project_path is not None else Path.cwd())


def resolve_model(model: Model | str | None, loaded: LoadedConfig) -> Model:
    """`model` itself, or the model a name (`provider:model`, bare, None = default) resolves to."""
    if model is None or isinstance(model, str):
        return create_model(model, loaded)
    return model


def model_label(model: Model | str | None, loaded: LoadedConfig) -> str:
    """The model's name for messages and records, without building it."""
    if model is None:
        return loaded.config.default_model
    return model if isinstance(model, str) else model.name
