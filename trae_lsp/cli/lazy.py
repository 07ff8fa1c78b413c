"""Subcommands imported only when they run, so `trae --version` does not load the agent.

The agent, the SDKs and lsprotocol take seconds to import; an editor starting
`trae-lsp` and a user typing `trae config get` should pay only for what they use.
"""

from __future__ import annotations

from importlib import import_module

import typer
from typer import _click as click  # typer >= 0.29 vendors click; its group API is click's
from typer.core import TyperGroup

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "run": ("trae_lsp.cli.run_cmd", "run"),
    "chat": ("trae_lsp.cli.chat_cmd", "chat"),
    "replay": ("trae_lsp.cli.replay_cmd", "replay"),
    "analyze": ("trae_lsp.cli.analyze_cmd", "analyze"),
    "context": ("trae_lsp.cli.context_cmd", "context"),
    "demo": ("trae_lsp.cli.demo_cmd", "demo"),
    "config": ("trae_lsp.cli.config_cmd", "app"),
    "lsp": ("trae_lsp.cli.lsp_cmd", "lsp"),
}
"""Subcommand name → (module, attribute): a typer app (a group) or a command function."""


class LazyCommands(TyperGroup):
    """A typer group that imports a subcommand's module the first time it is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand, without importing any of them."""
        return sorted({*super().list_commands(ctx), *SUBCOMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The click command for `cmd_name`, built from its module on first use."""
        if cmd_name not in SUBCOMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = SUBCOMMANDS[cmd_name]
        target = getattr(import_module(module_name), attribute)
        if not isinstance(target, typer.Typer):
            single = typer.Typer(add_completion=False)
            single.command(cmd_name)(target)
            target = single
        command = typer.main.get_command(target)
        command.name = cmd_name
        return command
