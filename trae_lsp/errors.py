"""Typed errors shared across trae-lsp; each message tells the user what to do next."""


class TraeError(Exception):
    """Base of every error trae-lsp raises on purpose."""


class ConfigError(TraeError):
    """A setting is missing, malformed or refers to an unset environment variable."""
