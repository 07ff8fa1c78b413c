"""Propose mode: commands run in a shadow copy showing the overlay; the user's tree is untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trae_lsp.workspace import Workspace


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "calc").mkdir(parents=True)
    (root / "calc" / "__init__.py").write_text("def add(a, b):\n    return a - b\n")
    (root / "test_calc.py").write_text(
        "from calc import add\n\nassert add(2, 3) == 5, add(2, 3)\nprint('ok')\n"
    )
    (root / ".gitignore").write_text("env/\n*.log\n")
    (root / "env").mkdir()
    (root / "env" / "tool.txt").write_text("from the environment\n")
    (root / "old.log").write_text("log\n")
    return root


def _run(cwd: Path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_command_sees_edits_while_user_tree_stays_untouched(project: Path) -> None:
    before = _snapshot(project)
    with Workspace(project, mode="propose") as ws:
        root = ws.command_root()
        assert root != project
        assert _run(root, "import runpy; runpy.run_path('test_calc.py')").returncode != 0
        ws.write_text("calc/__init__.py", "def add(a, b):\n    return a + b\n")
        ws.write_text("calc/extra.py", "X = 1\n")
        assert ws.command_root() == root
        result = _run(root, "import runpy; runpy.run_path('test_calc.py')")
        assert (result.returncode, result.stdout) == (0, "ok\n")
        assert (root / "calc" / "extra.py").read_text() == "X = 1\n"
    assert _snapshot(project) == before
    assert not root.exists()


def test_ignored_entries_are_linked_not_copied(project: Path) -> None:
    with Workspace(project, mode="propose") as ws:
        root = ws.command_root()
        assert (root / "env").is_symlink()
        assert (root / "env" / "tool.txt").read_text() == "from the environment\n"
        assert not (root / "calc" / "__init__.py").is_symlink()


def test_writing_into_an_ignored_dir_never_reaches_the_project(project: Path) -> None:
    with Workspace(project, mode="propose") as ws:
        root = ws.command_root()
        ws.write_text("env/tool.txt", "agent version\n")
        ws.command_root()
        assert (root / "env" / "tool.txt").read_text() == "agent version\n"
        assert not (root / "env").is_symlink()
    assert (project / "env" / "tool.txt").read_text() == "from the environment\n"


def test_undo_and_delete_are_reflected(project: Path) -> None:
    with Workspace(project, mode="propose") as ws:
        root = ws.command_root()
        ws.write_text("calc/__init__.py", "changed\n")
        ws.delete("test_calc.py")
        ws.command_root()
        assert not (root / "test_calc.py").exists()
        ws.undo("calc/__init__.py")
        ws.undo("test_calc.py")
        ws.command_root()
        assert (root / "calc" / "__init__.py").read_text() == "def add(a, b):\n    return a - b\n"
        assert (root / "test_calc.py").exists()


def test_open_buffers_are_materialised(project: Path) -> None:
    with Workspace(project, mode="propose") as ws:
        ws.set_buffer("calc/__init__.py", "def add(a, b):\n    return a + b\n", version=3)
        root = ws.command_root()
        assert _run(root, "import runpy; runpy.run_path('test_calc.py')").returncode == 0


def test_hardlinks_are_never_written_through(project: Path) -> None:
    with Workspace(project, mode="propose", hardlinks=True, shadow_parent=project.parent) as ws:
        root = ws.command_root()
        shadow_file = root / "calc" / "__init__.py"
        assert os.path.samefile(shadow_file, project / "calc" / "__init__.py")
        ws.write_text("calc/__init__.py", "def add(a, b):\n    return a + b\n")
        ws.command_root()
        assert not os.path.samefile(shadow_file, project / "calc" / "__init__.py")
        assert "a + b" in shadow_file.read_text()
    assert "a - b" in (project / "calc" / "__init__.py").read_text()


def test_apply_mode_runs_in_the_project(project: Path) -> None:
    assert Workspace(project).command_root() == project.resolve()


def test_shadow_paths_in_command_output_map_back_to_the_project(project: Path) -> None:
    with Workspace(project, mode="propose") as ws:
        shadow_file = ws.command_root() / "calc" / "__init__.py"
        assert ws.resolve(shadow_file) == project.resolve() / "calc" / "__init__.py"
        assert ws.read_text(str(shadow_file)).startswith("def add")


def test_caches_and_trae_state_are_left_out(project: Path) -> None:
    (project / ".trae").mkdir()
    (project / ".trae" / "context.sqlite3").write_bytes(b"index")
    (project / "calc" / "__pycache__").mkdir()
    (project / "calc" / "__pycache__" / "x.pyc").write_bytes(b"pyc")
    with Workspace(project, mode="propose") as ws:
        root = ws.command_root()
        assert not (root / ".trae").exists()
        assert not (root / "calc" / "__pycache__").exists()
        assert (root / "calc" / "__init__.py").exists()
