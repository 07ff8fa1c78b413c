"""`trae config ...` as a user runs it: a real process, real files, real exit codes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from trae_lsp import __version__


def trae(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trae_lsp.cli", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_version(tmp_path: Path) -> None:
    result = trae("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"trae-lsp {__version__}"


def test_set_then_list_masks_the_key_and_names_sources(isolated_home: Path, tmp_path: Path) -> None:
    key = "sk-ant-api03-abcdefghijklmnopqrstuv1a2b"
    result = trae("config", "set", "--provider", "anthropic", "--api-key", key, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    user_file = isolated_home / ".trae" / "config.json"
    assert stat.S_IMODE(user_file.stat().st_mode) == 0o600

    listing = trae("config", "list", "--json", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    rows = {row["key"]: row for row in json.loads(listing.stdout)}
    assert rows["providers.anthropic.api_key"] == {
        "key": "providers.anthropic.api_key",
        "value": "sk-ant-…1a2b",
        "source": "~/.trae/config.json",
    }
    assert rows["default_model"]["source"] == "defaults"
    assert key not in listing.stdout
    assert key not in trae("config", "list", cwd=tmp_path).stdout


def test_key_expanded_by_the_shell_is_stored_as_reference(
    isolated_home: Path, tmp_path: Path
) -> None:
    env = {"OPENAI_API_KEY": "sk-proj-from-environment-0042"}
    result = trae(
        "config",
        "set",
        "--provider",
        "openai",
        "--api-key",
        env["OPENAI_API_KEY"],
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    stored = json.loads((isolated_home / ".trae" / "config.json").read_text(encoding="utf-8"))
    assert stored["providers"]["openai"]["api_key"] == "${OPENAI_API_KEY}"
    listing = trae("config", "list", cwd=tmp_path, env=env)
    assert (
        "${OPENAI_API_KEY} = sk-proj-…0042" in listing.stdout or "sk-proj-…0042" in listing.stdout
    )


def test_get_expands_and_masks(tmp_path: Path) -> None:
    env = {"ANTHROPIC_API_KEY": "sk-ant-api03-zzzzzzzzzzzzzzzz9876"}
    assert (
        trae("config", "get", "providers.anthropic.api_key", cwd=tmp_path, env=env).stdout.strip()
        == "sk-ant-…9876"
    )
    revealed = trae(
        "config", "get", "providers.anthropic.api_key", "--reveal", cwd=tmp_path, env=env
    )
    assert revealed.stdout.strip() == env["ANTHROPIC_API_KEY"]
    raw = trae("config", "get", "providers.anthropic.api_key", "--raw", cwd=tmp_path, env={})
    assert raw.stdout.strip() == "${ANTHROPIC_API_KEY}"
    timeout = trae("config", "get", "tools.shell.timeout_seconds", cwd=tmp_path)
    assert timeout.stdout.strip() == "60.0"


def test_project_file_applies_to_its_project(tmp_path: Path) -> None:
    (tmp_path / ".trae").mkdir()
    (tmp_path / ".trae" / "config.json").write_text(
        '{"default_model": "local-model"}', encoding="utf-8"
    )
    result = trae("config", "get", "default_model", "--project", str(tmp_path), cwd=Path("/"))
    assert result.stdout.strip() == "local-model"


def test_schema_documents_every_setting(tmp_path: Path) -> None:
    schema = json.loads(trae("config", "schema", cwd=tmp_path).stdout)
    shell = schema["$defs"]["ShellToolConfig"]["properties"]
    assert "process group" in shell["timeout_seconds"]["description"]


def test_path_lists_user_and_project_files(tmp_path: Path) -> None:
    output = trae("config", "path", "--project", str(tmp_path), cwd=tmp_path).stdout
    assert "~/.trae/config.json  [not created]" in output
    assert f"{tmp_path}/.trae/config.json" in output


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{oops", "invalid JSON"),
        ('{"tools": {"shell": {"timeout": 5}}}', "unknown key 'tools.shell.timeout'"),
        ('{"trajectory": {"enabled": "sometimes"}}', "'trajectory.enabled'"),
    ],
)
def test_bad_user_file_exits_2_with_one_line(
    isolated_home: Path, tmp_path: Path, content: str, fragment: str
) -> None:
    user_file = isolated_home / ".trae" / "config.json"
    user_file.parent.mkdir()
    user_file.write_text(content, encoding="utf-8")
    result = trae("config", "list", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ~/.trae/config.json")
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert user_file.read_text(encoding="utf-8") == content


def test_needed_unset_variable_exits_2(tmp_path: Path) -> None:
    result = trae("config", "get", "providers.anthropic.api_key", cwd=tmp_path)
    assert result.returncode == 2
    assert "ANTHROPIC_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_setting_exits_2(tmp_path: Path) -> None:
    result = trae("config", "get", "tools.nope", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown setting 'tools.nope'" in result.stderr
