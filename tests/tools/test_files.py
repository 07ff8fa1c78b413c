"""view, read_file, write_file and create: happy paths and every error the model can hit."""

from __future__ import annotations

from pathlib import Path

from trae_lsp.tools.base import ToolContext
from trae_lsp.tools.files import CreateTool, ReadFileTool, ViewTool, WriteFileTool
from trae_lsp.tools.text import MAX_OUTPUT_CHARS
from trae_lsp.workspace import Workspace


async def test_view_numbers_lines(ctx: ToolContext) -> None:
    result = await ViewTool().invoke({"path": "src/app.py"}, ctx)
    assert not result.is_error
    assert result.output.splitlines()[0] == "     1\timport os"
    assert result.output.splitlines()[3] == "     4\tdef authenticate_user(name):"


async def test_view_range_and_to_end(ctx: ToolContext) -> None:
    result = await ViewTool().invoke({"path": "src/app.py", "view_range": [4, 5]}, ctx)
    assert (
        result.output == "     4\tdef authenticate_user(name):\n     5\t    return name == 'admin'"
    )
    result = await ViewTool().invoke({"path": "src/app.py", "view_range": [5, -1]}, ctx)
    assert result.output == "     5\t    return name == 'admin'"


async def test_view_range_errors(ctx: ToolContext) -> None:
    cases = {
        (9, 10): "first line 9 is outside the file (1-5)",
        (3, 2): "last line 2 is before first line 3",
    }
    for (first, last), message in cases.items():
        result = await ViewTool().invoke({"path": "src/app.py", "view_range": [first, last]}, ctx)
        assert result.is_error and message in result.output
    result = await ViewTool().invoke({"path": "src/app.py", "view_range": [1]}, ctx)
    assert result.is_error and "two numbers" in result.output
    result = await ViewTool().invoke({"path": "src", "view_range": [1, 2]}, ctx)
    assert result.is_error and "only applies to files" in result.output


async def test_view_lists_directories(ctx: ToolContext, project: Path) -> None:
    (project / ".gitignore").write_text("*.pyc\n")
    (project / "src" / "junk.pyc").write_bytes(b"\0")
    result = await ViewTool().invoke({"path": "."}, ctx)
    assert result.output.splitlines() == [
        ".gitignore",
        "README.md",
        "src/",
        "src/app.py",
        "src/views.py",
    ]


async def test_view_clips_long_output_with_a_hint(ctx: ToolContext, project: Path) -> None:
    (project / "big.txt").write_text("".join(f"line {n} " + "x" * 60 + "\n" for n in range(2000)))
    result = await ViewTool().invoke({"path": "big.txt"}, ctx)
    assert len(result.output) < MAX_OUTPUT_CHARS + 300
    assert "[clipped: showing lines 1-" in result.output
    assert "with view_range=[" in result.output


async def test_view_empty_file_and_missing_path(ctx: ToolContext, project: Path) -> None:
    (project / "empty.txt").write_text("")
    assert (await ViewTool().invoke({"path": "empty.txt"}, ctx)).output == "empty.txt is empty."
    result = await ViewTool().invoke({"path": "nope.py"}, ctx)
    assert result.is_error and "nope.py does not exist" in result.output


async def test_read_file_returns_exact_text(ctx: ToolContext) -> None:
    result = await ReadFileTool().invoke({"path": "README.md"}, ctx)
    assert (result.output, result.is_error) == ("# demo\n", False)


async def test_read_file_refuses_escape_and_binary(ctx: ToolContext, project: Path) -> None:
    result = await ReadFileTool().invoke({"path": "../secret"}, ctx)
    assert result.is_error and "leaves the project" in result.output
    (project / "img.png").write_bytes(b"\x89PNG\x00\x00")
    result = await ReadFileTool().invoke({"path": "img.png"}, ctx)
    assert result.is_error and "binary file" in result.output


async def test_write_file_creates_and_overwrites(ctx: ToolContext, project: Path) -> None:
    result = await WriteFileTool().invoke({"path": "pkg/new.py", "content": "A = 1\n"}, ctx)
    assert result.output == "Created pkg/new.py (1 lines)."
    result = await WriteFileTool().invoke({"path": "pkg/new.py", "content": "A = 2\nB = 3\n"}, ctx)
    assert result.output == "Overwrote pkg/new.py (2 lines)."
    assert (project / "pkg" / "new.py").read_text() == "A = 2\nB = 3\n"


async def test_write_file_argument_errors(ctx: ToolContext) -> None:
    result = await WriteFileTool().invoke({"path": "x.py"}, ctx)
    assert result.is_error
    assert result.output.startswith("Invalid arguments for write_file: content: Field required.")
    result = await WriteFileTool().invoke({"path": "src", "content": ""}, ctx)
    assert result.is_error and "is a directory" in result.output


async def test_create_refuses_existing_file(ctx: ToolContext, project: Path) -> None:
    result = await CreateTool().invoke({"path": "docs/a.md", "file_text": "hi\n"}, ctx)
    assert result.output == "Created docs/a.md (1 lines)."
    result = await CreateTool().invoke({"path": "README.md", "file_text": "x"}, ctx)
    assert result.is_error and "already exists. Use str_replace" in result.output
    assert (project / "README.md").read_text() == "# demo\n"


async def test_propose_mode_views_see_the_overlay(project: Path) -> None:
    ctx = ToolContext(workspace=Workspace(project, mode="propose"))
    await WriteFileTool().invoke({"path": "newpkg/mod.py", "content": "A = 1\n"}, ctx)
    listing = await ViewTool().invoke({"path": "newpkg"}, ctx)
    assert listing.output == "newpkg/mod.py"
    shown = await ViewTool().invoke({"path": "newpkg/mod.py"}, ctx)
    assert shown.output == "     1\tA = 1"
    assert not (project / "newpkg").exists()
