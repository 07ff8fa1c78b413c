"""The article's FileManager example runs as written, over the Workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from trae.tools import FileManager
from trae_lsp.tools.unidiff import PatchError


def test_article_example(project: Path) -> None:
    (project / "src" / "main.py").write_text("def main():\n    return 1\n")
    new_content = "def login(user):\n    return user\n"
    diff_patch = (
        "--- a/src/main.py\n+++ b/src/main.py\n"
        "@@ -1,2 +1,2 @@\n def main():\n-    return 1\n+    return 2\n"
    )

    # File operations (verbatim from the article, with working_dir pointing at the test project)
    fm = FileManager(working_dir=str(project))
    content = fm.read("src/main.py")
    fm.write("src/auth.py", new_content)
    fm.patch("src/main.py", diff_patch)

    assert content == "def main():\n    return 1\n"
    assert (project / "src/auth.py").read_text() == new_content
    assert (project / "src/main.py").read_text() == "def main():\n    return 2\n"
    assert fm.changes.files == ["src/auth.py", "src/main.py"]


def test_patch_accepts_bare_hunks_and_refuses_other_files(project: Path) -> None:
    fm = FileManager(working_dir=project, mode="propose")
    assert fm.patch("README.md", "@@ -1 +1 @@\n-# demo\n+# Demo\n") == "# Demo\n"
    assert (project / "README.md").read_text() == "# demo\n"
    with pytest.raises(PatchError, match=r"changes src/app\.py, not README\.md"):
        fm.patch("README.md", "--- a/src/app.py\n+++ b/src/app.py\n@@ -1 +1 @@\n-import os\n+x\n")
