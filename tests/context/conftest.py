"""Fixtures of the context tests: a copy of the sample project, and an index over it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from trae_lsp.context.index import ContextIndex

PROJECT = Path(__file__).parents[1] / "data" / "context" / "project"

IGNORED = (
    "build/out.py",  # .gitignore
    "debug.log",  # .gitignore
    "secret/key.py",  # .traeignore
    "pkg/sub/generated.py",  # nested .gitignore
    ".cache/tool.py",  # hidden directory
    "locale/fr.po",  # translation catalogue
    "package-lock.json",  # generated lockfile
)
"""Files of the sample project the index must not see (written at test time: git ignores some)."""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The sample project plus files its ignore rules exclude (git cannot hold those)."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    for rel in IGNORED:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("def hidden_function():\n    return 1\n")
    (root / "logo.bin").write_bytes(b"\x89PNG\x00\x01def fake():")
    return root


@pytest.fixture
def index(project: Path) -> Iterator[ContextIndex]:
    """A refreshed index over the sample project, closed afterwards."""
    ix = ContextIndex(project, workers=1)
    ix.refresh()
    yield ix
    ix.close()
