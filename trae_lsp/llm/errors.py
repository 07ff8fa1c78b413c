"""Typed errors of the model layer; each message says what to do next."""

from __future__ import annotations

from trae_lsp.errors import ConfigError, TraeError


class UnknownModelError(ConfigError):
    """A model or provider name that the configuration does not know."""


class MissingApiKeyError(ConfigError):
    """A provider needs an API key and none is configured."""


class ModelError(TraeError):
    """A model call failed; the message names the provider, the model and the remedy."""

    def __init__(self, message: str, *, provider: str, model: str, status: int | None = None):
        super().__init__(message)
        self.provider = provider
        self.model = model
        self.status = status


class AuthenticationError(ModelError):
    """The provider rejected the API key (401/403)."""


class ModelNotFoundError(ModelError):
    """The provider does not serve the configured model (404)."""


class BadRequestError(ModelError):
    """The provider rejected the request itself (400/422), e.g. the context is too long."""


class RateLimitError(ModelError):
    """Still rate limited (429) after the configured retries."""


class ProviderUnavailableError(ModelError):
    """Server errors or overload (5xx, 529) after the configured retries."""


class ProviderConnectionError(ModelError):
    """The endpoint could not be reached or timed out after the configured retries."""


class ReplayDivergenceError(ModelError):
    """A replayed conversation asked for something the recording did not contain."""
