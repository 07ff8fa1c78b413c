"""Turn text changes into minimal LSP edits and file changes into a versioned WorkspaceEdit."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from lsprotocol import types
from pygls import uris

from trae_lsp.server.positions import UTF16, LineIndex, split_lines
from trae_lsp.workspace import ChangeSet, FileChange


class Opcode(NamedTuple):
    """One difflib opcode over lines: `old[old_start:old_end]` → `new[new_start:new_end]`."""

    tag: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int


class Splice(NamedTuple):
    """Replace code points `start:end` of the old text with `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ProposedChange:
    """One file the agent changed, as the Workspace's ChangeSet records it."""

    path: Path
    """Absolute path of the file."""
    original: str
    """Text the agent read (empty for a created file)."""
    new: str
    """Text the agent wants (empty for a deleted file)."""
    created: bool = False
    """The file did not exist before."""
    deleted: bool = False
    """The agent deleted the file."""
    version: int | None = None
    """Editor buffer version the agent read; None only when the file is not open."""


def proposed_change(change: FileChange, root: Path) -> ProposedChange:
    """A Workspace `FileChange` (project-relative path, None texts) for the editor."""
    return ProposedChange(
        path=root / change.path,
        original=change.original or "",
        new=change.new or "",
        created=change.created,
        deleted=change.deleted,
        version=change.version,
    )


def proposed_changes(change_set: ChangeSet, root: Path) -> list[ProposedChange]:
    """Every change of a Workspace `ChangeSet`, ready for `lsp_workspace_edit`."""
    return [proposed_change(change, root) for change in change_set]


def match_line_endings(text: str, like: str) -> str:
    """`text` with its line breaks rewritten to the first line break used in `like`."""
    found = re.search(r"\r\n|\r|\n", like)
    if found is None:
        return text
    return re.sub(r"\r\n|\r|\n", found.group(), text)


def line_opcodes(old_lines: Sequence[str], new_lines: Sequence[str]) -> list[Opcode]:
    """Changed line blocks; common head and tail lines are skipped before difflib (O(n))."""
    head = 0
    limit = min(len(old_lines), len(new_lines))
    while head < limit and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    matcher = difflib.SequenceMatcher(
        None,
        old_lines[head : len(old_lines) - tail],
        new_lines[head : len(new_lines) - tail],
    )
    return [
        Opcode(tag, i1 + head, i2 + head, j1 + head, j2 + head)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    limit = min(len(a), len(b))
    while n < limit and a[n] == b[n]:
        n += 1
    # Never cut a CRLF in two: the edit would leave a lone CR behind.
    if n and a[n - 1] == "\r" and (a[n : n + 1] == "\n" or b[n : n + 1] == "\n"):
        n -= 1
    return n


def _common_suffix(a: str, b: str, prefix: int) -> int:
    n = 0
    limit = min(len(a), len(b)) - prefix
    while n < limit and a[-1 - n] == b[-1 - n]:
        n += 1
    if n and a[-n] == "\n" and (a[-n - 1 : -n] == "\r" or b[-n - 1 : -n] == "\r"):
        n -= 1
    return n


def trim_splice(old_block: str, new_block: str, start: int) -> Splice | None:
    """The smallest splice turning `old_block` (at offset `start`) into `new_block`."""
    if old_block == new_block:
        return None
    prefix = _common_prefix(old_block, new_block)
    suffix = _common_suffix(old_block, new_block, prefix)
    return Splice(
        start + prefix,
        start + len(old_block) - suffix,
        new_block[prefix : len(new_block) - suffix],
    )


def text_splices(old_text: str, new_text: str) -> list[Splice]:
    """Minimal splices turning `old_text` into `new_text`; unchanged lines are never touched."""
    old_lines, new_lines = split_lines(old_text), split_lines(new_text)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    splices = []
    for op in line_opcodes(old_lines, new_lines):
        old_block = "".join(old_lines[op.old_start : op.old_end])
        new_block = "".join(new_lines[op.new_start : op.new_end])
        splice = trim_splice(old_block, new_block, starts[op.old_start])
        if splice is not None:
            splices.append(splice)
    return splices


def lsp_text_edits(old_text: str, new_text: str, encoding: str = UTF16) -> list[types.TextEdit]:
    """Minimal `TextEdit`s turning `old_text` into `new_text`, columns in `encoding` units."""
    index = LineIndex(old_text, encoding)
    return [
        types.TextEdit(range=index.range(s.start, s.end), new_text=s.text)
        for s in text_splices(old_text, new_text)
    ]


def lsp_workspace_edit(
    changes: Sequence[ProposedChange],
    *,
    encoding: str = UTF16,
    confirm_label: str | None = None,
) -> types.WorkspaceEdit:
    """A `WorkspaceEdit` with `documentChanges` for the agent's files.

    With `confirm_label`, every change carries a change annotation with
    `needsConfirmation` (the `confirm` edit mode: VS Code shows its refactor preview).
    """
    document_changes: list[types.TextDocumentEdit | types.CreateFile | types.DeleteFile] = []
    annotations: dict[str, types.ChangeAnnotation] = {}
    for change in changes:
        uri = uris.from_fs_path(str(change.path)) or change.path.as_uri()
        annotation_id = None
        if confirm_label is not None:
            annotation_id = uri
            annotations[uri] = lsp_change_annotation(confirm_label, change)
        document_changes.extend(_lsp_file_changes(change, uri, encoding, annotation_id))
    return types.WorkspaceEdit(
        document_changes=document_changes, change_annotations=annotations or None
    )


def lsp_change_annotation(label: str, change: ProposedChange) -> types.ChangeAnnotation:
    """The annotation that asks the user to confirm one file's change."""
    verb = "create" if change.created else "delete" if change.deleted else "edit"
    return types.ChangeAnnotation(
        label=label, needs_confirmation=True, description=f"{verb} {change.path.name}"
    )


def _lsp_file_changes(
    change: ProposedChange, uri: str, encoding: str, annotation_id: str | None
) -> list[types.TextDocumentEdit | types.CreateFile | types.DeleteFile]:
    """The resource operations and text edits for one file (none if nothing changed)."""
    if change.created and change.deleted:
        return []
    if change.deleted:
        return [types.DeleteFile(uri=uri, annotation_id=annotation_id)]
    if change.created:
        create = types.CreateFile(
            uri=uri,
            options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False),
            annotation_id=annotation_id,
        )
        return [create, lsp_document_edit(uri, None, "", change.new, encoding, annotation_id)]
    new_text = match_line_endings(change.new, change.original)
    if new_text == change.original:
        return []
    return [
        lsp_document_edit(uri, change.version, change.original, new_text, encoding, annotation_id)
    ]


def lsp_document_edit(
    uri: str,
    version: int | None,
    old_text: str,
    new_text: str,
    encoding: str = UTF16,
    annotation_id: str | None = None,
) -> types.TextDocumentEdit:
    """A `TextDocumentEdit` against buffer `version` (None: the file is not open)."""
    edits: list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = []
    for edit in lsp_text_edits(old_text, new_text, encoding):
        if annotation_id is None:
            edits.append(edit)
        else:
            edits.append(
                types.AnnotatedTextEdit(
                    range=edit.range, new_text=edit.new_text, annotation_id=annotation_id
                )
            )
    return types.TextDocumentEdit(
        text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
        edits=edits,
    )
