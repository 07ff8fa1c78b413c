"""Pending hunks of the `review` edit mode: split, follow the user's edits, accept, reject.

A proposal for one document becomes line hunks anchored by code-point offsets in
the document's current text. Every later change of the document shifts the hunks
after it; a hunk whose text the change touches is gone. Accepting a hunk yields
the minimal edit for just that hunk, against the version the hunks were last
synced to. The `lsp_*` builders show the hunks in every client: hint diagnostics,
"Accept | Reject" code lenses, code actions, and the `trae/pendingChanges`
notification for clients that draw inline diffs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import NamedTuple

import attrs
from lsprotocol import types

from trae_lsp.errors import TraeError
from trae_lsp.server.edits import (
    Splice,
    line_opcodes,
    match_line_endings,
    text_splices,
    trim_splice,
)
from trae_lsp.server.positions import UTF16, LineIndex, split_lines

ACCEPT_HUNK = "trae.acceptHunk"
"""Command: apply one pending hunk; argument `{"uri", "hunkId"}`."""

REJECT_HUNK = "trae.rejectHunk"
"""Command: drop one pending hunk; argument `{"uri", "hunkId"}`."""

ACCEPT_ALL = "trae.acceptAll"
"""Command: apply every pending hunk of a document; argument `{"uri"}`."""

REJECT_ALL = "trae.rejectAll"
"""Command: drop every pending hunk of a document; argument `{"uri"}`."""

PENDING_CHANGES = "trae/pendingChanges"
"""Notification to the client whenever a document's pending hunks change."""

DIAGNOSTIC_SOURCE = "trae"
"""Source of the hint diagnostics that mark pending hunks."""

PENDING_CODE = "pending-change"
"""Diagnostic code of a pending hunk."""

PREVIEW_LINES = 8
"""Most diff lines quoted in a pending hunk's diagnostic message."""


@attrs.define
class HunkRef:
    """Argument of `trae.acceptHunk` / `trae.rejectHunk` (`{"uri", "hunkId"}` on the wire)."""

    uri: str
    hunk_id: str


@attrs.define
class DocumentRef:
    """Argument of `trae.acceptAll` / `trae.rejectAll` (`{"uri"}` on the wire)."""

    uri: str


@attrs.define
class PendingHunkParams:
    """One hunk in `trae/pendingChanges`: its id, range now, old and new text."""

    id: str
    range: types.Range
    old_text: str
    new_text: str


@attrs.define
class PendingChangesParams:
    """Payload of `trae/pendingChanges`; no hunks means the review of `uri` is over."""

    uri: str
    version: int | None
    hunks: list[PendingHunkParams]


class UnknownHunkError(TraeError):
    """The hunk was already accepted, rejected or overwritten by the user's edits."""


class Hunk(NamedTuple):
    """One pending change: replace `old_text` at offsets `start:end` with `new_text`."""

    id: str
    start: int
    end: int
    old_text: str
    new_text: str


def split_hunks(text: str, proposed: str, ids: Iterator[int]) -> list[Hunk]:
    """The line hunks turning `text` into `proposed`, each with a fresh id from `ids`."""
    old_lines, new_lines = split_lines(text), split_lines(proposed)
    starts = list(itertools.accumulate(map(len, old_lines), initial=0))
    return [
        Hunk(
            id=str(next(ids)),
            start=starts[op.old_start],
            end=starts[op.old_end],
            old_text="".join(old_lines[op.old_start : op.old_end]),
            new_text="".join(new_lines[op.new_start : op.new_end]),
        )
        for op in line_opcodes(old_lines, new_lines)
    ]


def shift_hunk(hunk: Hunk, change: Splice) -> Hunk | None:
    """`hunk` after `change`: moved if the change is before it, None if it touched its text."""
    if change.end <= hunk.start:
        delta = len(change.text) - (change.end - change.start)
        return hunk._replace(start=hunk.start + delta, end=hunk.end + delta)
    if change.start >= hunk.end:
        return hunk
    return None


