"""The language server starts over stdio, initializes and shuts down cleanly."""

from __future__ import annotations

import sys

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from trae_lsp import __version__


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "trae_lsp.cli", "lsp"])
)
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    yield
    await lsp_client.shutdown_session()


async def test_initialize_reports_name_and_version(client: LanguageClient) -> None:
    result = await client.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities())
    )
    assert result.server_info is not None
    assert result.server_info.name == "trae-lsp"
    assert result.server_info.version == __version__
