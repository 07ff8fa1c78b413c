"""Settings: initializationOptions and workspace/configuration, bad keys named, defaults used."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from tests.e2e.editor import Editor
from tests.e2e.review_server import SETTINGS
from trae_lsp.server.server import SETTINGS_UPDATED


async def settings_in_effect(editor: Editor) -> dict[str, Any]:
    result: dict[str, Any] = await editor.execute(SETTINGS)
    return result


async def pulled(editor: Editor) -> None:
    """Wait until the server has pulled `workspace/configuration` and applied it."""
    message = await editor.next_notification(types.WINDOW_LOG_MESSAGE)
    assert message.message == SETTINGS_UPDATED


async def test_bad_setting_is_reported_by_name_and_the_server_keeps_working(
    editor: Editor,
) -> None:
    await editor.initialize(
        initialization_options={
            "trae.edits.mode": "yolo",
            "trae.suggestions": {"enabled": True, "trigger": "sometimes"},
            "trae.model": "claude-sonnet-4-5",
        }
    )
    await pulled(editor)
    (message,) = editor.client.messages
    assert message.type == types.MessageType.Warning
    assert "trae.edits.mode" in message.message and "'yolo'" in message.message
    assert "trae.suggestions.trigger" in message.message
    lenses = await editor.client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri="file:///none.py"))
    )
    assert lenses is None


async def test_bad_keys_fall_back_to_defaults_and_good_ones_apply(test_editor: Editor) -> None:
    await test_editor.initialize(
        initialization_options={"trae.edits.mode": "yolo", "trae.model": "gpt-5"}
    )
    await pulled(test_editor)
    settings = await settings_in_effect(test_editor)
    assert settings["edits"] == {"mode": "review"}
    assert settings["model"] == "gpt-5"


async def test_good_settings_raise_no_message(editor: Editor) -> None:
    result = await editor.initialize(initialization_options={"edits": {"mode": "confirm"}})
    await pulled(editor)
    assert result.server_info is not None and result.server_info.name == "trae-lsp"
    assert editor.client.messages == []


async def test_configuration_overrides_init_options_and_is_pulled_again_on_change(
    test_editor: Editor,
) -> None:
    client = test_editor.client
    client.set_configuration({"edits": {"mode": "apply"}}, section="trae")
    await test_editor.initialize(
        initialization_options={"trae.edits.mode": "confirm", "trae.autoRecord": False}
    )
    await pulled(test_editor)
    settings = await settings_in_effect(test_editor)
    assert (settings["edits"]["mode"], settings["autoRecord"]) == ("apply", False)

    client.set_configuration({"maxConcurrentAgents": "many"}, section="trae")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await pulled(test_editor)
    (message,) = client.messages
    assert "trae.maxConcurrentAgents" in message.message
    settings = await settings_in_effect(test_editor)
    assert (settings["edits"]["mode"], settings["maxConcurrentAgents"]) == ("confirm", 3)
