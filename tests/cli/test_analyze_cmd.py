"""`trae analyze` as a user runs it: a real process on recorded trajectories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parents[1] / "data" / "trajectories"


def trae(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trae_lsp.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "160"},
    )


def test_analyze_shows_figures_issues_and_the_comparison() -> None:
    result = trae("analyze", str(DATA / "wasteful.traj.json"), str(DATA / "lean.traj.json"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Fix the median of an even-length list" in out
    assert "120,000" in out
    assert "6 issue(s)" in out
    assert "retried_failure" in out
    assert "No issues found." in out
    assert "+60.0 %" in out


def test_analyze_json_for_scripts() -> None:
    result = trae(
        "analyze", "--json", str(DATA / "wasteful.traj.json"), str(DATA / "lean.traj.json")
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [len(t["issues"]) for t in data["trajectories"]] == [6, 0]
    assert data["comparison"]["token_reduction_percent"] == 60.0


def test_a_missing_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = trae("analyze", str(tmp_path / "nope.json"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: no trajectory at ")
    assert "Traceback" not in result.stderr
