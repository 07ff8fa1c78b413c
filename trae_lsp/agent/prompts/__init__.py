"""The agent's prompts, kept as data files and loaded with `importlib.resources`."""

from __future__ import annotations

from importlib.resources import files


def load_prompt(name: str) -> str:
    """The text of `prompts/<name>.md`, without its trailing newline."""
    return files(__name__).joinpath(f"{name}.md").read_text(encoding="utf-8").rstrip("\n")
