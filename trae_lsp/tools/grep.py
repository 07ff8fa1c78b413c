"""Searching project text: ripgrep when it is on PATH, a pure-Python walk otherwise.

Both engines see the same files: `.gitignore` rules (nested ones too, without
needing a git repository), hidden files included, VCS directories, binary files and
files over `MAX_FILE_BYTES` skipped. Files the agent sees differently from disk
(open buffers, the propose-mode overlay) are searched in their pending text instead.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pathspec

from trae_lsp.tools.base import ToolError
from trae_lsp.workspace import Workspace
from trae_lsp.workspace.codec import BinaryFileError, decode, split_lines
from trae_lsp.workspace.ignore import VCS_DIRS

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Files larger than this are not searched (generated bundles, data dumps)."""

DEFAULT_LIMIT = 200
"""Matching lines reported before the result is clipped."""

Engine = Literal["auto", "ripgrep", "python"]


@dataclass(frozen=True)
class GrepQuery:
    """What to look for and where."""

    pattern: str
    path: str = "."
    glob: str | None = None
    """Only files whose project-relative path matches this gitignore-style glob."""
    ignore_case: bool = False
    fixed_strings: bool = False
    """Treat `pattern` as literal text, not a regular expression."""
    limit: int = DEFAULT_LIMIT
    """Stop after this many matching lines."""


@dataclass(frozen=True)
class GrepMatch:
    """One matching line: project-relative path, 1-based line, 0-based column (code points)."""

    path: str
    line: int
    column: int
    text: str


def grep(ws: Workspace, query: GrepQuery, *, engine: Engine = "auto") -> list[GrepMatch]:
    """Matching lines under `query.path`, sorted by path and line, at most `limit + 1` of them."""
    regex = _compile(query)
    start = ws.resolve(query.path)
    pending = {p: t for p, t in ws.pending_texts().items() if p.is_relative_to(start)}
    use_rg = engine == "ripgrep" or (engine == "auto" and shutil.which("rg") is not None)
    found = _ripgrep(ws, start, query) if use_rg else _python(ws, start, query, regex)
    matches = [m for m in found if ws.root / m.path not in pending]
    wanted = _glob_filter(query.glob)
    for path, text in pending.items():
        rel = ws.relative(path)
        if text is not None and wanted(rel):
            matches.extend(_search_text(rel, text, regex))
    matches.sort(key=lambda m: (m.path, m.line))
    return matches[: query.limit + 1]


def _compile(query: GrepQuery) -> re.Pattern[str]:
    source = re.escape(query.pattern) if query.fixed_strings else query.pattern
    try:
        return re.compile(source, re.IGNORECASE if query.ignore_case else 0)
    except re.error as e:
        raise ToolError(
            f"Invalid regular expression {query.pattern!r}: {e}. Escape special characters "
            "or pass fixed_strings=true to search for the literal text."
        ) from e


def _glob_filter(glob: str | None) -> Callable[[str], bool]:
    """A predicate on project-relative paths for a gitignore-style glob (all paths if none)."""
    if not glob:
        return lambda rel: True
    spec = pathspec.GitIgnoreSpec.from_lines([glob])
    return lambda rel: bool(spec.match_file(rel))


def _search_text(rel: str, text: str, regex: re.Pattern[str]) -> Iterator[GrepMatch]:
    for number, line in enumerate(split_lines(text), 1):
        found = regex.search(line.rstrip("\r\n"))
        if found:
            yield GrepMatch(rel, number, found.start(), line.rstrip("\r\n"))


def _python(
    ws: Workspace, start: Path, query: GrepQuery, regex: re.Pattern[str]
) -> list[GrepMatch]:
    """The pure-Python engine: walk with the ignore rules, decode like the Workspace does."""
    wanted = _glob_filter(query.glob)
    files = [start] if start.is_file() else ws.ignore.files(start)
    out: list[GrepMatch] = []
    for path in files:
        rel = ws.relative(path)
        if not wanted(rel) or path.stat().st_size > MAX_FILE_BYTES:
            continue
        try:
            text = decode(path.read_bytes()).text
        except BinaryFileError:
            continue
        out.extend(_search_text(rel, text, regex))
        if len(out) > query.limit:
            break
    return out


def _ripgrep(ws: Workspace, start: Path, query: GrepQuery) -> list[GrepMatch]:
    """The ripgrep engine, streaming `rg --json` and stopping once enough lines matched."""
    with subprocess.Popen(
        _rg_command(query, start), cwd=ws.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        out: list[GrepMatch] = []
        wanted = _glob_filter(query.glob)  # rg's own --glob would override .gitignore
        for raw in proc.stdout:
            match = _rg_match(ws, json.loads(raw))
            if match is not None and wanted(match.path):
                out.append(match)
            if len(out) > query.limit:
                proc.kill()
                return out
        error = proc.stderr.read().decode("utf-8", "replace").strip()
        if proc.wait() == 2 and not out:
            raise ToolError(f"grep failed: {error}. Check the pattern (Rust regex syntax).")
    return out


def _rg_command(query: GrepQuery, start: Path) -> list[str]:
    command = [
        "rg", "--json", "--no-config", "--hidden", "--no-require-git", "--no-ignore-dot",
        "--no-ignore-global", "--no-ignore-parent", "--sort", "path",
        "--max-filesize", str(MAX_FILE_BYTES),
    ]  # fmt: skip
    for vcs in sorted(VCS_DIRS):
        command += ["--glob", f"!{vcs}"]
    if query.ignore_case:
        command.append("--ignore-case")
    if query.fixed_strings:
        command.append("--fixed-strings")
    return [*command, "--regexp", query.pattern, "--", str(start)]


def _rg_match(ws: Workspace, event: dict[str, Any]) -> GrepMatch | None:
    """A GrepMatch from one `rg --json` event (only `match` events carry one)."""
    if event.get("type") != "match":
        return None
    data = event["data"]
    line_bytes = _rg_bytes(data["lines"])
    submatches = data.get("submatches") or [{"start": 0}]
    column = len(_line_text(line_bytes[: submatches[0]["start"]]))
    text = _line_text(line_bytes).rstrip("\r\n")
    path = Path(_rg_bytes(data["path"]).decode("utf-8", "surrogateescape"))
    return GrepMatch(ws.relative(ws.root / path), data["line_number"], column, text)


def _rg_bytes(field: dict[str, str]) -> bytes:
    """ripgrep sends text as `{"text": …}` or, when it is not UTF-8, `{"bytes": base64}`."""
    if "text" in field:
        return field["text"].encode("utf-8", "surrogateescape")
    return base64.b64decode(field["bytes"])


def _line_text(data: bytes) -> str:
    """Decode one line the way the Workspace decodes files (UTF-8, then legacy encodings)."""
    try:
        return decode(data).text
    except BinaryFileError:
        return data.decode("utf-8", "replace")
