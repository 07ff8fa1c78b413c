"""Real Neovim (headless) with `editors/nvim`: `:Trae*` commands fix the buffer through trae-lsp."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.agent import CALC, CALC_FIXED, FIX_SCRIPT, done, tool, write_script
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


def run_review(project: Path, settings: dict[str, object], **extra: object) -> dict[str, Any]:
    """Run `nvim_review.lua` in review mode; its report. Hunk 1, none left unless `extra` says."""
    settings = {**settings, "edits": {"mode": "review"}}
    done = run_neovim(project, REVIEW_DRIVER, settings, **{"hunk": 1, "remaining": 0, **extra})
    report_file = project.parent / "result.txt"
    report = json.loads(report_file.read_text()) if report_file.exists() else {}
    assert done.returncode == 0, (report, done.stdout, done.stderr)
    assert isinstance(report, dict)
    return report


def mark(row: int, **details: object) -> dict[str, object]:
    """An extmark at the start of zero-based line `row`, as the driver reports it."""
    empty = {"end_row": None, "end_col": None, "hl_group": None, "hl_eol": False}
    return {"row": row, "col": 0, **empty, "virt_lines": None, "virt_lines_above": False, **details}


def deleted(row: int, text: str) -> list[dict[str, object]]:
    """The extmarks drawing line `row` (holding `text`) as deleted."""
    return [
        mark(row, end_row=row + 1, end_col=0, hl_group="TraeDeleted", hl_eol=True),
        mark(row, end_row=row, end_col=len(text), hl_group="TraeDeletedText"),
    ]


def added(row: int, lines: list[str], *, above: bool = False) -> dict[str, object]:
    """The extmark drawing `lines` as added virtual lines at `row`."""
    virt_lines = [[[line, "TraeAdded"]] for line in lines]
    return mark(row, virt_lines=virt_lines, virt_lines_above=above)


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
    changes_text = result != CALC
    report = run_review(project, settings, finish=finish, changes_text=changes_text, type_line=True)
    drawn, moved = report["drawn"], report["moved"]
    assert drawn["text"] == CALC, "review mode leaves the buffer alone"
    assert drawn["marks"] == [*deleted(4, DELETED), added(4, ["    return sum(xs)"])]
    [hunk] = drawn["hunks"]
    assert (hunk["range"], hunk["oldText"]) == (hunk_range(4), DELETED + "\n")
    assert hunk["newText"] == "    return sum(xs)\n"
    assert moved["marks"] == [*deleted(5, DELETED), added(5, ["    return sum(xs)"])]
    assert [h["id"] for h in moved["hunks"]] == [hunk["id"]]
    assert moved["hunks"][0]["range"] == hunk_range(5), "the server moved the hunk"
    ignored = {"marks": 3, "buffers_added": 0, "mismatched": 0, "redrawn": 3}
    assert report["ignored"] == ignored
    assert report["finished"] == {"text": "# note\n" + result, "marks": [], "hunks": []}
    assert (project / "calc.py").read_text() == CALC, "the buffer is not saved"


SHAPES = "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n"
"""A file for a proposal with every kind of hunk."""

SHAPED = "# head\na = 1\nB = 2\n\tb2 = 2\nc = 3\ne = 5\nf = 6\n"
"""`SHAPES` with a line inserted first, one replaced by two, one deleted and one appended."""


def shaped_marks(shift: int) -> list[dict[str, object]]:
    """The marks of the proposal's hunks after its first line, `shift` lines down."""
    tab = " " * 8  # Neovim's default 'tabstop'
    return [
        *deleted(1 + shift, "b = 2"),
        added(1 + shift, ["B = 2", tab + "b2 = 2"]),
        *deleted(3 + shift, "d = 4"),
        added(4 + shift, ["f = 6"]),
    ]


def test_every_kind_of_hunk_is_drawn_and_accepting_one_redraws_the_rest(project: Path) -> None:
    (project / "calc.py").write_text(SHAPES)
    script = [tool("write_file", path="calc.py", content=SHAPED), done("shaped")]
    settings = {"model": write_script(project, script), "autoRecord": False}
    report = run_review(project, settings, finish="TraeAcceptHunk", remaining=3, changes_text=True)
    assert report["drawn"]["marks"] == [added(0, ["# head"], above=True), *shaped_marks(0)]
    finished = report["finished"]
    assert finished["text"] == "# head\n" + SHAPES, "only the insertion is accepted"
    assert finished["marks"] == shaped_marks(1)
    assert [h["newText"] for h in finished["hunks"]] == ["B = 2\n\tb2 = 2\n", "", "f = 6\n"]
