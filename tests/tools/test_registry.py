"""BaseTool in both styles and the ToolRegistry: schemas, selection, errors as results."""

from __future__ import annotations

from typing import Any

import pytest

from trae_lsp.tools.base import BaseTool, ToolContext, ToolParams, ToolResult
from trae_lsp.tools.builtin import workspace_tools
from trae_lsp.tools.done import TaskDoneTool, ThinkTool
from trae_lsp.tools.files import ReadFileTool, WriteFileTool
from trae_lsp.tools.registry import DuplicateToolError, ToolRegistry, UnknownToolError


class DatabaseInspector(BaseTool):
    """The article's custom tool, written exactly in its style."""

    name = "database_inspector"
    description = "Inspect database schema and query execution plans"

    def __init__(self, connection_string: str):
        self.connection_string = connection_string

    def get_schema(self, table: str) -> dict[str, str]:
        return {"table": table, "db": self.connection_string}

    def explain_query(self, sql: str) -> str:
        return f"EXPLAIN {sql}"

    def execute(self, action: str, **kwargs: Any) -> Any:
        if action == "get_schema":
            return self.get_schema(kwargs["table"])
        elif action == "explain":
            return self.explain_query(kwargs["sql"])
        raise ValueError(f"Unknown action: {action}")


class Exploding(BaseTool):
    name = "exploding"
    description = "Always fails."

    class Params(ToolParams):
        reason: str
        """Why it fails."""

    async def execute(self, params: Params, ctx: ToolContext) -> ToolResult:
        raise RuntimeError(params.reason)


async def test_article_style_tool_runs_through_invoke(ctx: ToolContext) -> None:
    tool = DatabaseInspector("postgresql://localhost/mydb")
    result = await tool.invoke({"action": "get_schema", "table": "users"}, ctx)
    assert not result.is_error
    assert result.value == {"table": "users", "db": "postgresql://localhost/mydb"}
    assert '"table": "users"' in result.output
    assert (await tool.invoke({"action": "explain", "sql": "SELECT 1"}, ctx)).output == (
        "EXPLAIN SELECT 1"
    )


async def test_article_style_errors_become_results(ctx: ToolContext) -> None:
    tool = DatabaseInspector("pg://")
    result = await tool.invoke({"action": "drop"}, ctx)
    assert result.is_error and "Unknown action: drop" in result.output
    result = await tool.invoke({"action": "get_schema"}, ctx)
    assert result.is_error and "Missing argument 'table'" in result.output
    result = await tool.invoke({}, ctx)
    assert result.is_error and "action: Field required" in result.output


def test_article_style_schema_is_action_plus_free_kwargs() -> None:
    schema = DatabaseInspector("pg://").parameters_schema()
    assert schema["required"] == ["action"]
    assert schema["properties"]["action"]["type"] == "string"
    assert schema["additionalProperties"] is True


def test_typed_schema_carries_field_docs() -> None:
    schema = WriteFileTool().parameters_schema()
    assert schema["required"] == ["path", "content"]
    assert schema["additionalProperties"] is False
    assert "complete new text" in schema["properties"]["content"]["description"]


async def test_unexpected_exceptions_never_escape(ctx: ToolContext) -> None:
    result = await Exploding().invoke({"reason": "boom"}, ctx)
    assert result.is_error and result.output.startswith("RuntimeError: boom.")


async def test_registry_selects_by_name_and_executes(ctx: ToolContext) -> None:
    registry = ToolRegistry([ReadFileTool(), WriteFileTool(), ThinkTool()])
    registry.register_tool(DatabaseInspector("pg://"))
    chosen = registry.select(["database_inspector", "read_file", "write_file"])
    assert chosen.names == ["database_inspector", "read_file", "write_file"]
    assert [spec.name for spec in chosen.specs()] == chosen.names
    result = await chosen.execute("read_file", {"path": "README.md"}, ctx)
    assert result.output == "# demo\n"
    assert registry.select(None).names == registry.names


def test_unknown_names_list_the_known_ones() -> None:
    registry = ToolRegistry([ReadFileTool(), ThinkTool()])
    with pytest.raises(UnknownToolError, match=r"'shell'\. Known tools: read_file, think\."):
        registry.select(["read_file", "shell"])
    with pytest.raises(UnknownToolError, match="Known tools: read_file, think"):
        registry.get("nope")


async def test_unknown_tool_call_is_an_error_result(ctx: ToolContext) -> None:
    result = await ToolRegistry([ThinkTool()]).execute("rm", {}, ctx)
    assert result.is_error and result.output == "Unknown tool(s) 'rm'. Known tools: think."


def test_duplicates_refused_unless_replaced() -> None:
    registry = ToolRegistry([ThinkTool()])
    with pytest.raises(DuplicateToolError, match="already registered"):
        registry.register_tool(ThinkTool())
    registry.register_tool(ThinkTool(), replace=True)
    assert len(registry) == 1 and "think" in registry


async def test_task_done_and_think(ctx: ToolContext) -> None:
    done = await TaskDoneTool().invoke({"summary": "fixed median; tests pass"}, ctx)
    assert (done.output, done.is_error) == ("fixed median; tests pass", False)
    assert (await ThinkTool().invoke({"thought": "plan"}, ctx)).output == "Noted."


def test_builtin_tools_have_unique_names_and_valid_schemas() -> None:
    registry = ToolRegistry(workspace_tools())
    assert {
        "view", "read_file", "write_file", "create", "str_replace", "insert",
        "apply_patch", "undo", "grep", "find_usages", "task_done", "think",
    } <= set(registry.names)  # fmt: skip
    assert len(set(registry.names)) == len(registry.names)
    for spec in registry.specs():
        assert spec.description and spec.input_schema["type"] == "object"
        assert all("description" in p for p in spec.input_schema["properties"].values())
