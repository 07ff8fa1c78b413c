"""The VS Code extension builds, passes its unit tests, packages, and matches the server.

VS Code itself cannot be downloaded here, so the extension is checked as far as its
toolchain goes: `npm run build` (esbuild), `npm test` (node --test on the pure modules) and
`vsce package` in a temporary copy that links the installed `node_modules` (`make test`
runs `npm ci` before the tests, so no test touches the network); then the packaged
`package.json` is held against the real server's commands and settings model so the two
cannot drift apart, and a real `trae/pendingChanges` from the server goes through the
extension's drawing logic.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import types as pytypes
import typing
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import annotated_types
import pytest
from pydantic import BaseModel
from pydantic.alias_generators import to_camel
from pytest_lsp import LanguageClient

from tests.e2e.agent import CALC, FIX_SCRIPT, start
from tests.e2e.conftest import E2E_DIR
from tests.e2e.editor import Editor, close, initialize_params
from tests.server.test_settings import ARTICLE_SETTINGS
from trae_lsp.server.settings import TraeSettings, UserCommand, parse_settings

EXTENSION = E2E_DIR.parents[1] / "vscode-extension"
NODE, NPM = shutil.which("node"), shutil.which("npm")
BUILD_OUTPUTS = {"node_modules", "dist", "out"}
"""Folders the build writes (ignored by git); never copied into the temporary build."""

CLIENT_ONLY = {"serverPath", "serverArgs"}
"""Settings only the extension reads (how to start the server)."""

NPM_TIMEOUT_S = 300
"""Upper bound for one npm step."""

needs_node = pytest.mark.skipif(
    NODE is None or NPM is None,
    reason="node/npm are not on PATH (.ci/run installs Debian's nodejs and npm when missing)",
)


def npm(folder: Path, *args: str) -> str:
    """Run one npm command in `folder`; its output, or a failure showing it."""
    assert NPM is not None
    done = subprocess.run(
        [NPM, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=NPM_TIMEOUT_S,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, f"npm {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The extension built, unit-tested and packaged in a copy: (its .vsix, `npm test` output)."""
    folder = tmp_path_factory.mktemp("vscode") / "vscode-extension"
    shutil.copytree(EXTENSION, folder, ignore=lambda _, names: [n for n in names if _is_output(n)])
    installed = EXTENSION / "node_modules"
    assert installed.is_dir(), "the extension's packages are not installed: run `make test`"
    (folder / "node_modules").symlink_to(installed, target_is_directory=True)
    npm(folder, "run", "build")
    tested = npm(folder, "test")
    npm(folder, "run", "package")
    (vsix,) = folder.glob("*.vsix")
    yield vsix, tested


def _is_output(name: str) -> bool:
    return name in BUILD_OUTPUTS or name.endswith(".vsix")


DRAW = """
const { decorations, isPendingChanges } = require(process.argv[1]);
const payload = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify({ valid: isPendingChanges(payload), drawn: decorations(payload) }));
"""
"""Node script: what the extension's pure `pending` module makes of a payload on stdin."""


SETTINGS = """
const { serverSettings } = require(process.argv[1]);
const user = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const declared = require(process.argv[2]).contributes.configuration.properties;
const get = (key) => {
  const name = `trae.${key}`;
  return name in user ? user[name] : declared[name]?.default;
};
console.log(JSON.stringify(serverSettings(get)));
"""
"""Node script: the extension's initializationOptions for VS Code settings on stdin."""


def run_node(script: str, given: Any, *args: Path) -> Any:
    """Run a node `script` with `args`, `given` as JSON on stdin; its JSON output."""
    assert NODE is not None
    done = subprocess.run(
        [NODE, "-e", script, *map(str, args)],
        input=json.dumps(given),
        capture_output=True,
        text=True,
        timeout=NPM_TIMEOUT_S,
        check=True,
    )
    return json.loads(done.stdout)


def manifest() -> dict[str, Any]:
    """The extension's `package.json` as committed."""
    loaded: dict[str, Any] = json.loads((EXTENSION / "package.json").read_text())
    return loaded


@needs_node
def test_unit_tests_pass_and_the_vsix_holds_the_bundle(built: tuple[Path, str]) -> None:
    vsix, tested = built
    assert "# fail 0" in tested and "# pass 0" not in tested, tested
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        packaged = json.loads(archive.read("extension/package.json"))
    assert {"extension/dist/extension.js", "extension/package.json"} <= names
    assert not any("node_modules" in name or name.startswith("extension/src/") for name in names)
    assert packaged["main"] == "./dist/extension.js"
    assert packaged["contributes"] == manifest()["contributes"]


