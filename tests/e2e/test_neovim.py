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
FIX_DRIVER = E2E_DIR / "nvim_fix.lua"
REVIEW_DRIVER = E2E_DIR / "nvim_review.lua"
TIMEOUT_S = 60
"""Upper bound for one Neovim run (its own waits are bounded below this)."""

pytestmark = pytest.mark.skipif(NVIM is None, reason="nvim is not on PATH (apt-get install neovim)")


def run_neovim(
    project: Path, script: Path, settings: dict[str, object], **extra: object
) -> subprocess.CompletedProcess[str]:
    """Run the driver `script` headless on `project/calc.py`; its files land beside `project`."""
    params = {
        "plugin": str(PLUGIN),
        "cmd": TRAE_LSP,
        "settings": settings,
        "file": str(project / "calc.py"),
        "result": str(project.parent / "result.txt"),
        "notes": str(project.parent / "notes.txt"),
        "timeout_ms": (TIMEOUT_S - 10) * 1000,
        **extra,
    }
    params_file = project.parent / "params.json"
    params_file.write_text(json.dumps(params))
    assert NVIM is not None
    return subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-c", f"luafile {script}"],
        cwd=project,
        env={**os.environ, "TRAE_NVIM_TEST": str(params_file)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git project holding `calc.py` with a bug."""
    folder = tmp_path / "project"
    (folder / ".git").mkdir(parents=True)
    (folder / "calc.py").write_text(CALC)
    return folder


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("TraeFixFile", "trae.fixFile: completed"),
        ("TraeRunTask make total return the plain sum", "trae.runTask: completed"),
    ],
)
def test_command_edits_the_neovim_buffer(
    tmp_path: Path, project: Path, command: str, answer: str
) -> None:
    settings = {"model": write_script(project, FIX_SCRIPT), "autoRecord": False}
    settings["edits"] = {"mode": "apply"}
    done = run_neovim(project, FIX_DRIVER, settings, command=command)
    notes = (tmp_path / "notes.txt").read_text() if (tmp_path / "notes.txt").exists() else ""
    assert done.returncode == 0, (notes, done.stdout, done.stderr)
    assert (tmp_path / "result.txt").read_text() == CALC_FIXED
    assert f"{answer} — total no longer subtracts 1" in notes
    assert (project / "calc.py").read_text() == CALC, "the edit is in the buffer, not saved"


DELETED = "    return sum(xs) - 1"
"""The line of `calc.py` the fix replaces."""


def hunk_marks(row: int) -> list[dict[str, object]]:
    """The extmarks drawing the fix's hunk on zero-based line `row`."""
    nothing: dict[str, object] = {"end_row": None, "end_col": None, "hl_group": None}
    empty: dict[str, object] = {"row": row, "col": 0, **nothing, "hl_eol": False}
    empty |= {"virt_lines": None, "virt_lines_above": False}
    deleted = {"end_row": row + 1, "end_col": 0, "hl_group": "TraeDeleted", "hl_eol": True}
    struck = {"end_row": row, "end_col": len(DELETED), "hl_group": "TraeDeletedText"}
    added = {"virt_lines": [[["    return sum(xs)", "TraeAdded"]]]}
    return [{**empty, **deleted}, {**empty, **struck}, {**empty, **added}]


def hunk_range(line: int) -> dict[str, object]:
    """The range of the fix's hunk when it starts on zero-based `line`."""
    return {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}}


@pytest.mark.parametrize(
    ("finish", "result"),
    [
        ("TraeAcceptHunk", CALC_FIXED),
        ("TraeAcceptAll", CALC_FIXED),
        ("TraeRejectHunk", CALC),
        ("TraeRejectAll", CALC),
    ],
    ids=["accept-hunk", "accept-all", "reject-hunk", "reject-all"],
)
def test_review_mode_draws_the_pending_change_inline(
    project: Path, finish: str, result: str
) -> None:
    settings = {"model": write_script(project, FIX_SCRIPT), "autoRecord": False}
    settings["edits"] = {"mode": "review"}
    done = run_neovim(project, REVIEW_DRIVER, settings, finish=finish, changes_text=result != CALC)
    report_file = project.parent / "result.txt"
    report = json.loads(report_file.read_text()) if report_file.exists() else {}
    assert done.returncode == 0, (report, done.stdout, done.stderr)
    drawn, moved = report["drawn"], report["moved"]
    assert drawn["text"] == CALC, "review mode leaves the buffer alone"
    assert drawn["marks"] == hunk_marks(4)
    [hunk] = drawn["hunks"]
    assert (hunk["range"], hunk["oldText"]) == (hunk_range(4), DELETED + "\n")
    assert hunk["newText"] == "    return sum(xs)\n"
    assert moved["marks"] == hunk_marks(5), "the marks follow the line typed above"
    assert [h["id"] for h in moved["hunks"]] == [hunk["id"]]
    assert moved["hunks"][0]["range"] == hunk_range(5)
    assert report["ignored"] == {"marks": 3, "buffers_added": 0}
    assert report["finished"] == {"text": "# note\n" + result, "marks": [], "hunks": []}
    assert (project / "calc.py").read_text() == CALC, "the buffer is not saved"
