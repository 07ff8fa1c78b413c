"""Real Emacs (batch) with eglot and `editors/emacs/trae.el`: Trae commands fix the buffer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.agent import CALC, CALC_FIXED, FIX_SCRIPT, write_script
from tests.e2e.conftest import E2E_DIR, TRAE_LSP

EMACS = shutil.which("emacs")
PLUGIN = E2E_DIR.parents[1] / "editors" / "emacs"
SCRIPT = E2E_DIR / "emacs_fix.el"
ELPA = Path("/usr/share/emacs/site-lisp/elpa")
TIMEOUT_S = 90
"""Upper bound for one Emacs run (its own waits are bounded below this)."""

ANSWER = "total no longer subtracts 1"
"""The summary the scripted model ends its run with."""

pytestmark = [
    pytest.mark.skipif(EMACS is None, reason="emacs is not on PATH (apt-get install emacs-nox)"),
    pytest.mark.skipif(
        not any(ELPA.glob("eglot-*")), reason="eglot is not installed (apt-get install elpa-eglot)"
    ),
]


def run_emacs(
    project: Path, command: str, settings: dict[str, object], **extra: object
) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run `emacs_fix.el` in batch mode on `project/calc.py`: the process and its notes."""
    notes = project.parent / "notes.txt"
    params = {
        "command": command,
        "plugin": str(PLUGIN),
        "cmd": TRAE_LSP,
        "settings": settings,
        "file": str(project / "calc.py"),
        "result": str(project.parent / "result.txt"),
        "notes": str(notes),
        "timeout_ms": (TIMEOUT_S - 10) * 1000,
        **extra,
    }
    params_file = project.parent / "params.json"
    params_file.write_text(json.dumps(params))
    assert EMACS is not None
    done = subprocess.run(
        [EMACS, "--batch", "-Q", "-l", str(SCRIPT)],
        cwd=project,
        env={**os.environ, "TRAE_EMACS_TEST": str(params_file)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    return done, notes.read_text() if notes.exists() else ""


def test_trae_el_byte_compiles_without_warnings(tmp_path: Path) -> None:
    source = tmp_path / "trae.el"
    shutil.copy(PLUGIN / "trae.el", source)
    load_path = [arg for elpa in sorted(ELPA.iterdir()) for arg in ("-L", str(elpa))]
    strict = ("--eval", "(setq byte-compile-error-on-warn t)")
    assert EMACS is not None
    done = subprocess.run(
        [EMACS, "--batch", "-Q", *load_path, *strict, "-f", "batch-byte-compile", str(source)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "trae.elc").exists()


@pytest.mark.parametrize(
    ("command", "server_command", "task"),
    [
        ("trae-fix-file", "trae.fixFile", None),
        ("trae-run-task", "trae.runTask", "make total return the plain sum"),
    ],
)
def test_command_edits_the_emacs_buffer(
    project: Path, command: str, server_command: str, task: str | None
) -> None:
    settings = {"model": write_script(project, FIX_SCRIPT), "autoRecord": False}
    settings["edits"] = {"mode": "apply"}
    done, notes = run_emacs(project, command, settings, server_command=server_command, task=task)
    assert done.returncode == 0, (notes, done.stdout, done.stderr)
    assert "server: trae-eglot-server" in notes
    assert f"answer: {server_command} completed — {ANSWER}" in notes
    assert (project.parent / "result.txt").read_text() == CALC_FIXED
    assert (project / "calc.py").read_text() == CALC, "the edit is in the buffer, not saved"


@pytest.mark.parametrize(
    ("accept", "accept_command"),
    [("trae-accept-all", "trae.acceptAll"), ("trae-accept-hunk", "trae.acceptHunk")],
)
def test_review_mode_draws_pending_changes_and_accepting_applies_them(
    project: Path, accept: str, accept_command: str
) -> None:
    settings = {"model": write_script(project, FIX_SCRIPT), "autoRecord": False}
    done, notes = run_emacs(
        project,
        "trae-fix-file",
        settings,
        server_command="trae.fixFile",
        accept=accept,
        accept_command=accept_command,
    )
    assert done.returncode == 0, (notes, done.stdout, done.stderr)
    lines = notes.splitlines()
    assert 'deleted: "    return sum(xs) - 1\\n"' in lines
    assert 'added: "    return sum(xs)\\n"' in lines
    assert (project.parent / "result.txt").read_text() == CALC_FIXED
    assert "Trae: 1 pending change(s) in calc.py" in done.stderr


def test_workspace_configuration_overrides_trae_settings(project: Path) -> None:
    """A `:trae` section of `eglot-workspace-configuration` wins over `trae-settings`."""
    settings = {"model": write_script(project, FIX_SCRIPT), "autoRecord": False}
    settings["edits"] = {"mode": "review"}
    done, notes = run_emacs(
        project,
        "trae-fix-file",
        settings,
        server_command="trae.fixFile",
        workspace_configuration={"trae": {"edits": {"mode": "apply"}}},
    )
    assert done.returncode == 0, (notes, done.stdout, done.stderr)
    assert (project.parent / "result.txt").read_text() == CALC_FIXED
    assert "pending change" not in done.stderr