def sequential_splices(old_text: str, new_text: str) -> list[Splice]:
    """Minimal splices from `old_text` to `new_text`, ordered to be applied one after another."""
    # Last first: each splice's offsets then still hold, as nothing before it has moved.
    return list(reversed(text_splices(old_text, new_text)))


def splices_from_content_changes(
    text: str,
    changes: Sequence[types.TextDocumentContentChangeEvent],
    encoding: str = UTF16,
) -> list[Splice]:
    """A `didChange`'s content changes as splices, each relative to the text before it."""
    splices: list[Splice] = []
    for change in changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            index = LineIndex(text, encoding)
            start, end = index.offset(change.range.start), index.offset(change.range.end)
            found = [Splice(start, end, change.text)]
        else:
            found = sequential_splices(text, change.text)
        for splice in found:
            text = text[: splice.start] + splice.text + text[splice.end :]
        splices.extend(found)
    return splices


class PendingChanges:
    """The pending hunks of one document, kept in step with the document's text."""

    def __init__(
        self, uri: str, version: int | None, text: str, proposed: str, ids: Iterator[int]
    ) -> None:
        self.uri = uri
        self.version = version
        self.text = text
        self.hunks = split_hunks(text, match_line_endings(proposed, text), ids)

    def hunk(self, hunk_id: str) -> Hunk:
        """The pending hunk with this id."""
        for hunk in self.hunks:
            if hunk.id == hunk_id:
                return hunk
        raise UnknownHunkError(
            f"no pending change {hunk_id!r} in {self.uri}: it was already accepted, "
            "rejected or overwritten by your edits; run the task again for a new proposal"
        )

    def follow(self, changes: Sequence[Splice], version: int | None) -> None:
        """Apply the document's changes to the tracked text and move or drop hunks."""
        for change in changes:
            self.text = self.text[: change.start] + change.text + self.text[change.end :]
            shifted = (shift_hunk(hunk, change) for hunk in self.hunks)
            self.hunks = [hunk for hunk in shifted if hunk is not None]
        self.version = version

    def follow_text(self, text: str, version: int | None) -> None:
        """Catch up with a document whose new text is known but not the changes."""
        self.follow(sequential_splices(self.text, text), version)

    def accept(self, hunk_id: str, encoding: str = UTF16) -> types.WorkspaceEdit:
        """Stop tracking one hunk and return the minimal edit that applies it."""
        hunk = self.hunk(hunk_id)
        self.hunks.remove(hunk)
        return self._lsp_workspace_edit([hunk], encoding)

    def accept_all(self, encoding: str = UTF16) -> types.WorkspaceEdit | None:
        """Stop tracking every hunk and return one edit applying them all (None if none)."""
        hunks, self.hunks = self.hunks, []
        return self._lsp_workspace_edit(hunks, encoding) if hunks else None

    def reject(self, hunk_id: str) -> None:
        """Drop one hunk without touching the document."""
        self.hunks.remove(self.hunk(hunk_id))

    def reject_all(self) -> None:
        """Drop every hunk without touching the document."""
        self.hunks = []

    def _lsp_workspace_edit(self, hunks: list[Hunk], encoding: str) -> types.WorkspaceEdit:
        index = LineIndex(self.text, encoding)
        edits: list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = []
        for hunk in hunks:
            splice = trim_splice(hunk.old_text, hunk.new_text, hunk.start)
            if splice is not None:
                edits.append(
                    types.TextEdit(
                        range=index.range(splice.start, splice.end), new_text=splice.text
                    )
                )
        document = types.OptionalVersionedTextDocumentIdentifier(uri=self.uri, version=self.version)
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=document, edits=edits)]
        )


