"""The `trae` command line: one typer app, one module per subcommand group."""