@needs_node
@pytest.mark.parametrize("client_name", ["vscode"])
async def test_the_extension_draws_the_servers_pending_changes(
    built: tuple[Path, str], editor: Editor, tmp_path: Path
) -> None:
    vsix, _ = built
    project = tmp_path / "project"
    project.mkdir()
    await start(editor, project, FIX_SCRIPT)
    editor.record("trae/pendingChanges")
    uri = editor.open(project / "calc.py", CALC)
    result = await editor.execute("trae.fixFile", {"uri": uri})
    assert result["reviewed"] == [uri]
    (payload,) = editor.notifications["trae/pendingChanges"]
    drawn = run_node(DRAW, _plain(payload), vsix.parent / "out" / "src" / "pending.js")
    assert drawn == {
        "valid": True,
        "drawn": {
            "deleted": [{"start": _at(4, 0), "end": _at(4, 22)}],
            "added": [
                {
                    "hunkId": payload.hunks[0].id,
                    "at": _at(4, 22),
                    "before": False,
                    "text": "    return sum(xs)",
                    "hover": "Trae proposes:\n```diff\n-     return sum(xs) - 1\n"
                    "+     return sum(xs)\n```",
                }
            ],
        },
    }


@needs_node
@pytest.mark.parametrize("user", [{}, ARTICLE_SETTINGS], ids=["defaults", "article"])
def test_the_extensions_initialization_options_are_valid_server_settings(
    built: tuple[Path, str], user: dict[str, Any]
) -> None:
    vsix, _ = built
    built_module = vsix.parent / "out" / "src" / "settings.js"
    options = run_node(SETTINGS, user, built_module, vsix.parent / "package.json")
    parsed, problems = parse_settings(options, options)
    assert problems == []
    if not user:
        assert parsed == TraeSettings()
    else:
        assert parsed.model == "claude-3-7-sonnet-latest"
        assert parsed.suggestions.enabled is True
        assert parsed.commands[0].task.startswith("Fix any bugs")


def _plain(received: Any) -> Any:
    """A notification's params as pygls hands them over (named tuples), back as JSON."""
    if hasattr(received, "_asdict"):
        return {key: _plain(value) for key, value in received._asdict().items()}
    if isinstance(received, list):
        return [_plain(item) for item in received]
    return received


def _at(line: int, character: int) -> dict[str, int]:
    return {"line": line, "character": character}


async def test_every_server_command_is_contributed(
    trae_lsp: LanguageClient, tmp_path: Path
) -> None:
    try:
        result = await trae_lsp.initialize_session(
            initialize_params("vscode", root_uri=tmp_path.as_uri())
        )
    finally:
        await close(trae_lsp)
    provider = result.capabilities.execute_command_provider
    assert provider is not None
    contributed = {c["command"] for c in manifest()["contributes"]["commands"]}
    assert set(provider.commands) <= contributed
    bound = {k["command"] for k in manifest()["contributes"]["keybindings"]}
    assert set(provider.commands) <= bound


def test_settings_match_the_server_model() -> None:
    declared = manifest()["contributes"]["configuration"]["properties"]
    assert {key.removeprefix("trae.") for key in declared} >= CLIENT_ONLY
    assert _contributed_leaves(declared) == _model_leaves(TraeSettings)


def test_user_command_fields_match_the_server_model() -> None:
    item = manifest()["contributes"]["configuration"]["properties"]["trae.commands"]["items"]
    fields = {to_camel(name) for name in UserCommand.model_fields}
    assert set(item["properties"]) == fields
    assert item["required"] == ["name"]


def _contributed_leaves(declared: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """`{dotted key: (default, enum, JSON types)}` of the contributed server settings."""
    leaves: dict[str, tuple[Any, ...]] = {}
    for key, schema in declared.items():
        name = key.removeprefix("trae.")
        if name in CLIENT_ONLY:
            continue
        if schema["type"] != "object":
            leaves[name] = _leaf(schema)
            continue
        for sub, sub_schema in schema["properties"].items():
            assert schema["default"][sub] == sub_schema["default"], f"{key}.{sub}"
            leaves[f"{name}.{sub}"] = _leaf(sub_schema)
    return leaves


def _leaf(schema: dict[str, Any]) -> tuple[Any, ...]:
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return (schema["default"], schema.get("enum"), sorted(kinds), schema.get("minimum"))


def _model_leaves(model: type[BaseModel], prefix: str = "") -> dict[str, tuple[Any, ...]]:
    """The same for a settings model: nested models flatten into dotted keys."""
    leaves: dict[str, tuple[Any, ...]] = {}
    for name, field in model.model_fields.items():
        key = prefix + to_camel(name)
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            leaves.update(_model_leaves(annotation, key + "."))
            continue
        default = field.get_default(call_default_factory=True)
        enum = (
            list(typing.get_args(annotation))
            if typing.get_origin(annotation) is typing.Literal
            else None
        )
        minimum = next((m.ge for m in field.metadata if isinstance(m, annotated_types.Ge)), None)
        leaves[key] = (default, enum, sorted(_json_types(annotation)), minimum)
    return leaves


JSON_TYPES = {bool: "boolean", int: "integer", str: "string", type(None): "null", list: "array"}
"""JSON schema type names of the Python types the settings use."""


def _json_types(annotation: Any) -> set[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return {JSON_TYPES[type(arg)] for arg in typing.get_args(annotation)}
    if isinstance(annotation, pytypes.UnionType):
        return set().union(*(_json_types(arg) for arg in typing.get_args(annotation)))
    return {JSON_TYPES[typing.get_origin(annotation) or annotation]}
