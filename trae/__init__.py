"""The public Python API of trae-lsp: `from trae import TraeAgent` and friends.

This package only re-exports; the code lives in `trae_lsp`.
"""

from trae_lsp import __version__
from trae_lsp.agent.workflow import Workflow
from trae_lsp.config import TraeConfig
from trae_lsp.errors import ConfigError, TraeError
from trae_lsp.llm.budget import TokenBudget

__all__ = ["ConfigError", "TokenBudget", "TraeConfig", "TraeError", "Workflow", "__version__"]
