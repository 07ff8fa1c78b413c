"""What a fake provider answers, one item per request, in order."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from trae_lsp.llm.messages import Response


@dataclass(frozen=True)
class ErrorReply:
    """An HTTP error the fake answers with, in the provider's error body format."""

    status: int
    message: str = "fake error"
    retry_after_seconds: float | None = None
    retry_after_ms: float | None = 1
    """Sent as `retry-after-ms`; the SDKs prefer it over `retry-after`, so tests stay fast."""


@dataclass(frozen=True)
class HangingStream:
    """Stream the first `events_before_hang` SSE events of `response`, then wait for the client.

    A non-streamed request gets nothing: the fake holds it as a slow model would.

    The fake holds the connection open until the client closes it (or the server
    stops), and then sets `RecordedRequest.client_closed`.
    """

    response: Response
    events_before_hang: int = 3
    started: threading.Event = field(default_factory=threading.Event, compare=False)
    """Set once the fake holds the connection (a non-streamed request gets no bytes at all)."""


@dataclass(frozen=True)
class MidStreamError:
    """Stream the first `events_before_error` events of `response`, then an error event.

    This is how the real APIs report overload or failure after answering HTTP 200.
    """

    response: Response
    error: ErrorReply
    events_before_error: int = 3


ScriptItem = Response | ErrorReply | HangingStream | MidStreamError
"""One scripted answer."""


@dataclass
class RecordedRequest:
    """A request the fake received: path, headers and parsed JSON body."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    client_closed: threading.Event = field(default_factory=threading.Event)

    @property
    def streamed(self) -> bool:
        """Whether the client asked for a streamed answer."""
        return bool(self.body.get("stream"))
