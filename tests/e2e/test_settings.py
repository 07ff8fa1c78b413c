"""Settings at initialize: a bad key is named in a window/showMessage; defaults apply."""

from __future__ import annotations

from lsprotocol import types

from tests.e2e.editor import Editor


async def test_bad_setting_is_reported_by_name_and_defaults_apply(editor: Editor) -> None:
    await editor.initialize(
        initialization_options={
            "trae.edits.mode": "yolo",
            "trae.suggestions": {"enabled": True, "trigger": "sometimes"},
            "trae.model": "claude-sonnet-4-5",
        }
    )
    (message,) = editor.client.messages
    assert message.type == types.MessageType.Warning
    assert "trae.edits.mode" in message.message and "'yolo'" in message.message
    assert "trae.suggestions.trigger" in message.message
    lenses = await editor.client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri="file:///none.py"))
    )
    assert lenses is None


async def test_good_settings_raise_no_message(editor: Editor) -> None:
    result = await editor.initialize(initialization_options={"edits": {"mode": "confirm"}})
    assert result.server_info is not None and result.server_info.name == "trae-lsp"
    assert editor.client.messages == []
