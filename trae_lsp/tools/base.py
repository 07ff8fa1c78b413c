"""What a tool is: a name, a description, a parameter schema the model sees, and `execute`.

Two styles fit the same base class:

* typed (ours): a nested pydantic model `Params` and
  `async def execute(self, params: Params, ctx: ToolContext) -> ToolResult`;
* the article's ("Custom Tool Integration"): no `Params`, an `__init__` of its own
  and `def execute(self, action: str, **kwargs) -> Any` (sync or async). Its schema
  is `{action: str, ...free keyword arguments}` and its return value becomes the output.

Callers never call `execute` directly: they call `invoke(arguments, ctx)`, which
validates, runs and turns every failure into `ToolResult(is_error=True)`, so a
tool never raises into the agent loop.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import inspect
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from trae_lsp.config import TraeConfig
from trae_lsp.errors import TraeError

if TYPE_CHECKING:
    from trae_lsp.cache.base import ToolCache
    from trae_lsp.workspace import Workspace

_log = logging.getLogger(__name__)

ConfirmFn = Callable[[str], Awaitable[bool]]
"""Asks the user a yes/no question (terminal prompt, `window/showMessageRequest`)."""


class ToolError(TraeError):
    """A tool cannot do what was asked; the message tells the model what to do instead."""


@dataclass(frozen=True)
class ToolResult:
    """What a tool call produced: text for the model, plus an optional Python value."""

    output: str
    """The observation the model reads."""

    is_error: bool = False
    """True when the call failed; `output` then says why and what to do next."""

    value: Any = None
    """The raw return value for Python callers (e.g. an article-style tool's dict)."""

    cached: bool = False
    """True when the output came from the tool cache instead of running the tool."""

    @classmethod
    def error(cls, message: str) -> ToolResult:
        """A failed call whose message tells the model what to do next."""
        return cls(output=message, is_error=True)


@dataclass
class ToolContext:
    """Everything a tool may touch during one agent run."""

    workspace: Workspace
    """The only way tools read and write files (overlay, buffers, disk; path confinement)."""

    config: TraeConfig = field(default_factory=TraeConfig)
    """The validated settings of this run (e.g. `tools.shell.timeout_seconds`)."""

    confirm: ConfirmFn | None = None
    """Asks the user before a risky action; `None`: nobody can be asked, so the answer is no."""

    cache: ToolCache | None = None
    """Where results of read-only tools are cached (`None`: no caching)."""


class ToolParams(BaseModel):
    """Base of typed tools' parameter models: field docstrings become schema descriptions."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class ArticleParams(BaseModel):
    """Schema of an article-style tool: an `action` plus free keyword arguments."""

    model_config = ConfigDict(extra="allow", use_attribute_docstrings=True)

    action: str
    """Which action to run; see the tool's description for the actions it knows."""


class BaseTool:
    """Base of every tool; subclass it and set `name`, `description` and `execute`."""

    name: ClassVar[str] = ""
    """Unique name the model calls the tool by."""

    description: ClassVar[str] = ""
    """What the tool does and when to use it; the model reads this."""

    Params: ClassVar[type[BaseModel] | None] = None
    """Parameter model (typed style); `None` selects the article style."""

    read_only: ClassVar[bool] = False
    """True when the tool never changes files or the world, so its results may be cached."""

    def parameters_schema(self) -> dict[str, Any]:
        """The JSON schema of the tool's arguments, as sent to the model (with every turn).

        Pydantic builds it once per parameter model: building a dozen schemas took ~7 ms
        of every model turn. Callers get their own copy.
        """
        return copy.deepcopy(_schema_of(self._params_model()))

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        """Run the tool; typed tools get `(params, ctx)`, article tools `(action, **kwargs)`."""
        raise NotImplementedError(f"tool {self.name!r} must define execute()")

    def cache_reads(self, params: Any, ctx: ToolContext) -> list[str] | None:
        """Project files whose content decides this call's result, for the cache key.

        `None` (the default) means the call is never cached; `[]` means it depends on
        its arguments only. Only `read_only` tools are ever cached.
        """
        return None

    def parse_arguments(self, arguments: Mapping[str, Any]) -> BaseModel:
        """Validate raw arguments against the parameter model (raises `ValidationError`)."""
        return self._params_model().model_validate(dict(arguments))

    async def invoke(self, arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """Validate `arguments`, run the tool and return a result; never raises."""
        try:
            params = self.parse_arguments(arguments)
        except ValidationError as e:
            return ToolResult.error(self._bad_arguments(e))
        try:
            if self.Params is None:
                return _as_result(await self._run_article_style(params))
            return _as_result(await self.execute(params, ctx))
        except Exception as e:  # the one boundary: a tool never raises into the agent loop
            _log.debug("tool %s failed", self.name, exc_info=True)
            return ToolResult.error(_describe(e))

    async def _run_article_style(self, params: BaseModel) -> Any:
        """Call an article-style `execute(action, **kwargs)`; blocking ones run in a thread."""
        kwargs = params.model_dump()
        if inspect.iscoroutinefunction(self.execute):
            return await self.execute(**kwargs)
        result = await asyncio.to_thread(self.execute, **kwargs)
        return await result if inspect.isawaitable(result) else result

    def _params_model(self) -> type[BaseModel]:
        return self.Params if self.Params is not None else ArticleParams

    def _bad_arguments(self, error: ValidationError) -> str:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'arguments'}: {err['msg']}"
            for err in error.errors()
        )
        schema = json.dumps(self.parameters_schema().get("properties", {}))
        return f"Invalid arguments for {self.name}: {problems}. Call it again with: {schema}"


@functools.cache
def _schema_of(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema.pop("title", None)
    return schema


def _as_result(value: Any) -> ToolResult:
    """Wrap whatever a tool returned as a `ToolResult`."""
    if isinstance(value, ToolResult):
        return value
    if isinstance(value, str):
        return ToolResult(output=value, value=value)
    try:
        text = json.dumps(value, indent=2, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return ToolResult(output=text, value=value)


def _describe(error: Exception) -> str:
    """The message the model sees for a failed call."""
    if isinstance(error, TraeError):
        return str(error)
    if isinstance(error, KeyError):
        return f"Missing argument {error}. Call the tool again with that argument."
    return f"{type(error).__name__}: {error}. Check the arguments and try again."
