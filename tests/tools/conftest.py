"""A small project and a tool context over it, in apply mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from trae_lsp.tools.base import ToolContext
from trae_lsp.workspace import Workspace


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text(
        "import os\n\n\ndef authenticate_user(name):\n    return name == 'admin'\n"
    )
    (root / "src" / "views.py").write_text(
        "from app import authenticate_user\n\n\ndef login(n):\n    return authenticate_user(n)\n"
    )
    (root / "README.md").write_text("# demo\n")
    return root


@pytest.fixture
def ctx(project: Path) -> ToolContext:
    return ToolContext(workspace=Workspace(project))
