"""str_replace, insert and undo: exact edits, errors that say what to do, bytes kept."""

from __future__ import annotations

from pathlib import Path

from trae_lsp.tools.base import ToolContext
from trae_lsp.tools.edit import InsertTool, StrReplaceTool, UndoTool


async def test_str_replace_edits_and_shows_snippet(ctx: ToolContext, project: Path) -> None:
    args = {"path": "src/app.py", "old_str": "name == 'admin'", "new_str": "name in ADMINS"}
    result = await StrReplaceTool().invoke(args, ctx)
    assert not result.is_error
    assert result.output.startswith("Edited src/app.py. Lines 5-5 with context now read:\n")
    assert "     5\t    return name in ADMINS" in result.output
    assert (project / "src/app.py").read_text().endswith("return name in ADMINS\n")


async def test_str_replace_not_found_points_at_near_match(ctx: ToolContext) -> None:
    args = {"path": "src/app.py", "old_str": "def authenticate_user(name):\n  return name"}
    result = await StrReplaceTool().invoke(args, ctx)
    assert result.is_error
    assert result.output == (
        "old_str was not found in src/app.py. A line containing "
        "'def authenticate_user(name):' is at line 4: the indentation, whitespace or "
        "neighbouring lines differ. View the file and copy the exact text, whitespace included."
    )


async def test_str_replace_multiple_matches_lists_lines(ctx: ToolContext, project: Path) -> None:
    (project / "dup.py").write_text("x = 1\ny = 2\nx = 1\n\nx = 1\n")
    result = await StrReplaceTool().invoke(
        {"path": "dup.py", "old_str": "x = 1", "new_str": ""}, ctx
    )
    assert result.is_error
    assert result.output.startswith("old_str occurs 3 times in dup.py (at lines 1, 3, 5).")
    assert "Include more surrounding lines" in result.output
    assert (project / "dup.py").read_text() == "x = 1\ny = 2\nx = 1\n\nx = 1\n"


async def test_str_replace_empty_old_str(ctx: ToolContext) -> None:
    result = await StrReplaceTool().invoke({"path": "src/app.py", "old_str": ""}, ctx)
    assert result.is_error and "old_str is empty" in result.output


async def test_str_replace_keeps_crlf_tabs_and_latin1(ctx: ToolContext, project: Path) -> None:
    original = b"# caf\xe9\r\nif x:\r\n\treturn 1\r\n\t# tail \xff\r\n"
    (project / "legacy.py").write_bytes(original)
    args = {"path": "legacy.py", "old_str": "\treturn 1\n", "new_str": "\treturn 2\n\tpass\n"}
    result = await StrReplaceTool().invoke(args, ctx)
    assert not result.is_error, result.output
    assert (project / "legacy.py").read_bytes() == (
        b"# caf\xe9\r\nif x:\r\n\treturn 2\r\n\tpass\r\n\t# tail \xff\r\n"
    )


async def test_insert_after_line_and_at_top(ctx: ToolContext, project: Path) -> None:
    result = await InsertTool().invoke({"path": "README.md", "insert_line": 1, "new_str": "x"}, ctx)
    assert result.output.startswith("Inserted 1 lines into README.md:")
    await InsertTool().invoke({"path": "README.md", "insert_line": 0, "new_str": "top\n"}, ctx)
    assert (project / "README.md").read_text() == "top\n# demo\nx\n"


async def test_insert_at_end_of_file_without_final_newline(ctx: ToolContext, project: Path) -> None:
    (project / "n.txt").write_text("a\nb")
    await InsertTool().invoke({"path": "n.txt", "insert_line": 2, "new_str": "c"}, ctx)
    assert (project / "n.txt").read_text() == "a\nb\nc\n"


async def test_insert_line_out_of_range(ctx: ToolContext) -> None:
    args = {"path": "README.md", "insert_line": 5, "new_str": "x"}
    result = await InsertTool().invoke(args, ctx)
    assert result.is_error
    assert result.output == (
        "insert_line 5 is outside README.md, which has 1 lines; use a number from 0 to 1."
    )


async def test_undo_reverts_edits_then_refuses(ctx: ToolContext, project: Path) -> None:
    args = {"path": "README.md", "old_str": "demo", "new_str": "DEMO"}
    await StrReplaceTool().invoke(args, ctx)
    result = await UndoTool().invoke({"path": "README.md"}, ctx)
    assert result.output == "Reverted README.md to its previous text (1 lines)."
    assert (project / "README.md").read_text() == "# demo\n"
    result = await UndoTool().invoke({"path": "README.md"}, ctx)
    assert result.is_error and "No edit of README.md to undo" in result.output


async def test_undo_of_created_file(ctx: ToolContext, project: Path) -> None:
    await InsertTool().invoke({"path": "README.md", "insert_line": 0, "new_str": "x"}, ctx)
    ctx.workspace.write_text("made.txt", "m\n")
    result = await UndoTool().invoke({"path": "made.txt"}, ctx)
    assert result.output == "Undid the creation of made.txt; it no longer exists."
    assert not (project / "made.txt").exists()
