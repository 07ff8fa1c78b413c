"""Propose-mode shadow copy and grep engines on a generated project.

The project: `FILES` tracked source files of ~4 KiB in nested packages, plus a
git-ignored `.venv` of `VENV_FILES` files that the shadow links instead of copying.
Prints the time to make the shadow (copy vs hard links), to refresh it after one
edit, and to grep the tree with ripgrep and with the pure-Python engine.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from trae_lsp.tools.grep import GrepQuery, grep
from trae_lsp.workspace import Workspace

FILES = 2000
"""Tracked files in the generated project."""

VENV_FILES = 3000
"""Files under the ignored `.venv`."""

RUNS = 3
"""Repetitions per measurement; the median is reported."""


def _make_project(root: Path) -> None:
    body = "".join(f"def function_{n}(x):\n    return x + {n}\n\n" for n in range(120))
    for n in range(FILES):
        package = root / f"pkg{n % 30}" / f"sub{n % 7}"
        package.mkdir(parents=True, exist_ok=True)
        (package / f"mod{n}.py").write_text(body + f"MARKER_{n} = {n}\n")
    venv = root / ".venv" / "lib"
    venv.mkdir(parents=True)
    for n in range(VENV_FILES):
        (venv / f"dep{n}.py").write_text("x = 1\n")
    (root / ".gitignore").write_text(".venv/\n")


def _median_ms(action: Callable[[], object]) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _first_shadow_ms(root: Path, *, hardlinks: bool) -> float:
    """Median time of the first `command_root()` (making the shadow), teardown not counted."""
    samples = []
    for _ in range(RUNS):
        with Workspace(root, mode="propose", hardlinks=hardlinks, shadow_parent=root.parent) as ws:
            start = time.perf_counter()
            ws.command_root()
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _refresh_after_edit(root: Path) -> float:
    with Workspace(root, mode="propose", shadow_parent=root.parent) as ws:
        ws.command_root()
        counter = iter(range(1_000_000))

        def edit_and_refresh() -> None:
            ws.write_text("pkg0/sub0/mod0.py", f"EDITED = {next(counter)}\n")
            ws.command_root()

        return _median_ms(edit_and_refresh)


def main() -> None:
    """Build the project, measure, print one table."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        _make_project(root)
        ws = Workspace(root)
        query = GrepQuery("MARKER_29\\d\\d\\b", limit=1000)
        rows = [
            ("shadow copy, first command (copy)", _first_shadow_ms(root, hardlinks=False)),
            (
                "shadow copy, first command (hardlinks)",
                _first_shadow_ms(root, hardlinks=True),
            ),
            ("shadow refresh after one edit", _refresh_after_edit(root)),
        ]
        if shutil.which("rg"):
            rows.append(
                ("grep, ripgrep engine", _median_ms(lambda: grep(ws, query, engine="ripgrep")))
            )
        rows.append(
            ("grep, pure-Python engine", _median_ms(lambda: grep(ws, query, engine="python")))
        )
    print(f"project: {FILES} tracked files, {VENV_FILES} ignored files; median of {RUNS} runs")
    for label, ms in rows:
        print(f"{label:<42} {ms:9.1f} ms")


if __name__ == "__main__":
    main()
