"""apply_patch: multi-file unified diffs, creation and deletion, lenient counts, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from trae_lsp.tools.base import ToolContext
from trae_lsp.tools.patch import ApplyPatchTool
from trae_lsp.tools.unidiff import PatchError, apply_hunks, parse_patch
from trae_lsp.workspace import Workspace, unified_diff

MULTI = """\
diff --git a/src/app.py b/src/app.py
--- a/src/app.py
+++ b/src/app.py
@@ -4,2 +4,3 @@
 def authenticate_user(name):
-    return name == 'admin'
+    # only admins
+    return name in ('admin', 'root')
--- /dev/null
+++ b/src/new.py
@@ -0,0 +1,2 @@
+A = 1
+B = 2
--- a/README.md
+++ /dev/null
@@ -1 +0,0 @@
-# demo
"""


async def test_patch_changes_creates_and_deletes(ctx: ToolContext, project: Path) -> None:
    result = await ApplyPatchTool().invoke({"patch": MULTI}, ctx)
    assert result.output == (
        "Applied the patch: patched src/app.py (1 hunks); created src/new.py; deleted README.md."
    )
    assert (
        (project / "src/app.py")
        .read_text()
        .endswith("    # only admins\n    return name in ('admin', 'root')\n")
    )
    assert (project / "src/new.py").read_text() == "A = 1\nB = 2\n"
    assert not (project / "README.md").exists()


async def test_patch_that_does_not_match_changes_nothing(ctx: ToolContext, project: Path) -> None:
    bad = MULTI.replace("-# demo", "-# something else")
    result = await ApplyPatchTool().invoke({"patch": bad}, ctx)
    assert result.is_error
    assert result.output.startswith("Hunk 1 (@@ -1 +0,0 @@) does not apply to README.md: line 1")
    assert "should read '# something else' but reads '# demo'" in result.output
    assert "return name == 'admin'" in (project / "src/app.py").read_text()
    assert not (project / "src/new.py").exists()


async def test_patch_without_headers_is_refused(ctx: ToolContext) -> None:
    result = await ApplyPatchTool().invoke({"patch": "@@ -1 +1 @@\n-a\n+b\n"}, ctx)
    assert result.is_error and result.output.startswith("No file headers found.")


async def test_patch_creating_an_existing_file_is_refused(ctx: ToolContext) -> None:
    patch = "--- /dev/null\n+++ b/README.md\n@@ -0,0 +1 @@\n+x\n"
    result = await ApplyPatchTool().invoke({"patch": patch}, ctx)
    assert result.is_error and "which already exists" in result.output


async def test_patch_rename(ctx: ToolContext, project: Path) -> None:
    patch = "--- a/README.md\n+++ b/DOCS.md\n@@ -1 +1 @@\n-# demo\n+# docs\n"
    result = await ApplyPatchTool().invoke({"patch": patch}, ctx)
    assert "renamed README.md to DOCS.md" in result.output
    assert (project / "DOCS.md").read_text() == "# docs\n"
    assert not (project / "README.md").exists()


def test_hunks_apply_with_shifted_lines_and_wrong_counts() -> None:
    text = "".join(f"{n}\n" for n in range(1, 21))
    patch = "--- a/f\n+++ b/f\n@@ -2,99 +2,99 @@\n 10\n-11\n+eleven\n 12\n"
    (file,) = parse_patch(patch)
    assert apply_hunks(text, file.hunks, path="f") == text.replace("11\n", "eleven\n")


def test_blank_context_lines_without_space_are_accepted() -> None:
    (file,) = parse_patch("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n")
    assert apply_hunks("a\n\nb\n", file.hunks, path="f") == "a\n\nc\n"


def test_no_newline_at_end_round_trips_with_our_diffs(tmp_path: Path) -> None:
    before, after = "a\nb", "a\nc"
    diff = unified_diff("f", before, after)
    assert "\\ No newline at end of file" in diff
    (file,) = parse_patch(diff)
    assert apply_hunks(before, file.hunks, path="f") == after


def test_workspace_diffs_apply_back(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("".join(f"line {n}\n" for n in range(30)))
    ws = Workspace(tmp_path, mode="propose")
    text = ws.read_text("m.py")
    ws.write_text("m.py", text.replace("line 3\n", "LINE 3\n").replace("line 25\n", ""))
    (file,) = parse_patch(ws.changes().diff())
    assert apply_hunks(text, file.hunks, path="m.py") == ws.read_text("m.py")


def test_hunk_without_lines_is_an_error() -> None:
    with pytest.raises(PatchError, match="has no '@@' hunks"):
        parse_patch("--- a/f\n+++ b/f\n")


async def test_patch_checks_encoding_before_writing(ctx: ToolContext, project: Path) -> None:
    (project / "legacy.txt").write_bytes(b"caf\xe9\n")
    patch = (
        "--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-# demo\n+# Demo\n"
        "--- a/legacy.txt\n+++ b/legacy.txt\n@@ -1 +1 @@\n-caf\u00e9\n+caf\u00e9 \u2192\n"
    )
    result = await ApplyPatchTool().invoke({"patch": patch}, ctx)
    assert result.is_error and "cannot hold '\u2192'" in result.output
    assert (project / "README.md").read_text() == "# demo\n"
