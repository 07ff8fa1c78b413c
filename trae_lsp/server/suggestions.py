"""On-save suggestions: one bounded model call reviews a saved file; findings become diagnostics.

A save schedules a review after a short pause (a newer save or change cancels
the one in flight); content already reviewed is never sent again (cache by
content hash). The model sees the file with line numbers and its outline and
answers a JSON list of findings, each with the lines to replace. With the
`changed-symbols` scope it sees only the definitions changed since the last
review (see `review_scope`) and keeps the earlier findings elsewhere. Findings are
published as diagnostics (source `trae`) next to the review hunks' diagnostics,
and each has a quick fix that applies its replacement.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from trae_lsp.errors import TraeError
from trae_lsp.server.edit_support import EditSupport, fit_edit
from trae_lsp.server.positions import LineIndex
from trae_lsp.server.review import DocumentRef
from trae_lsp.server.review_scope import (
    Region,
    carry_findings,
    changed_regions,
    excerpt,
    in_regions,
)
from trae_lsp.server.runs import project_root

if TYPE_CHECKING:
    from trae_lsp.context.symbols import Symbol
    from trae_lsp.llm.model import Model
    from trae_lsp.server.server import TraeServer

SOURCE = "trae"
"""Diagnostic source of findings (shared with the review hunks)."""

SAVE_DELAY = 0.3
"""Seconds after a save before the review starts (saves in quick succession coalesce)."""

MAX_FILE_CHARS = 60_000
"""Files longer than this are not reviewed (the per-save input bound)."""

REVIEW = "trae.review"
"""Command: review a document now; argument `{"uri"}`; answers how many findings."""

UNCHANGED = "Trae: not reviewed again, unchanged since the last review"
"""Logged when a save's content was reviewed already."""

SYSTEM = (
    "You review code. Answer only with a JSON list (no prose). Each item is an object "
    '{"line": first line (1-based), "end_line": last line, "code": short kebab-case id, '
    '"message": one readable sentence, "replacement": the exact new text of those lines}. '
    "Report only real bugs or clear improvements; answer [] when there is nothing."
)


class Finding(BaseModel):
    """One suggestion as the model reports it."""

    line: int = Field(ge=1)
    end_line: int | None = None
    code: str = "suggestion"
    message: str
    replacement: str | None = None


FINDINGS = TypeAdapter(list[Finding])


@dataclass
class Suggestions:
    """Per-document findings and the content hashes already reviewed."""

    diagnostics: dict[str, list[types.Diagnostic]] = field(default_factory=dict)
    reviewed: dict[str, str] = field(default_factory=dict)
    running: dict[str, asyncio.Future[None]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    """The text each open document had when it was last reviewed."""
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    """The findings published for that text."""

    def forget(self, uri: str) -> None:
        """Drop a closed document's findings and reviewed text (its hash stays known)."""
        for table in (self.diagnostics, self.texts, self.findings):
            table.pop(uri, None)


def content_hash(text: str) -> str:
    """The cache key of a file's content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def review_prompt(
    path: str, text: str, symbols: list[Symbol], regions: list[Region] | None = None
) -> str:
    """The file (or only `regions`, with context) with line numbers, and its outline."""
    outline = "\n".join(f"- {s.qualname} (line {s.line}): {s.signature}" for s in symbols)
    head = f"File {path}. Definitions:\n{outline or '(none)'}\n\n"
    if regions is None:
        return head + "\n".join(f"{n:>5}  {line}" for n, line in enumerate(text.splitlines(), 1))
    listed = "\n".join(f"- {r.name} (lines {r.first}-{r.last})" for r in regions)
    return (
        f"{head}Review only these parts, changed since the last review:\n{listed}\n"
        "The other lines shown are context: report nothing there.\n\n" + excerpt(text, regions)
    )


def parse_findings(answer: str) -> list[Finding]:
    """The findings in the model's answer (a JSON list, possibly in a code fence)."""
    match = re.search(r"\[.*\]", answer, re.DOTALL)
    if match is None:
        return []
    try:
        return FINDINGS.validate_python(json.loads(match.group()))
    except (ValueError, ValidationError):
        return []


def line_range(index: LineIndex, first: int, last: int) -> types.Range:
    """Whole lines `first`..`last` (1-based, inclusive), line breaks included."""
    start = index.offset(types.Position(line=first - 1, character=0))
    end = index.offset(types.Position(line=last, character=0))
    if last >= len(index.text.splitlines()):
        end = len(index.text)
    return index.range(start, end)


def lsp_diagnostics(
    findings: list[Finding], text: str, version: int | None, encoding: str
) -> list[types.Diagnostic]:
    """Findings as diagnostics; `data` carries the replacement for the quick fix."""
    index = LineIndex(text, encoding)
    lines = len(text.splitlines())
    diagnostics = []
    for finding in findings:
        if finding.line > lines:
            continue
        last = min(max(finding.end_line or finding.line, finding.line), lines)
        data: dict[str, Any] = {"version": version}
        if finding.replacement is not None:
            data["replacement"] = finding.replacement
        diagnostics.append(
            types.Diagnostic(
                range=line_range(index, finding.line, last),
                message=finding.message,
                severity=types.DiagnosticSeverity.Information,
                source=SOURCE,
                code=finding.code,
                data=data,
            )
        )
    return diagnostics


def quick_fixes(
    uri: str, diagnostics: list[types.Diagnostic] | Any, version: int | None, support: EditSupport
) -> list[types.CodeAction]:
    """ "Trae: apply suggestion" for each finding in the request that has a replacement."""
    fixes = []
    for diagnostic in diagnostics:
        data = diagnostic.data
        if diagnostic.source != SOURCE or not isinstance(data, dict) or "replacement" not in data:
            continue
        edit = types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
            edits=[types.TextEdit(range=diagnostic.range, new_text=str(data["replacement"]))],
        )
        fixes.append(
            types.CodeAction(
                title=f"Trae: apply suggestion: {diagnostic.message}",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=fit_edit(types.WorkspaceEdit(document_changes=[edit]), support),
                is_preferred=True,
            )
        )
    return fixes


