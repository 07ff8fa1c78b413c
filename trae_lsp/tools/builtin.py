"""The built-in file, search and control tools, ready to register."""

from __future__ import annotations

from trae_lsp.tools.base import BaseTool
from trae_lsp.tools.done import TaskDoneTool, ThinkTool
from trae_lsp.tools.edit import InsertTool, StrReplaceTool, UndoTool
from trae_lsp.tools.files import CreateTool, ReadFileTool, ViewTool, WriteFileTool
from trae_lsp.tools.patch import ApplyPatchTool
from trae_lsp.tools.search import FindUsagesTool, GrepTool, UsageIndex
from trae_lsp.tools.shell import ShellTool


def file_tools() -> list[BaseTool]:
    """Tools that read and edit files through the Workspace."""
    return [
        ViewTool(),
        ReadFileTool(),
        WriteFileTool(),
        CreateTool(),
        StrReplaceTool(),
        InsertTool(),
        ApplyPatchTool(),
        UndoTool(),
    ]


def search_tools(*, index: UsageIndex | None = None) -> list[BaseTool]:
    """`grep` and `find_usages` (which uses the symbol index when one is given)."""
    return [GrepTool(), FindUsagesTool(index)]


def control_tools() -> list[BaseTool]:
    """`task_done` and `think`."""
    return [TaskDoneTool(), ThinkTool()]


def workspace_tools(*, index: UsageIndex | None = None) -> list[BaseTool]:
    """Every built-in tool of this module, `shell` included; web tools are added by their owners."""
    return [*file_tools(), *search_tools(index=index), ShellTool(), *control_tools()]
