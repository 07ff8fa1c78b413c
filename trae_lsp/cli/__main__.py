"""`python -m trae_lsp.cli` is `trae`."""

from trae_lsp.cli.app import main

main()
