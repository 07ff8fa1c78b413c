"""The `trae` typer app: global options, subcommand registration, error boundary."""

from __future__ import annotations

import sys

import typer

from trae_lsp import __version__
from trae_lsp.cli.lazy import LazyCommands
from trae_lsp.errors import ConfigError, TraeError

app = typer.Typer(
    name="trae",
    help="An AI software-engineering agent for your editor, terminal and CI.",
    cls=LazyCommands,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

CONFIG_ERROR_EXIT_CODE = 2
"""Exit code for bad configuration or usage, as for a usage error."""


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"trae-lsp {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """An AI software-engineering agent for your editor, terminal and CI."""


def main() -> None:
    """Entry point of `trae`: user-facing errors become one line on stderr, no traceback."""
    try:
        app()
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(CONFIG_ERROR_EXIT_CODE)
    except TraeError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)


def lsp_main() -> None:
    """Entry point of `trae-lsp`: the language server on stdio, as editors launch it."""
    sys.argv = [sys.argv[0], "lsp", *sys.argv[1:]]
    main()
