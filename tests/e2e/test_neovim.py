"""Real Neovim (headless) with `editors/nvim`: `:Trae*` commands fix the buffer through trae-lsp."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.agent import CALC, CALC_FIXED, FIX_SCRIPT, write_script
from tests.e2e.conftest import E2E_DIR, TRAE_LSP

NVIM = shutil.which("nvim")
PLUGIN = E2E_DIR.parents[1] / "editors" / "nvim"
SCRIPT = E2E_DIR / "nvim_fix.lua"
TIMEOUT_S = 60
"""Upper bound for one Neovim run (its own waits are bounded below this)."""

pytestmark = pytest.mark.skipif(NVIM is None, reason="nvim is not on PATH (apt-get install neovim)")


def run_neovim(
    project: Path, command: str, settings: dict[str, object]
) -> subprocess.CompletedProcess[str]:
    """Run `nvim_fix.lua` (Ex `command`) headless on `project/calc.py`; its files land beside."""
    params = {
        "command": command,
        "plugin": str(PLUGIN),
        "cmd": TRAE_LSP,
        "settings": settings,
        "file": str(project / "calc.py"),
        "result": str(project.parent / "result.txt"),
        "notes": str(project.parent / "notes.txt"),
        "timeout_ms": (TIMEOUT_S - 10) * 1000,
    }
    params_file = project.parent / "params.json"
    params_file.write_text(json.dumps(params))
    assert NVIM is not None
    return subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-c", f"luafile {SCRIPT}"],
        cwd=project,
        env={**os.environ, "TRAE_NVIM_TEST": str(params_file)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("TraeFixFile", "trae.fixFile: completed"),
        ("TraeRunTask make total return the plain sum", "trae.runTask: completed"),
    ],
)
def test_command_edits_the_neovim_buffer(tmp_path: Path, command: str, answer: str) -> None:
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "calc.py").write_text(CALC)
    settings = {"model": write_script(project, FIX_SCRIPT), "autoRecord": False}
    settings["edits"] = {"mode": "apply"}
    done = run_neovim(project, command, settings)
    notes = (tmp_path / "notes.txt").read_text() if (tmp_path / "notes.txt").exists() else ""
    assert done.returncode == 0, (notes, done.stdout, done.stderr)
    assert (tmp_path / "result.txt").read_text() == CALC_FIXED
    assert f"{answer} — total no longer subtracts 1" in notes
    assert (project / "calc.py").read_text() == CALC, "the edit is in the buffer, not saved"
