"""Fixtures shared by every test: no test sees the real home directory or API keys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.fakes.fixtures"]

LEAKY_ENV_PREFIXES = ("TRAE_", "ANTHROPIC_", "OPENAI_")


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh HOME and XDG config dir, and no provider or trae variables from the host."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for name in list(os.environ):
        if name.startswith(LEAKY_ENV_PREFIXES):
            monkeypatch.delenv(name)
    return home
