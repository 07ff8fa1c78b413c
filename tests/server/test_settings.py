"""Parsing the client's `trae` settings: both wire forms, defaults, problems naming keys."""

from __future__ import annotations

import pytest

from trae_lsp.server.settings import (
    SettingsProblem,
    TraeSettings,
    UserCommand,
    describe_problems,
    parse_settings,
    task_from_command,
)

ARTICLE_SETTINGS = {
    "trae.enabled": True,
    "trae.model": "claude-3-7-sonnet-latest",
    "trae.autoRecord": True,
    "trae.suggestions": {"enabled": True, "trigger": "on-save", "scope": "current-file"},
    "trae.commands": [
        {
            "name": "Fix current file",
            "command": "trae run 'Fix any bugs and improve the code quality of the current file'",
            "keybinding": "ctrl+shift+f",
        },
        {
            "name": "Add tests",
            "command": "trae run 'Write comprehensive unit tests for the current file'",
            "keybinding": "ctrl+shift+t",
        },
    ],
}
"""The `.vscode/settings.json` of the reference article, verbatim."""


def test_empty_and_missing_settings_are_all_defaults() -> None:
    for raw in (None, {}):
        settings, problems = parse_settings(raw)
        assert settings == TraeSettings()
        assert problems == []
    defaults = TraeSettings()
    assert defaults.enabled and defaults.auto_record and defaults.model is None
    assert defaults.edits.mode == "review"
    assert (defaults.suggestions.enabled, defaults.suggestions.trigger) == (False, "on-save")
    assert defaults.suggestions.scope == "current-file"
    assert defaults.commands == [] and defaults.max_concurrent_agents == 3


def test_the_articles_vscode_settings_parse_with_task_texts() -> None:
    settings, problems = parse_settings(ARTICLE_SETTINGS)
    assert problems == []
    assert settings.model == "claude-3-7-sonnet-latest"
    assert settings.suggestions.enabled is True
    assert [c.task for c in settings.commands] == [
        "Fix any bugs and improve the code quality of the current file",
        "Write comprehensive unit tests for the current file",
    ]
    assert settings.commands[0].keybinding == "ctrl+shift+f"


def test_nested_and_flat_forms_are_the_same_settings() -> None:
    nested = {
        "autoRecord": False,
        "suggestions": {"enabled": True, "trigger": "manual", "scope": "changed-symbols"},
        "edits": {"mode": "confirm"},
        "maxConcurrentAgents": 2,
        "commands": [{"name": "Doc", "task": "Document this file"}],
    }
    flat = {
        "trae.autoRecord": False,
        "trae.suggestions.enabled": True,
        "trae.suggestions": {"trigger": "manual"},
        "trae.suggestions.scope": "changed-symbols",
        "trae.edits.mode": "confirm",
        "trae.maxConcurrentAgents": 2,
        "trae.commands": [{"name": "Doc", "task": "Document this file"}],
    }
    wrapped = {"trae": nested}
    results = [parse_settings(raw) for raw in (nested, flat, wrapped)]
    assert all(problems == [] for _, problems in results)
    assert results[0].settings == results[1].settings == results[2].settings
    settings = results[0].settings
    assert settings.edits.mode == "confirm" and settings.max_concurrent_agents == 2
    assert settings.commands == [UserCommand(name="Doc", task="Document this file")]


def test_snake_case_keys_are_accepted_too() -> None:
    settings, problems = parse_settings({"auto_record": False, "max_concurrent_agents": 5})
    assert problems == []
    assert settings.auto_record is False and settings.max_concurrent_agents == 5


def test_unknown_keys_are_ignored() -> None:
    settings, problems = parse_settings({"colour": "blue", "edits": {"mode": "apply", "x": 1}})
    assert problems == []
    assert settings.edits.mode == "apply"


