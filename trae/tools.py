"""Tools for the Python API: `from trae.tools import BaseTool, FileManager, CodeSearcher`."""

from trae_lsp.tools.base import BaseTool, ToolContext, ToolError, ToolParams, ToolResult
from trae_lsp.tools.file_manager import FileManager
from trae_lsp.tools.registry import ToolRegistry, UnknownToolError
from trae_lsp.tools.search import CodeSearcher, Usage, UsageIndex
from trae_lsp.tools.shell_executor import ShellExecutor, ShellResult

__all__ = [
    "BaseTool",
    "CodeSearcher",
    "FileManager",
    "ShellExecutor",
    "ShellResult",
    "ToolContext",
    "ToolError",
    "ToolParams",
    "ToolRegistry",
    "ToolResult",
    "UnknownToolError",
    "Usage",
    "UsageIndex",
]
