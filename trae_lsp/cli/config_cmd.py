"""`trae config set|list|get|path|schema`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from trae_lsp.config import TraeConfig
from trae_lsp.config_layers import (
    display_path,
    is_reference,
    is_secret_key,
    load_config,
    mask_secret,
    primary_user_config_file,
    project_config_file,
    user_config_files,
)
from trae_lsp.config_store import set_provider, stored_api_key
from trae_lsp.errors import ConfigError

app = typer.Typer(help="Show and change settings.", no_args_is_help=True, add_completion=False)

PROJECT_OPTION = typer.Option(
    Path("."), "--project", "-p", help="Project whose .trae/config.json applies."
)


@app.command("set")
def set_(
    provider: str = typer.Option(..., help="Provider name: anthropic, openai, or your own."),
    api_key: str | None = typer.Option(
        None, help="API key, or a reference such as '$ANTHROPIC_API_KEY' (quoted)."
    ),
    model: str | None = typer.Option(None, help="Add a model name to this provider."),
    base_url: str | None = typer.Option(None, help="Endpoint, e.g. http://localhost:11434/v1."),
    default: bool = typer.Option(False, "--default", help="Make this provider the default."),
    literal: bool = typer.Option(
        False, "--literal", help="Store the key as given even if it equals an env variable."
    ),
) -> None:
    """Write a provider's settings to the user config file (mode 0600)."""
    stored = api_key and stored_api_key(provider, api_key, os.environ, literal=literal)
    path = set_provider(
        provider=provider, api_key=stored, model=model, base_url=base_url, make_default=default
    )
    typer.echo(f"updated {display_path(path)} (provider {provider})")
    if stored is not None and stored != api_key and is_reference(stored):
        typer.echo(f"api_key stored as the reference {stored}, not as the secret itself")


@app.command("list")
def list_(
    project: Path = PROJECT_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Print the effective settings and where each one came from (keys masked)."""
    loaded = load_config(project.resolve())
    rows = [(key, _display(key, value), source) for key, value, source in loaded.leaves()]
    if as_json:
        typer.echo(json.dumps([{"key": k, "value": v, "source": s} for k, v, s in rows], indent=2))
        return
    table = Table("setting", "value", "source", box=None, pad_edge=False)
    for row in rows:
        table.add_row(*row)
    Console(width=200).print(table)


@app.command("get")
def get(
    key: str = typer.Argument(..., help="Dotted setting name, e.g. tools.shell.timeout_seconds."),
    project: Path = PROJECT_OPTION,
    raw: bool = typer.Option(False, "--raw", help="Show the stored value, unexpanded."),
    reveal: bool = typer.Option(False, "--reveal", help="Show secrets unmasked."),
) -> None:
    """Print one setting, with ${VAR} and ~ expanded unless --raw."""
    loaded = load_config(project.resolve())
    try:
        value = loaded.raw(key) if raw else loaded.resolved(key)
    except KeyError as e:
        raise ConfigError(f"unknown setting '{key}'; `trae config list` shows them all") from e
    if isinstance(value, str) and is_secret_key(key) and not reveal and not is_reference(value):
        value = mask_secret(value)
    typer.echo(value if isinstance(value, str) else json.dumps(value))


@app.command("path")
def path(project: Path = PROJECT_OPTION) -> None:
    """Print the config files that are read, lowest priority first."""
    files = [*user_config_files(), project_config_file(project.resolve())]
    for file in files:
        state = "exists" if file.is_file() else "not created"
        marker = "  (written by `trae config set`)" if file == primary_user_config_file() else ""
        typer.echo(f"{display_path(file)}  [{state}]{marker}")


@app.command("schema")
def schema() -> None:
    """Print the JSON schema of the config file, with every setting documented."""
    typer.echo(json.dumps(TraeConfig.model_json_schema(), indent=2))


def _display(key: str, value: Any) -> str:
    """A value as `config list` shows it: secrets masked, references with their state."""
    if not isinstance(value, str):
        return json.dumps(value)
    if is_reference(value):
        name = value.strip().lstrip("$").strip("{}")
        current = os.environ.get(name)
        if current is None:
            return f"{value} (not set)"
        shown = mask_secret(current) if is_secret_key(key) else current
        return f"{value} = {shown}"
    return mask_secret(value) if is_secret_key(key) else value
