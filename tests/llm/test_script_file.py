"""`scripted:<file>` model specs: a script file read through the model factory."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from trae_lsp.config_layers import load_config
from trae_lsp.errors import ConfigError
from trae_lsp.llm.factory import create_model
from trae_lsp.llm.messages import UserMessage
from trae_lsp.llm.script_file import ScriptFileModel


def write(tmp_path: Path, items: object) -> str:
    path = tmp_path / "script.json"
    path.write_text(json.dumps(items))
    return f"scripted:{path}"


async def test_factory_builds_the_script_and_answers_in_order(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        [
            {"tool": "view", "arguments": {"path": "a.py"}, "usage": {"input_tokens": 3}},
            "all done",
        ],
    )
    model = create_model(spec, load_config(tmp_path))
    assert isinstance(model, ScriptFileModel) and model.name == "script.json"
    first = await model.complete([UserMessage(text="go")])
    assert [(c.name, c.arguments) for c in first.message.tool_calls] == [("view", {"path": "a.py"})]
    assert first.usage.input_tokens == 3
    second = await model.complete([UserMessage(text="go on")])
    assert second.message.text == "all done" and not second.message.tool_calls


async def test_a_delayed_answer_can_be_cancelled(tmp_path: Path) -> None:
    model = create_model(write(tmp_path, [{"text": "slow", "delay": 3600}]), load_config(tmp_path))
    call = asyncio.ensure_future(model.complete([UserMessage(text="go")]))
    await asyncio.sleep(0)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call


@pytest.mark.parametrize("content", ["{not json", '{"a": 1}', '[{"tool": 5}]'])
def test_bad_scripts_raise_config_errors_naming_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match=r"bad\.json"):
        create_model(f"scripted:{path}", load_config(tmp_path))
