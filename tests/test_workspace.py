"""Workspace reads, writes, undo and the ChangeSet, in apply and propose mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from trae_lsp.workspace import (
    BinaryFileError,
    UnencodableTextError,
    Workspace,
    WorkspaceError,
)
from trae_lsp.workspace.atomic import atomic_write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "src" / "main.py").write_text("def main():\n    return 1\n")
    return root


def test_read_sees_overlay_then_buffer_then_disk(project: Path) -> None:
    ws = Workspace(project, mode="propose")
    assert ws.read_text("src/main.py") == "def main():\n    return 1\n"
    assert ws.read_version("src/main.py") is None
    ws.set_buffer("src/main.py", "def main():\n    return 2\n", version=7)
    assert ws.read_text("src/main.py").endswith("return 2\n")
    assert ws.read_version("src/main.py") == 7
    ws.write_text("src/main.py", "def main():\n    return 3\n")
    assert ws.read_text("src/main.py").endswith("return 3\n")
    assert ws.read_version("src/main.py") is None
    ws.close_buffer("src/main.py")
    assert ws.read_text("src/main.py").endswith("return 3\n")


def test_propose_mode_leaves_disk_untouched_and_records_changes(project: Path) -> None:
    ws = Workspace(project, mode="propose")
    ws.write_text("src/main.py", "def main():\n    return 2\n")
    ws.write_text("src/new.py", "X = 1\n")
    assert (project / "src" / "main.py").read_text() == "def main():\n    return 1\n"
    assert not (project / "src" / "new.py").exists()
    changes = ws.changes()
    assert changes.files == ["src/main.py", "src/new.py"]
    main, new = changes
    assert (main.created, main.deleted, new.created) == (False, False, True)
    assert main.original == "def main():\n    return 1\n"
    assert main.diff == (
        "--- a/src/main.py\n+++ b/src/main.py\n@@ -1,2 +1,2 @@\n"
        " def main():\n-    return 1\n+    return 2\n"
    )
    assert new.diff == "--- /dev/null\n+++ b/src/new.py\n@@ -0,0 +1 @@\n+X = 1\n"
    assert new.file == "src/new.py"


def test_change_records_buffer_version_it_started_from(project: Path) -> None:
    ws = Workspace(project, mode="propose")
    ws.set_buffer("src/main.py", "unsaved\n", version=4)
    ws.write_text("src/main.py", "edited\n")
    change = ws.changes().get("src/main.py")
    assert change is not None
    assert (change.original, change.new, change.version) == ("unsaved\n", "edited\n", 4)


def test_apply_mode_writes_disk_and_keeps_mode(project: Path) -> None:
    script = project / "run.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    script.chmod(0o751)
    ws = Workspace(project)
    ws.write_text("run.sh", "#!/bin/sh\necho bye\n")
    assert script.read_text() == "#!/bin/sh\necho bye\n"
    assert stat.S_IMODE(script.stat().st_mode) == 0o751
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []
    assert ws.changes().files == ["run.sh"]


def test_apply_mode_write_is_atomic_rename(project: Path) -> None:
    target = project / "src" / "main.py"
    inode = target.stat().st_ino
    keep = os.open(target, os.O_RDONLY)
    try:
        Workspace(project).write_text("src/main.py", "new\n")
        assert target.stat().st_ino != inode
        assert os.read(keep, 100) == b"def main():\n    return 1\n"
    finally:
        os.close(keep)


def test_new_file_gets_umask_mode_and_parents(project: Path) -> None:
    Workspace(project).write_text("a/b/c.txt", "x\n")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE((project / "a/b/c.txt").stat().st_mode) == 0o666 & ~mask


def test_undo_steps_back_and_then_refuses(project: Path) -> None:
    ws = Workspace(project)
    ws.write_text("src/main.py", "one\n")
    ws.write_text("src/main.py", "two\n")
    assert ws.undo("src/main.py") == "one\n"
    assert (project / "src/main.py").read_text() == "one\n"
    ws.undo("src/main.py")
    assert (project / "src/main.py").read_text() == "def main():\n    return 1\n"
    assert len(ws.changes()) == 0
    with pytest.raises(WorkspaceError, match=r"No edit of src/main\.py to undo"):
        ws.undo("src/main.py")


def test_undo_of_created_file_removes_it(project: Path) -> None:
    ws = Workspace(project)
    ws.write_text("fresh.txt", "hello\n")
    assert ws.undo("fresh.txt") is None
    assert not (project / "fresh.txt").exists()


def test_delete_records_deleted_change(project: Path) -> None:
    ws = Workspace(project, mode="propose")
    ws.delete("src/main.py")
    assert not ws.exists("src/main.py")
    assert (project / "src/main.py").exists()
    (change,) = ws.changes()
    assert change.deleted and change.new is None
    assert change.diff.startswith("--- a/src/main.py\n+++ /dev/null\n")


def test_missing_file_and_directory_errors(project: Path) -> None:
    ws = Workspace(project)
    with pytest.raises(WorkspaceError, match="does not exist; `view` its directory"):
        ws.read_text("nope.py")
    with pytest.raises(WorkspaceError, match="is a directory"):
        ws.read_text("src")
    with pytest.raises(WorkspaceError, match="is a directory"):
        ws.write_text("src", "x")


def test_list_dir_merges_overlay_and_respects_gitignore(project: Path) -> None:
    (project / ".gitignore").write_text("build/\n*.log\n")
    (project / "build").mkdir()
    (project / "debug.log").write_text("x")
    ws = Workspace(project, mode="propose")
    ws.write_text("src/extra.py", "")
    ws.delete("src/main.py")
    assert ws.list_dir(".") == [".gitignore", "src/", "src/extra.py"]
    assert ws.is_dir("src")


def test_content_hash_follows_what_the_agent_sees(project: Path) -> None:
    ws = Workspace(project, mode="propose")
    before = ws.content_hash("src/main.py")
    ws.write_text("src/main.py", "changed\n")
    assert ws.content_hash("src/main.py") != before
    ws.undo("src/main.py")
    assert ws.content_hash("src/main.py") == before


def test_root_must_be_a_directory(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="is not a directory"):
        Workspace(tmp_path / "missing")


def test_binary_file_is_refused(project: Path) -> None:
    (project / "blob.bin").write_bytes(b"\x00\x01\x02")
    with pytest.raises(BinaryFileError, match="binary file"):
        Workspace(project).read_text("blob.bin")


def test_unencodable_text_is_refused_with_advice(project: Path) -> None:
    (project / "legacy.txt").write_bytes("caf\xe9\n".encode("latin-1"))
    ws = Workspace(project)
    with pytest.raises(UnencodableTextError, match="cannot hold '→'"):
        ws.write_text("legacy.txt", "café → bar\n")
    assert (project / "legacy.txt").read_bytes() == b"caf\xe9\n"


def test_failed_atomic_write_leaves_original_and_no_temp_file(project: Path) -> None:
    target = project / "src" / "main.py"
    with pytest.raises(TypeError):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text() == "def main():\n    return 1\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["main.py"]


def test_version_control_internals_are_never_written(project: Path) -> None:
    (project / ".git" / "hooks").mkdir(parents=True)
    ws = Workspace(project)
    with pytest.raises(WorkspaceError, match="inside version-control internals"):
        ws.write_text(".git/hooks/pre-commit", "#!/bin/sh\nevil\n")
    assert not (project / ".git" / "hooks" / "pre-commit").exists()


def test_exists_does_not_decode(project: Path) -> None:
    (project / "blob.bin").write_bytes(b"\x00\x01")
    ws = Workspace(project, mode="propose")
    assert ws.exists("blob.bin") and ws.exists("src") and not ws.exists("nope")
    ws.delete("src/main.py")
    assert not ws.exists("src/main.py")
