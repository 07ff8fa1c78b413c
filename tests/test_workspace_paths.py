"""Path confinement: nothing outside the project root, however it is spelled."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trae_lsp.paths import PathEscapeError
from trae_lsp.workspace import Workspace


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "project"
    outside = tmp_path / "outside"
    (root / "pkg").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text("secret\n")
    (root / "pkg" / "mod.py").write_text("x = 1\n")
    return root, outside


def test_dotdot_escape_is_refused(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    ws = Workspace(root)
    with pytest.raises(PathEscapeError, match=r"leaves the project through '\.\.'"):
        ws.read_text("../outside/secret.txt")
    with pytest.raises(PathEscapeError, match="leaves the project"):
        ws.write_text("pkg/../../outside/new.txt", "x")
    assert not (layout[1] / "new.txt").exists()


def test_absolute_path_outside_is_refused(layout: tuple[Path, Path]) -> None:
    root, outside = layout
    with pytest.raises(PathEscapeError, match=r"Absolute path .* is outside the project"):
        Workspace(root).read_text(outside / "secret.txt")


def test_absolute_path_inside_is_accepted(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    assert Workspace(root).read_text(root / "pkg" / "mod.py") == "x = 1\n"


def test_symlink_pointing_out_is_refused(layout: tuple[Path, Path]) -> None:
    root, outside = layout
    os.symlink(outside / "secret.txt", root / "link.txt")
    os.symlink(outside, root / "linkdir")
    ws = Workspace(root)
    with pytest.raises(PathEscapeError, match="symlink that points outside"):
        ws.read_text("link.txt")
    with pytest.raises(PathEscapeError, match="symlink that points outside"):
        ws.write_text("linkdir/evil.txt", "x")
    assert not (outside / "evil.txt").exists()


def test_symlink_inside_resolves_to_its_target(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    os.symlink("pkg/mod.py", root / "alias.py")
    ws = Workspace(root)
    ws.write_text("alias.py", "x = 2\n")
    assert (root / "pkg" / "mod.py").read_text() == "x = 2\n"
    assert (root / "alias.py").is_symlink()
    assert ws.changes().files == ["pkg/mod.py"]


def test_extra_roots_widen_confinement(layout: tuple[Path, Path]) -> None:
    root, outside = layout
    ws = Workspace(root, extra_roots=[outside])
    assert ws.read_text(outside / "secret.txt") == "secret\n"


def test_nul_byte_is_refused(layout: tuple[Path, Path]) -> None:
    with pytest.raises(PathEscapeError, match="NUL byte"):
        Workspace(layout[0]).read_text("pkg/mod.py\x00.txt")
