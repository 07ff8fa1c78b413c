"""Pytest fixtures for the fake providers, and models already pointed at them.

Registered for the whole suite by `pytest_plugins` in `tests/conftest.py`:

    async def test_x(fake_anthropic, anthropic_model):
        fake_anthropic.add(text_response("hi"))
        response = await anthropic_model.complete([UserMessage(text="hello")])
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

from tests.fakes.anthropic_server import FakeAnthropic
from tests.fakes.openai_server import FakeOpenAI
from trae_lsp.llm.model import Endpoint

if TYPE_CHECKING:
    # The SDKs take seconds to import; the whole suite loads this plugin, so only the
    # tests that use a model fixture pay for them.
    from trae_lsp.llm.anthropic import AnthropicModel
    from trae_lsp.llm.openai import OpenAIModel

FAKE_API_KEY = "sk-fake-test-key-0000"
"""The key models send to the fakes (tests can assert it arrives, and is never logged)."""

FAKE_MAX_RETRIES = 2
"""Retries the fixture models allow; the fakes answer `retry-after-ms: 1`, so they are quick."""


def fake_endpoint(server: FakeAnthropic | FakeOpenAI, **overrides: object) -> Endpoint:
    """An `Endpoint` pointing at a fake server (OpenAI's base URL includes `/v1`)."""
    suffix = "/v1" if isinstance(server, FakeOpenAI) else ""
    settings: dict[str, object] = {
        "provider": server.provider,
        "api_key": FAKE_API_KEY,
        "base_url": server.url + suffix,
        "max_retries": FAKE_MAX_RETRIES,
        "timeout_seconds": 30.0,
        **overrides,
    }
    return Endpoint(**settings)  # type: ignore[arg-type]


@pytest.fixture
def fake_anthropic() -> Iterator[FakeAnthropic]:
    """A running fake Anthropic Messages API with an empty script."""
    with FakeAnthropic() as server:
        yield server


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A running fake OpenAI Chat Completions API with an empty script."""
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
async def anthropic_model(fake_anthropic: FakeAnthropic) -> AsyncIterator[AnthropicModel]:
    """`AnthropicModel("claude-sonnet-4-6")` talking to `fake_anthropic`."""
    from trae_lsp.llm.anthropic import AnthropicModel

    model = AnthropicModel("claude-sonnet-4-6", fake_endpoint(fake_anthropic))
    yield model
    await model.aclose()


@pytest.fixture
async def openai_model(fake_openai: FakeOpenAI) -> AsyncIterator[OpenAIModel]:
    """`OpenAIModel("gpt-5")` talking to `fake_openai`."""
    from trae_lsp.llm.openai import OpenAIModel

    model = OpenAIModel("gpt-5", fake_endpoint(fake_openai))
    yield model
    await model.aclose()