def test_each_bad_value_is_named_and_falls_back_alone() -> None:
    settings, problems = parse_settings(
        {
            "trae.suggestions": {"enabled": True, "trigger": "sometimes"},
            "trae.edits.mode": "yolo",
            "trae.maxConcurrentAgents": 0,
            "trae.enabled": "yes",
            "trae.model": "gpt-5",
        }
    )
    assert [p.key for p in problems] == [
        "trae.enabled",
        "trae.suggestions.trigger",
        "trae.edits.mode",
        "trae.maxConcurrentAgents",
    ]
    assert "'on-save' or 'manual'" in problems[1].message and "'sometimes'" in problems[1].message
    assert settings.enabled is True
    assert settings.suggestions.enabled is True and settings.suggestions.trigger == "on-save"
    assert settings.edits.mode == "review" and settings.max_concurrent_agents == 3
    assert settings.model == "gpt-5"


def test_a_bad_command_is_dropped_and_the_good_ones_kept() -> None:
    settings, problems = parse_settings(
        {
            "commands": [
                {"name": "Good", "task": "Do it"},
                {"command": "trae run 'no name'"},
                {"name": "Shell", "command": "make test"},
                "not an object",
                {"name": "Also good", "command": "trae run 'Tidy up' --dry-run"},
            ]
        }
    )
    assert [c.name for c in settings.commands] == ["Good", "Also good"]
    assert settings.commands[1].task == "Tidy up"
    assert problems[0] == SettingsProblem("trae.commands[1].name", "required")
    assert problems[1].key == "trae.commands[1]"
    assert "trae run" in problems[1].message
    assert problems[2].key == "trae.commands[1]"
    assert len(problems) == 3


def test_a_section_of_the_wrong_type_falls_back_to_its_defaults() -> None:
    settings, problems = parse_settings({"suggestions": "on", "commands": {"name": "x"}})
    assert [p.key for p in problems] == ["trae.suggestions", "trae.commands"]
    assert settings == TraeSettings()


def test_settings_that_are_not_an_object() -> None:
    settings, problems = parse_settings(["enabled"])
    assert settings == TraeSettings()
    assert problems == [SettingsProblem("trae", "expected an object, got ['enabled']")]


@pytest.mark.parametrize(
    ("command", "task"),
    [
        ("trae run 'Fix it'", "Fix it"),
        ('trae run "Add tests" --project /p', "Add tests"),
        ("trae run --dry-run 'Refactor'", "Refactor"),
        ("trae chat", ""),
        ("make test", ""),
        ("trae run 'unterminated", ""),
        ("", ""),
    ],
)
def test_task_from_command(command: str, task: str) -> None:
    assert task_from_command(command) == task


def test_every_field_is_documented() -> None:
    from trae_lsp.server import settings as module

    for model in (
        module.TraeSettings,
        module.SuggestionSettings,
        module.UserCommand,
        module.EditSettings,
    ):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no docstring"


def test_wire_names_are_camel_case() -> None:
    wire = TraeSettings().model_dump(by_alias=True)
    assert {"autoRecord", "maxConcurrentAgents", "suggestions", "edits"} <= wire.keys()


def test_problems_are_described_in_one_actionable_message() -> None:
    _, problems = parse_settings({"trae.edits.mode": "yolo", "trae.maxConcurrentAgents": 0})
    message = describe_problems(problems)
    assert message.startswith("Trae: invalid settings replaced by their defaults: trae.edits.mode:")
    assert "trae.maxConcurrentAgents:" in message
    assert message.endswith('Fix them in your editor\'s settings (section "trae").')


def test_layers_merge_in_order_later_keys_winning() -> None:
    init = {"trae.edits.mode": "confirm", "suggestions": {"enabled": True}}
    configuration = {"edits": {"mode": "apply"}, "suggestions": {"trigger": "manual"}}
    settings, problems = parse_settings(init, None, configuration)
    assert problems == []
    assert settings.edits.mode == "apply"
    assert (settings.suggestions.enabled, settings.suggestions.trigger) == (True, "manual")
    settings, problems = parse_settings("bad", {"model": "m"})
    assert settings.model == "m"
    assert problems == [SettingsProblem("trae", "expected an object, got 'bad'")]
