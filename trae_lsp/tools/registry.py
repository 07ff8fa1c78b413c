"""The tools an agent may call, by name: registration, selection and safe execution."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from trae_lsp.errors import TraeError
from trae_lsp.llm.messages import ToolSpec
from trae_lsp.tools.base import BaseTool, ToolContext, ToolResult
from trae_lsp.tools.caching import invoke_cached


class UnknownToolError(TraeError):
    """A tool name that no registered tool has."""


class DuplicateToolError(TraeError):
    """Two tools registered under one name."""


class ToolRegistry:
    """Tools by name; `select` narrows it to the names a task allows."""

    def __init__(self, tools: Iterable[BaseTool] = ()) -> None:
        self._tools: dict[str, BaseTool] = {}
        for tool in tools:
            self.register_tool(tool)

    def register_tool(self, tool: BaseTool, *, replace: bool = False) -> None:
        """Add a tool; a second tool with the same name is refused unless `replace`."""
        if not tool.name:
            raise TraeError(f"{type(tool).__name__} has no `name`; set the class attribute.")
        if tool.name in self._tools and not replace:
            raise DuplicateToolError(
                f"A tool named {tool.name!r} is already registered; "
                "pick another name or pass replace=True."
            )
        self._tools[tool.name] = tool

    def get(self, name: str) -> BaseTool:
        """The tool called `name`; an unknown name raises listing the known ones."""
        try:
            return self._tools[name]
        except KeyError:
            raise UnknownToolError(_unknown_message([name], self.names)) from None

    def select(self, names: Sequence[str] | None) -> ToolRegistry:
        """A registry with only `names` (all tools when `None`), in the order given."""
        if names is None:
            return ToolRegistry(self._tools.values())
        unknown = [name for name in names if name not in self._tools]
        if unknown:
            raise UnknownToolError(_unknown_message(unknown, self.names))
        return ToolRegistry(self._tools[name] for name in dict.fromkeys(names))

    @property
    def names(self) -> list[str]:
        """Names of the registered tools, in registration order."""
        return list(self._tools)

    def specs(self) -> list[ToolSpec]:
        """What the model is told about each tool."""
        return [
            ToolSpec(name=t.name, description=t.description, input_schema=t.parameters_schema())
            for t in self._tools.values()
        ]

    async def execute(
        self, name: str, arguments: Mapping[str, Any], ctx: ToolContext
    ) -> ToolResult:
        """Run one tool call (through the cache if `ctx.cache`); failures come back as results."""
        tool = self._tools.get(name)
        if tool is None:
            return ToolResult.error(_unknown_message([name], self.names))
        return await invoke_cached(tool, arguments, ctx)

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __iter__(self) -> Iterator[BaseTool]:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)


def _unknown_message(unknown: Sequence[str], known: Sequence[str]) -> str:
    """Name the unknown tools and list the ones that exist."""
    listed = ", ".join(known) or "none registered"
    return f"Unknown tool(s) {', '.join(map(repr, unknown))}. Known tools: {listed}."
