"""A scripted model read from a JSON file: `--model scripted:<path>` / `trae.model`.

Lets a process started by someone else (the language server under an editor or
a test, a benchmark) be driven by a script instead of a provider. The file is a
JSON list; each item answers one model call, in order:

- `"text"`: a final answer without tool calls;
- `{"tool": "str_replace", "arguments": {...}, "text": "", "delay": 0.5,
  "usage": {"input_tokens": 10, "output_tokens": 5}}`: a tool call (`tool` and
  `arguments` optional: without `tool` the item is a text answer), answered
  after `delay` seconds (what a slow provider would take).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trae_lsp.errors import ConfigError
from trae_lsp.llm.messages import Message, Response, StreamEvent, ToolSpec, Usage
from trae_lsp.llm.model import DEFAULT_MAX_TOKENS
from trae_lsp.llm.scripted import (
    ScriptedModel,
    response_events,
    text_response,
    tool_call_response,
)

SCRIPT_PREFIX = "scripted:"
"""Model spec prefix naming a script file (`scripted:/path/to/script.json`)."""


class ScriptItem(BaseModel):
    """One scripted answer as written in the file."""

    model_config = ConfigDict(extra="forbid")

    text: str = ""
    tool: str | None = None
    arguments: dict[str, Any] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    delay: float = Field(default=0.0, ge=0)


class ScriptFileModel:
    """Answers like `ScriptedModel`, waiting each item's `delay` first (cancellable)."""

    def __init__(self, items: Sequence[ScriptItem], *, name: str) -> None:
        self._delays = [item.delay for item in items]
        self.script = ScriptedModel(
            [_response(i, item, name) for i, item in enumerate(items)], name=name
        )

    @property
    def name(self) -> str:
        """The script file's name."""
        return self.script.name

    @property
    def provider(self) -> str:
        """`scripted`."""
        return self.script.provider

    async def complete(
        self,
        messages: Sequence[Message],
        *,
        system: str = "",
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> Response:
        """The next scripted answer, after its delay."""
        await self._wait()
        return await self.script.complete(
            messages, system=system, tools=tools, max_tokens=max_tokens, temperature=temperature
        )

    async def stream(
        self,
        messages: Sequence[Message],
        *,
        system: str = "",
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> AsyncGenerator[StreamEvent, None]:
        """The next scripted answer as a stream, after its delay."""
        response = await self.complete(
            messages, system=system, tools=tools, max_tokens=max_tokens, temperature=temperature
        )
        for event in response_events(response):
            yield event

    async def _wait(self) -> None:
        index = len(self.script.requests)
        if index < len(self._delays) and self._delays[index] > 0:
            await asyncio.sleep(self._delays[index])


def is_script_spec(spec: str | None) -> bool:
    """Does a model spec name a script file?"""
    return bool(spec) and str(spec).startswith(SCRIPT_PREFIX)


def load_script_model(spec: str) -> ScriptFileModel:
    """The model a `scripted:<path>` spec names; a bad file raises `ConfigError`."""
    path = Path(spec.removeprefix(SCRIPT_PREFIX)).expanduser()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, list):
            raise ValueError("the script must be a JSON list of answers")
        items = [ScriptItem(text=x) if isinstance(x, str) else ScriptItem(**x) for x in raw]
    except (OSError, ValueError, TypeError, ValidationError) as e:
        raise ConfigError(
            f"cannot read the model script {path}: {e}; give a JSON list of answers "
            '(strings or {"tool": ..., "arguments": {...}})'
        ) from e
    return ScriptFileModel(items, name=path.name)


def _response(index: int, item: ScriptItem, name: str) -> Response:
    if item.tool is None:
        return text_response(item.text, usage=item.usage, model=name)
    return tool_call_response(
        item.tool,
        item.arguments,
        call_id=f"call_{index}",
        text=item.text,
        usage=item.usage,
        model=name,
    )
