"""A scripted HTTP server on 127.0.0.1 in a background thread, shared by the fake providers.

Subclasses say how a scripted answer looks on their wire (`render_json`,
`render_events`, `error_body`); this module serves it, records every request
and notices when a client hangs up in the middle of a stream.
"""

from __future__ import annotations

import json
import select
import socket
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.script import (
    ErrorReply,
    HangingStream,
    MidStreamError,
    RecordedRequest,
    ScriptItem,
)
from trae_lsp.llm.messages import Response

POLL_SECONDS = 0.02
"""How often a held stream checks whether the client went away or the server stops."""


class FakeProviderServer:
    """Base of the fake providers: script in, wire format out, requests recorded."""

    provider = "fake"

    def __init__(self, script: Iterable[ScriptItem] = ()) -> None:
        self.script: list[ScriptItem] = list(script)
        self.requests: list[RecordedRequest] = []
        self.failures: list[str] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(POLL_SECONDS,), daemon=True
        )

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`, without a path."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, *items: ScriptItem) -> None:
        """Append answers to the script."""
        with self._lock:
            self.script.extend(items)

    def start(self) -> FakeProviderServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release held streams."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> FakeProviderServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def next_item(self, request: RecordedRequest) -> ScriptItem | None:
        """Record a request and take the answer scripted for it."""
        with self._lock:
            self.requests.append(request)
            if self.script:
                return self.script.pop(0)
        self.failures.append(f"request {len(self.requests)} to {request.path}: script exhausted")
        return None

    def usage_for(self, request: RecordedRequest, response: Response) -> dict[str, Any]:
        """The usage to report; subclasses may compute it from the request."""
        raise NotImplementedError

    def render_json(self, request: RecordedRequest, response: Response) -> dict[str, Any]:
        """The non-streamed response body."""
        raise NotImplementedError

    def render_events(self, request: RecordedRequest, response: Response) -> list[bytes]:
        """The SSE events of a streamed response, each already framed."""
        raise NotImplementedError

    def error_body(self, error: ErrorReply) -> dict[str, Any]:
        """The provider's JSON error body."""
        raise NotImplementedError

    def expected_path(self, path: str) -> bool:
        """Whether the path is the endpoint this fake serves."""
        raise NotImplementedError

    def error_event(self, error: ErrorReply) -> bytes:
        """An error reported inside an SSE stream."""
        raise NotImplementedError

    def is_stopping(self) -> bool:
        """Whether `stop` was called."""
        return self._stopping.is_set()


def _handler_for(server: FakeProviderServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        fake = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeProviderServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's algorithm
        # and the client's delayed ACK add ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request log lines on stderr."""

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = RecordedRequest("POST", self.path, headers, body)
        if not self.fake.expected_path(self.path.split("?")[0]):
            self._send_error(ErrorReply(404, f"no such endpoint {self.path}", retry_after_ms=None))
            return
        item = self.fake.next_item(request)
        if item is None:
            message = "fake provider: script exhausted"
            self._send_error(ErrorReply(400, message, retry_after_ms=None))
        elif isinstance(item, ErrorReply):
            self._send_error(item)
        elif isinstance(item, HangingStream):
            self._hang(request, item)
        elif isinstance(item, MidStreamError):
            events = self.fake.render_events(request, item.response)[: item.events_before_error]
            self._send_events([*events, self.fake.error_event(item.error)])
        elif request.streamed:
            self._send_events(self.fake.render_events(request, item))
        else:
            self._send_json(200, self.fake.render_json(request, item))

    def _send_json(self, status: int, payload: dict[str, Any], **headers: str) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", f"req_fake_{len(self.fake.requests)}")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(data)

    def _send_error(self, error: ErrorReply) -> None:
        headers = {}
        if error.retry_after_ms is not None:
            headers["retry_after_ms"] = f"{error.retry_after_ms:g}"
        if error.retry_after_seconds is not None:
            headers["retry_after"] = f"{error.retry_after_seconds:g}"
        self._send_json(error.status, self.fake.error_body(error), **headers)

    def _start_events(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("connection", "close")
        self.end_headers()
        self.close_connection = True

    def _send_events(self, events: list[bytes]) -> None:
        self._start_events()
        for event in events:
            self.wfile.write(event)
            self.wfile.flush()

    def _hang(self, request: RecordedRequest, item: HangingStream) -> None:
        if request.streamed:
            events = self.fake.render_events(request, item.response)
            self._start_events()
            for event in events[: item.events_before_hang]:
                self.wfile.write(event)
            self.wfile.flush()
        self.close_connection = True
        item.started.set()
        if _wait_for_hangup(self.connection, self.fake):
            request.client_closed.set()


def _wait_for_hangup(sock: socket.socket, fake: FakeProviderServer) -> bool:
    """Block until the peer closes the connection (True) or the server stops (False)."""
    while not fake.is_stopping():
        readable, _, _ = select.select([sock], [], [], POLL_SECONDS)
        if not readable:
            continue
        try:
            if sock.recv(1, socket.MSG_PEEK) == b"":
                return True
        except OSError:
            return True
    return False
