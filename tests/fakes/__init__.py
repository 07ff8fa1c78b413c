"""Fake model providers on 127.0.0.1 that speak the real wire formats, for offline tests.

Use the fixtures `fake_anthropic` / `fake_openai` (registered for every test by
`tests/conftest.py`), or the classes directly. `endpoint_for_fake` builds the
`Endpoint` that points a real SDK-backed model at a fake.
"""

from tests.fakes.anthropic_server import FakeAnthropic
from tests.fakes.http_server import FakeProviderServer
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.script import (
    ErrorReply,
    HangingStream,
    MidStreamError,
    RecordedRequest,
    ScriptItem,
)

__all__ = [
    "ErrorReply",
    "FakeAnthropic",
    "FakeOpenAI",
    "FakeProviderServer",
    "HangingStream",
    "MidStreamError",
    "RecordedRequest",
    "ScriptItem",
]
