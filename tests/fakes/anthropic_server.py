"""A fake Anthropic Messages API: JSON and SSE answers, usage with cache fields, errors."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from tests.fakes.http_server import FakeProviderServer
from tests.fakes.prompt_cache import PromptCache, count_tokens
from tests.fakes.script import ErrorReply, RecordedRequest, ScriptItem
from trae_lsp.llm.messages import Response

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
"""HTTP status → `error.type` in Anthropic error bodies."""

JSON_CHUNK_CHARS = 12
"""Tool input JSON is streamed in pieces of this many characters, as the API does."""


class FakeAnthropic(FakeProviderServer):
    """Serves `POST /v1/messages`. With `simulate_cache`, usage comes from `PromptCache`."""

    provider = "anthropic"

    def __init__(self, script: Iterable[ScriptItem] = (), *, simulate_cache: bool = False) -> None:
        super().__init__(script)
        self.cache = PromptCache() if simulate_cache else None

    def expected_path(self, path: str) -> bool:
        """Only the Messages endpoint exists."""
        return path == "/v1/messages"

    def usage_for(self, request: RecordedRequest, response: Response) -> dict[str, Any]:
        """The scripted usage, or the simulated cache's billing of this request."""
        usage = response.usage
        if self.cache is None:
            return {
                "input_tokens": usage.input_tokens,
                "output_tokens": usage.output_tokens,
                "cache_read_input_tokens": usage.cache_read_tokens,
                "cache_creation_input_tokens": usage.cache_write_tokens,
            }
        billing = self.cache.bill(request.body)
        return {
            "input_tokens": billing.input_tokens,
            "output_tokens": usage.output_tokens or count_tokens(_content(response)),
            "cache_read_input_tokens": billing.cache_read_tokens,
            "cache_creation_input_tokens": billing.cache_write_tokens,
        }

    def render_json(self, request: RecordedRequest, response: Response) -> dict[str, Any]:
        """A `message` object."""
        return {
            "id": f"msg_fake_{len(self.requests)}",
            "type": "message",
            "role": "assistant",
            "model": request.body.get("model", response.model),
            "content": _content(response),
            "stop_reason": response.stop_reason,
            "stop_sequence": None,
            "usage": self.usage_for(request, response),
        }

    def render_events(self, request: RecordedRequest, response: Response) -> list[bytes]:
        """message_start, a block start/deltas/stop per content block, message_delta, stop."""
        message = self.render_json(request, response)
        usage = message["usage"]
        start = {**message, "content": [], "stop_reason": None, "usage": {**usage}}
        start["usage"]["output_tokens"] = 1
        events = [_sse("message_start", {"message": start}), _sse("ping", {})]
        for index, block in enumerate(message["content"]):
            events.extend(_block_events(index, block))
        delta = {"stop_reason": message["stop_reason"], "stop_sequence": None}
        events.append(
            _sse(
                "message_delta",
                {"delta": delta, "usage": {"output_tokens": usage["output_tokens"]}},
            )
        )
        events.append(_sse("message_stop", {}))
        return events

    def error_body(self, error: ErrorReply) -> dict[str, Any]:
        """`{"type": "error", "error": {"type": ..., "message": ...}}`."""
        kind = ERROR_TYPES.get(error.status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": error.message}}

    def error_event(self, error: ErrorReply) -> bytes:
        """`event: error` with the same body as an HTTP error."""
        return _sse("error", {"error": self.error_body(error)["error"]})


def _content(response: Response) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if response.message.text:
        blocks.append({"type": "text", "text": response.message.text})
    blocks.extend(
        {"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments}
        for c in response.message.tool_calls
    )
    return blocks


def _block_events(index: int, block: dict[str, Any]) -> list[bytes]:
    if block["type"] == "text":
        start = {"type": "text", "text": ""}
        text = block["text"]
        pieces = [text[i : i + 5] for i in range(0, len(text), 5)]
        deltas = [{"type": "text_delta", "text": piece} for piece in pieces]
    else:
        start = {**block, "input": {}}
        raw = json.dumps(block["input"])
        pieces = [raw[i : i + JSON_CHUNK_CHARS] for i in range(0, len(raw), JSON_CHUNK_CHARS)]
        deltas = [{"type": "input_json_delta", "partial_json": piece} for piece in pieces]
    return [
        _sse("content_block_start", {"index": index, "content_block": start}),
        *[_sse("content_block_delta", {"index": index, "delta": d}) for d in deltas],
        _sse("content_block_stop", {"index": index}),
    ]


def _sse(event: str, data: dict[str, Any]) -> bytes:
    payload = json.dumps({"type": event, **data})
    return f"event: {event}\ndata: {payload}\n\n".encode()
