"""trae-lsp: an AI software-engineering agent for editors (LSP), the command line and CI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trae-lsp")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
