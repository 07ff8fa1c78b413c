"""End-to-end fixtures: the real server over stdio, driven by recorded editor capabilities."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.e2e.agent import CALC
from tests.e2e.editor import Editor, close

E2E_DIR = Path(__file__).parent

TRAE_LSP = [sys.executable, "-m", "trae_lsp.cli", "lsp"]
"""The server exactly as editors start it (`trae lsp` on stdio)."""

TEST_SERVER = [sys.executable, str(E2E_DIR / "review_server.py")]
"""The same server plus a test-only command reporting the settings in effect."""

CLIENTS = ["vscode", "neovim", "neovim-0.11"]
"""Recorded client capabilities under `capabilities/`; every e2e test runs with each."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark everything under tests/e2e as `e2e`."""
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git project holding `calc.py` with a bug (what the real-editor tests open)."""
    folder = tmp_path / "project"
    (folder / ".git").mkdir(parents=True)
    (folder / "calc.py").write_text(CALC)
    return folder


@pytest.fixture(params=CLIENTS)
def client_name(request: pytest.FixtureRequest) -> str:
    """Which editor the client impersonates."""
    return str(request.param)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=TRAE_LSP))
async def trae_lsp(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """A client connected to `trae lsp` (not initialized)."""
    yield


@pytest_lsp.fixture(config=ClientServerConfig(server_command=TEST_SERVER))
async def test_server(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """A client connected to the server with the test-only command (not initialized)."""
    yield


@pytest.fixture
async def editor(trae_lsp: LanguageClient, client_name: str) -> AsyncIterator[Editor]:
    """An editor on `trae lsp`; the test initializes it, teardown shuts the server down."""
    try:
        yield Editor(trae_lsp, client_name)
    finally:
        await close(trae_lsp)


@pytest.fixture
async def test_editor(test_server: LanguageClient, client_name: str) -> AsyncIterator[Editor]:
    """An editor on the server with the test-only command; the test initializes it."""
    try:
        yield Editor(test_server, client_name)
    finally:
        await close(test_server)
