"""Secrets never reach the disk: not in tool inputs or outputs, model messages or errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from trae_lsp.config import TraeConfig
from trae_lsp.events import (
    ConversationMessage,
    ModelCalled,
    RecordedToolCall,
    RunFinished,
    RunStarted,
    RunStatus,
    ToolCalled,
    ToolResulted,
)
from trae_lsp.trajectory.recorder import TrajectoryRecorder, open_recorder
from trae_lsp.trajectory.redaction import Redactor
from trae_lsp.trajectory.store import load_trajectory

CONFIGURED_KEY = "sk-ant-api03-Zx81KqPw0mVt5RbN3yLc7HdJ2sFgUe9AoXiQ4"
"""A provider key written literally in the config file."""
OPENAI_KEY = "custom-proxy-key-0c9f3b2a71d84e56"
"""An env value with no known key shape: only the exact-value net can catch it."""
DEPLOY_TOKEN = "dt_5e3a9c0b7f1d2468ace0"
BEARER = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl"
GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
PASSWORD = "correct-horse-battery"
ALL_SECRETS = (CONFIGURED_KEY, OPENAI_KEY, DEPLOY_TOKEN, BEARER, GITHUB, PASSWORD)

ENV = {
    "OPENAI_API_KEY": OPENAI_KEY,
    "DEPLOY_TOKEN": DEPLOY_TOKEN,
    "HOME": "/home/dev",
    "PATH": "/usr/bin:/bin",
}


def config(output_dir: Path) -> TraeConfig:
    return TraeConfig.model_validate(
        {
            "providers": {"anthropic": {"api_key": CONFIGURED_KEY}},
            "trajectory": {"output_dir": str(output_dir)},
        }
    )


def assert_nothing_secret_on_disk(directory: Path) -> None:
    files = list(directory.iterdir())
    assert files
    for path in files:
        data = path.read_bytes()
        for secret in ALL_SECRETS:
            assert secret.encode() not in data, f"{secret} leaked into {path.name}"


def leaky_events(recorder: TrajectoryRecorder) -> None:
    recorder(RunStarted(task=f"deploy with {DEPLOY_TOKEN}"))
    recorder(
        ModelCalled(
            new_messages=(
                ConversationMessage(role="user", content=f"my key is {CONFIGURED_KEY}"),
                ConversationMessage(role="tool", content=f"export OPENAI_API_KEY={OPENAI_KEY}"),
            ),
            response_text=f"I will call the API with Bearer {BEARER}",
            tool_calls=(
                RecordedToolCall(id="c1", name="shell", arguments={"command": f"gh auth {GITHUB}"}),
            ),
        )
    )
    recorder(
        ToolCalled(
            call_id="c1",
            tool="http_request",
            arguments={"headers": {"Authorization": f"Bearer {BEARER}"}, "password": PASSWORD},
        )
    )
    recorder(
        ToolResulted(
            call_id="c1",
            tool="http_request",
            output=f"token={DEPLOY_TOKEN}\n{GITHUB}",
            is_error=True,
        )
    )


def test_no_secret_reaches_disk_during_or_after_the_run(tmp_path: Path) -> None:
    recorder = open_recorder(config(tmp_path), env=ENV)
    assert recorder is not None
    leaky_events(recorder)
    assert_nothing_secret_on_disk(recorder.path.parent)  # the journal, mid-run
    recorder(RunFinished(status=RunStatus.FAILED, error=f"401 for key {CONFIGURED_KEY}"))
    assert_nothing_secret_on_disk(recorder.path.parent)
    traj = load_trajectory(recorder.path)
    assert traj.error == "401 for key [REDACTED:providers.anthropic.api_key]"
    assert traj.task == "deploy with [REDACTED:DEPLOY_TOKEN]"
    assert traj.steps[0].input == {
        "headers": {"Authorization": "Bearer [REDACTED]"},
        "password": "[REDACTED]",
    }
    message = traj.llm_interactions[0].request.new_messages[1].content
    assert message == "export OPENAI_API_KEY=[REDACTED:OPENAI_API_KEY]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key sk-ant-api03-abcdefghijklmnop end", "key [REDACTED] end"),
        ("OPENAI sk-proj-abcdefghijklmnopqrst", "OPENAI [REDACTED]"),
        (
            "curl -H 'Authorization: Bearer abc.def-ghi_jkl'",
            "curl -H 'Authorization: Bearer [REDACTED]'",
        ),
        ('{"api_key": "q8w7e6r5t4y3"}', '{"api_key": "[REDACTED]"}'),
        ("AWS AKIAIOSFODNN7EXAMPLE", "AWS [REDACTED]"),
        ("DB_PASSWORD=hunter2hunter2 make", "DB_PASSWORD=[REDACTED] make"),
        ("max_tokens: 4096000000", "max_tokens: 4096000000"),
        ("password: short", "password: short"),
        ("nothing to see here", "nothing to see here"),
    ],
)
def test_key_shapes(text: str, expected: str) -> None:
    assert Redactor().redact_text(text) == expected


def test_exact_values_and_secret_looking_keys() -> None:
    redactor = Redactor.from_environment({"MY_SERVICE_SECRET": "abcd1234efgh", "SHORT_TOKEN": "1"})
    data = {"out": "got abcd1234efgh and 1", "token": "anything", "tokens": 12, "n": [1, "x"]}
    assert redactor.redact(data) == {
        "out": "got [REDACTED:MY_SERVICE_SECRET] and 1",
        "token": "[REDACTED]",
        "tokens": 12,
        "n": [1, "x"],
    }


def test_unset_references_in_the_config_are_skipped() -> None:
    # `${ANTHROPIC_API_KEY}` is the default and unset here: nothing to redact, no error.
    assert Redactor.from_environment({}, TraeConfig()).redact_text("plain") == "plain"


def test_a_secret_across_the_truncation_point_is_still_redacted() -> None:
    text = "x" * 1000 + CONFIGURED_KEY + "y" * 100_000
    for cut in (1000, 1005, 1020):
        redacted = Redactor().redact({"output": text}, max_bytes=cut)["output"]
        assert CONFIGURED_KEY[:10] not in redacted
        assert redacted.startswith("x" * 1000)
        assert "…[truncated" in redacted