def schedule_review(ls: TraeServer, uri: str, text: str, version: int | None) -> None:
    """After a save: review the text soon, unless this content was reviewed already."""
    cancel_review(ls, uri)
    if ls.suggestions.reviewed.get(uri) == content_hash(text):
        ls.window_log_message(
            types.LogMessageParams(
                type=types.MessageType.Info,
                message=f"{UNCHANGED}: {Path(uri).name}",
            )
        )
        return
    task = asyncio.ensure_future(_review_soon(ls, uri, text, version))
    ls.suggestions.running[uri] = task
    task.add_done_callback(lambda done: _forget(ls, uri, done))


def cancel_review(ls: TraeServer, uri: str) -> None:
    """A newer save or change makes the review in flight pointless."""
    running = ls.suggestions.running.pop(uri, None)
    if running is not None:
        running.cancel()


def _forget(ls: TraeServer, uri: str, done: asyncio.Future[None]) -> None:
    if ls.suggestions.running.get(uri) is done:
        del ls.suggestions.running[uri]


async def _review_soon(ls: TraeServer, uri: str, text: str, version: int | None) -> None:
    await asyncio.sleep(SAVE_DELAY)
    try:
        count = await review_text(ls, uri, text, version)
    except TraeError as e:
        ls.show_warning(f"Trae: the on-save review failed: {e}")
        return
    ls.window_log_message(
        types.LogMessageParams(
            type=types.MessageType.Info,
            message=f"Trae: reviewed {Path(uri).name}: {count} suggestion(s)",
        )
    )


async def review_text(ls: TraeServer, uri: str, text: str, version: int | None) -> int:
    """One bounded model call on `text` (or its changed definitions); publish; how many new."""
    if len(text) > MAX_FILE_CHARS:
        return 0
    path = Path(ls.document(uri).path)
    symbols = await asyncio.shield(ls.symbols.parse(uri, path, text, version))
    state = ls.suggestions
    previous = state.texts.get(uri)
    carried: list[Finding] = []
    if previous is None or ls.settings.suggestions.scope != "changed-symbols":
        findings = await _ask(ls, uri, review_prompt(path.name, text, symbols))
    else:
        regions = changed_regions(previous, text, symbols)
        prompt = review_prompt(path.name, text, symbols, regions)
        findings = []
        if regions:  # nothing changed since the last review: no model call
            findings = [f for f in await _ask(ls, uri, prompt) if in_regions(f, regions)]
        carried = carry_findings(state.findings.get(uri, []), previous, text, regions)
    published = sorted(findings + carried, key=lambda f: f.line)
    state.reviewed[uri], state.texts[uri], state.findings[uri] = (
        content_hash(text),
        text,
        published,
    )
    state.diagnostics[uri] = lsp_diagnostics(published, text, version, ls.encoding)
    ls.publish_review(uri)
    return len(findings)


async def _ask(ls: TraeServer, uri: str, prompt: str) -> list[Finding]:
    """The one bounded model call of a review."""
    from trae_lsp.llm.messages import UserMessage

    model = await asyncio.to_thread(_model, ls.settings.model, project_root(ls, uri))
    response = await model.complete(
        [UserMessage(text=prompt)], system=SYSTEM, max_tokens=ls.settings.suggestions.max_tokens
    )
    return parse_findings(response.message.text)


def _model(spec: str | None, root: Path) -> Model:
    """The configured model (config files read and SDKs imported in a thread)."""
    from trae_lsp.config_layers import load_config
    from trae_lsp.llm.factory import create_model

    return create_model(spec, load_config(root))


async def review_now(ls: TraeServer, ref: DocumentRef) -> int:
    """`trae.review`: review a document's current text now (the `manual` trigger)."""
    cancel_review(ls, ref.uri)
    try:
        document = ls.document(ref.uri)
        return await review_text(ls, ref.uri, document.source, document.version)
    except TraeError as e:
        ls.show_warning(f"Trae: the review failed: {e}")
        return 0