class ReviewStore:
    """Pending changes of every document under review; one per server."""

    def __init__(self) -> None:
        self._documents: dict[str, PendingChanges] = {}
        self._ids = itertools.count(1)

    def propose(self, uri: str, version: int | None, text: str, proposed: str) -> PendingChanges:
        """Put a new proposal for `uri` under review, replacing any earlier one."""
        pending = PendingChanges(uri, version, text, proposed, self._ids)
        self._documents[uri] = pending
        return pending

    def get(self, uri: str) -> PendingChanges | None:
        """The pending changes of `uri`, if any hunk is still pending."""
        pending = self._documents.get(uri)
        if pending is not None and not pending.hunks:
            del self._documents[uri]
            return None
        return pending

    def require(self, uri: str) -> PendingChanges:
        """The pending changes of `uri`; raises `UnknownHunkError` if nothing is pending."""
        pending = self.get(uri)
        if pending is None:
            raise UnknownHunkError(f"no Trae changes are pending in {uri}")
        return pending

    def discard(self, uri: str) -> None:
        """Forget `uri`'s proposal (the document was closed)."""
        self._documents.pop(uri, None)


def lsp_pending_changes(pending: PendingChanges, encoding: str = UTF16) -> PendingChangesParams:
    """The `trae/pendingChanges` payload for one document."""
    index = LineIndex(pending.text, encoding)
    return PendingChangesParams(
        uri=pending.uri,
        version=pending.version,
        hunks=[
            PendingHunkParams(h.id, index.range(h.start, h.end), h.old_text, h.new_text)
            for h in pending.hunks
        ],
    )


def lsp_diagnostics(pending: PendingChanges, encoding: str = UTF16) -> list[types.Diagnostic]:
    """One hint diagnostic (source `trae`) on every pending hunk."""
    index = LineIndex(pending.text, encoding)
    return [
        types.Diagnostic(
            range=index.range(h.start, h.end),
            message=_preview(h),
            severity=types.DiagnosticSeverity.Hint,
            source=DIAGNOSTIC_SOURCE,
            code=PENDING_CODE,
            data=_hunk_argument(pending.uri, h),
        )
        for h in pending.hunks
    ]


def lsp_code_lenses(pending: PendingChanges, encoding: str = UTF16) -> list[types.CodeLens]:
    """An "Accept | Reject" pair of code lenses above every pending hunk."""
    index = LineIndex(pending.text, encoding)
    lenses = []
    for h in pending.hunks:
        where = index.range(h.start, h.start)
        argument = _hunk_argument(pending.uri, h)
        for title, command in (("Accept", ACCEPT_HUNK), ("Reject", REJECT_HUNK)):
            lenses.append(
                types.CodeLens(range=where, command=_lsp_command(title, command, argument))
            )
    return lenses


def lsp_code_actions(
    pending: PendingChanges, selection: types.Range, encoding: str = UTF16
) -> list[types.CodeAction]:
    """Accept/reject actions for the hunks touching `selection`, then accept/reject all."""
    index = LineIndex(pending.text, encoding)
    start, end = index.offset(selection.start), index.offset(selection.end)
    actions = []
    for h in pending.hunks:
        if h.start <= end and start <= h.end:
            argument = _hunk_argument(pending.uri, h)
            for title, command in (("accept", ACCEPT_HUNK), ("reject", REJECT_HUNK)):
                actions.append(_lsp_action(f"Trae: {title} hunk", command, argument))
    if pending.hunks:
        argument = {"uri": pending.uri}
        actions.append(_lsp_action("Trae: accept all", ACCEPT_ALL, argument))
        actions.append(_lsp_action("Trae: reject all", REJECT_ALL, argument))
    return actions


def _lsp_action(title: str, command: str, argument: dict[str, str]) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        command=_lsp_command(title, command, argument),
    )


def _lsp_command(title: str, command: str, argument: dict[str, str]) -> types.Command:
    return types.Command(title=title, command=command, arguments=[argument])


def _hunk_argument(uri: str, hunk: Hunk) -> dict[str, str]:
    return {"uri": uri, "hunkId": hunk.id}


def _preview(hunk: Hunk) -> str:
    """The diagnostic message: what the hunk changes, as a few diff lines."""
    lines = [f"- {line}" for line in split_lines(hunk.old_text)]
    lines += [f"+ {line}" for line in split_lines(hunk.new_text)]
    shown = [line.rstrip("\r\n") for line in lines[:PREVIEW_LINES]]
    if len(lines) > PREVIEW_LINES:
        shown.append(f"… {len(lines) - PREVIEW_LINES} more lines")
    return "Trae proposes a change (accept or reject it):\n" + "\n".join(shown)
