"""The public Python API of trae-lsp: `from trae import TraeAgent` and friends.

This package only re-exports; the code lives in `trae_lsp`.
"""

from trae_lsp import __version__
from trae_lsp.agent.planner import Plan, PlanningError, PlanStep, TaskPlanner
from trae_lsp.agent.result import AgentResult
from trae_lsp.agent.trae_agent import TraeAgent
from trae_lsp.agent.workflow import Workflow
from trae_lsp.config import TraeConfig
from trae_lsp.context import ContextEngine
from trae_lsp.errors import ConfigError, TraeError
from trae_lsp.llm.budget import TokenBudget
from trae_lsp.workspace import ChangeSet, FileChange, Workspace, WorkspaceMode

__all__ = [
    "AgentResult",
    "ChangeSet",
    "ConfigError",
    "ContextEngine",
    "FileChange",
    "Plan",
    "PlanStep",
    "PlanningError",
    "TaskPlanner",
    "TokenBudget",
    "TraeAgent",
    "TraeConfig",
    "TraeError",
    "Workflow",
    "Workspace",
    "WorkspaceMode",
    "__version__",
]
