"""Tools for the Python API: `from trae.tools import BaseTool, FileManager, CodeSearcher`."""

from trae_lsp.tools.base import BaseTool, ToolContext, ToolError, ToolParams, ToolResult
from trae_lsp.tools.file_manager import FileManager
from trae_lsp.tools.registry import ToolRegistry, UnknownToolError
from trae_lsp.tools.search import CodeSearcher, Usage, UsageIndex
from trae_lsp.tools.shell_executor import ShellExecutor, ShellResult
from trae_lsp.tools.web import WebFetcher, WebPage
from trae_lsp.tools.web_search import SearchResult, WebError

__all__ = [
    "BaseTool",
    "CodeSearcher",
    "FileManager",
    "SearchResult",
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
    "WebError",
    "WebFetcher",
    "WebPage",
]
