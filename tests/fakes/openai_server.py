"""A fake OpenAI Chat Completions API: JSON and chunk streams with tool-call deltas, usage."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.http_server import FakeProviderServer
from tests.fakes.script import ErrorReply, RecordedRequest
from trae_lsp.llm.messages import Response

FINISH_REASONS = {
    "end_turn": "stop",
    "tool_use": "tool_calls",
    "max_tokens": "length",
    "refusal": "content_filter",
    "stop_sequence": "stop",
    "other": "stop",
}
"""Our stop reasons → Chat Completions finish reasons."""

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    404: "invalid_request_error",
    429: "rate_limit_exceeded",
}
"""HTTP status → `error.type`; anything else is `server_error`."""

ARGUMENT_CHUNK_CHARS = 10
"""Tool-call arguments are streamed in pieces of this many characters."""

CREATED = 1_764_000_000
"""Fixed `created` timestamp, so answers are deterministic."""


class FakeOpenAI(FakeProviderServer):
    """Serves `POST /v1/chat/completions` (point the SDK at `url + "/v1"`)."""

    provider = "openai"

    def expected_path(self, path: str) -> bool:
        """Only the Chat Completions endpoint exists."""
        return path == "/v1/chat/completions"

    def usage_for(self, request: RecordedRequest, response: Response) -> dict[str, Any]:
        """Usage in OpenAI's shape: cached tokens are part of `prompt_tokens`."""
        usage = response.usage
        prompt = usage.prompt_tokens
        return {
            "prompt_tokens": prompt,
            "completion_tokens": usage.output_tokens,
            "total_tokens": prompt + usage.output_tokens,
            "prompt_tokens_details": {
                "cached_tokens": usage.cache_read_tokens,
                # OpenRouter and similar gateways report prompt-cache writes here.
                **(
                    {"cache_write_tokens": usage.cache_write_tokens}
                    if usage.cache_write_tokens
                    else {}
                ),
            },
        }

    def _base(self, request: RecordedRequest, response: Response, kind: str) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-fake{len(self.requests)}",
            "object": kind,
            "created": CREATED,
            "model": request.body.get("model", response.model),
        }

    def render_json(self, request: RecordedRequest, response: Response) -> dict[str, Any]:
        """A `chat.completion` object."""
        message: dict[str, Any] = {
            "role": "assistant",
            "content": response.message.text or None,
            "refusal": None,
        }
        if response.message.tool_calls:
            message["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
                }
                for c in response.message.tool_calls
            ]
        choice = {
            "index": 0,
            "message": message,
            "finish_reason": FINISH_REASONS[response.stop_reason],
            "logprobs": None,
        }
        return {
            **self._base(request, response, "chat.completion"),
            "choices": [choice],
            "usage": self.usage_for(request, response),
        }

    def render_events(self, request: RecordedRequest, response: Response) -> list[bytes]:
        """`chat.completion.chunk`s: role, text pieces, tool-call deltas, finish, usage, [DONE]."""
        include_usage = bool((request.body.get("stream_options") or {}).get("include_usage"))
        deltas: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
        text = response.message.text
        deltas.extend({"content": text[i : i + 5]} for i in range(0, len(text), 5))
        for index, call in enumerate(response.message.tool_calls):
            deltas.extend({"tool_calls": [d]} for d in _tool_call_deltas(index, call))
        chunks = [self._chunk(request, response, delta, None, include_usage) for delta in deltas]
        finish = FINISH_REASONS[response.stop_reason]
        chunks.append(self._chunk(request, response, {}, finish, include_usage))
        if include_usage:
            last = {**self._base(request, response, "chat.completion.chunk"), "choices": []}
            chunks.append({**last, "usage": self.usage_for(request, response)})
        return [f"data: {json.dumps(c)}\n\n".encode() for c in chunks] + [b"data: [DONE]\n\n"]

    def _chunk(
        self,
        request: RecordedRequest,
        response: Response,
        delta: dict[str, Any],
        finish: str | None,
        include_usage: bool,
    ) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        chunk = {**self._base(request, response, "chat.completion.chunk"), "choices": [choice]}
        return {**chunk, "usage": None} if include_usage else chunk

    def error_body(self, error: ErrorReply) -> dict[str, Any]:
        """`{"error": {"message", "type", "param", "code"}}`."""
        kind = ERROR_TYPES.get(error.status, "server_error")
        return {"error": {"message": error.message, "type": kind, "param": None, "code": None}}

    def error_event(self, error: ErrorReply) -> bytes:
        """A `data:` line holding the error object, as OpenAI sends it mid-stream."""
        return f"data: {json.dumps(self.error_body(error))}\n\n".encode()


def _tool_call_deltas(index: int, call: Any) -> list[dict[str, Any]]:
    raw = json.dumps(call.arguments)
    first = {
        "index": index,
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": ""},
    }
    pieces = [raw[i : i + ARGUMENT_CHUNK_CHARS] for i in range(0, len(raw), ARGUMENT_CHUNK_CHARS)]
    return [first, *[{"index": index, "function": {"arguments": p}} for p in pieces]]
