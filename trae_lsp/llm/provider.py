"""What the SDK-backed models share: the `Model` methods, error translation, JSON arguments.

Subclasses only translate: a `Request` into the provider's wire format, and the
provider's answer (whole or streamed) back into our `Response` and events.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Sequence
from typing import Any

from trae_lsp.llm.errors import (
    AuthenticationError,
    BadRequestError,
    ModelError,
    ModelNotFoundError,
    ProviderConnectionError,
    ProviderUnavailableError,
    RateLimitError,
)
from trae_lsp.llm.messages import Message, Response, StreamEvent, ToolSpec
from trae_lsp.llm.model import DEFAULT_MAX_TOKENS, Endpoint, Request, make_request

CONNECT_TIMEOUT_SECONDS = 10.0
"""Connecting gets this long at most, so an unreachable endpoint fails fast and is retried."""

INVALID_ARGUMENTS_KEY = "_invalid_json"
"""Key holding the raw text when a model sends tool arguments that are not a JSON object."""


def parse_arguments(raw: str | None) -> dict[str, Any]:
    """Tool-call arguments from their JSON text; malformed text is kept for the loop to report."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return {INVALID_ARGUMENTS_KEY: raw}
    return value if isinstance(value, dict) else {INVALID_ARGUMENTS_KEY: raw}


class SdkModel:
    """Base of the models backed by an official SDK; subclasses implement `_send`/`_events`."""

    api_error: type[Exception] = Exception
    """Base of the SDK's API errors: HTTP error statuses, errors inside a stream, connection."""

    connection_error: type[Exception] = Exception
    """The SDK's exception for unreachable endpoints and timeouts."""

    timeout_error: type[Exception] = Exception
    """The SDK's timeout exception (a subclass of `connection_error`)."""

    def __init__(self, model: str, endpoint: Endpoint) -> None:
        self._model = model
        self.endpoint = endpoint

    def timeouts(self) -> tuple[float, float]:
        """(overall, connect) seconds per attempt, for the SDK's `Timeout`."""
        overall = self.endpoint.timeout_seconds
        return overall, min(CONNECT_TIMEOUT_SECONDS, overall)

    @property
    def name(self) -> str:
        """Model name as the provider knows it."""
        return self._model

    @property
    def provider(self) -> str:
        """Provider name from the config."""
        return self.endpoint.provider

    async def complete(
        self,
        messages: Sequence[Message],
        *,
        system: str = "",
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> Response:
        """Answer the conversation in one piece (one non-streaming HTTP request)."""
        request = make_request(
            messages, system=system, tools=tools, max_tokens=max_tokens, temperature=temperature
        )
        try:
            return await self._send(request)
        except self.api_error as e:
            raise self.translate(e) from e

    async def stream(
        self,
        messages: Sequence[Message],
        *,
        system: str = "",
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> AsyncGenerator[StreamEvent, None]:
        """Answer as events; closing this generator closes the HTTP stream."""
        request = make_request(
            messages, system=system, tools=tools, max_tokens=max_tokens, temperature=temperature
        )
        events = self._events(request)
        try:
            async for event in events:
                yield event
        except self.api_error as e:
            raise self.translate(e) from e
        finally:
            await events.aclose()

    async def _send(self, request: Request) -> Response:
        raise NotImplementedError

    def _events(self, request: Request) -> AsyncGenerator[StreamEvent, None]:
        raise NotImplementedError

    def translate(self, error: Exception) -> ModelError:
        """An SDK exception as our typed error, with a message that says what to do."""
        where = f"{self.provider} (model {self._model})"
        fix_retries = f"raise providers.{self.provider}.max_retries or try again later"
        if isinstance(error, self.timeout_error):
            return ProviderConnectionError(
                f"{where} did not answer within {self.endpoint.timeout_seconds:g}s after "
                f"{self.endpoint.max_retries} retries; raise providers.{self.provider}"
                ".timeout_seconds or check the endpoint",
                provider=self.provider,
                model=self._model,
            )
        if isinstance(error, self.connection_error):
            url = self.endpoint.base_url or "its default endpoint"
            return ProviderConnectionError(
                f"cannot reach {where} at {url}: {error}; check providers.{self.provider}"
                ".base_url and the network",
                provider=self.provider,
                model=self._model,
            )
        detail = str(getattr(error, "message", error))
        status = int(getattr(error, "status_code", 0))
        if status < 400:
            # An error event inside a stream that began with HTTP 200; the SDK does
            # not retry these. Its body names the kind of failure.
            status = _STREAM_ERROR_STATUS.get(_error_type(error), 500)
        cls, advice = _STATUS_ADVICE.get(status, _advice_for_range(status))
        return cls(
            f"{where} answered HTTP {status}: {detail} — "
            + advice.format(provider=self.provider, model=self._model, retries=fix_retries),
            provider=self.provider,
            model=self._model,
            status=status,
        )


_STATUS_ADVICE: dict[int, tuple[type[ModelError], str]] = {
    401: (
        AuthenticationError,
        "check the key: `trae config set --provider {provider} --api-key …`",
    ),
    403: (
        AuthenticationError,
        "the key may not access {model}: check providers.{provider}.api_key",
    ),
    404: (
        ModelNotFoundError,
        "the provider does not serve '{model}': choose another with --model or fix "
        "default_model / providers.{provider}.models",
    ),
    429: (RateLimitError, "still rate limited after retries: {retries}"),
    529: (ProviderUnavailableError, "the provider is overloaded: {retries}"),
}
"""HTTP status → typed error and what the user should do; the one place this is decided."""


_STREAM_ERROR_STATUS: dict[str, int] = {
    "overloaded_error": 529,
    "rate_limit_error": 429,
    "rate_limit_exceeded": 429,
    "invalid_request_error": 400,
}
"""Error type in a mid-stream error body → the HTTP status it stands for (else 500)."""


def _error_type(error: Exception) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("type", ""))
    return ""


def _advice_for_range(status: int) -> tuple[type[ModelError], str]:
    if status >= 500:
        return ProviderUnavailableError, "the provider failed: {retries}"
    return BadRequestError, "the request was rejected; shorten the context or fix the input"
