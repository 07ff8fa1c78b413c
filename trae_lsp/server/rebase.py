"""Rebase the agent's change onto text the user edited meanwhile, or report the conflicts.

The agent read `base` and wants `agent`; the editor now holds `current`. When no
line the agent changed was touched by the user (nor both inserted lines at the
same place), the agent's line blocks are replayed onto `current`. Otherwise
nothing is applied and the conflicting hunks are listed, so the proposal can stay
available for the user to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from trae_lsp.server.edits import Opcode, ProposedChange, line_opcodes
from trae_lsp.server.positions import split_lines


@dataclass(frozen=True)
class Rebased:
    """The agent's change applied onto the user's current text."""

    text: str


class ConflictHunk(NamedTuple):
    """One agent hunk that overlaps the user's edits (lines are 0-based, end exclusive)."""

    base_start: int
    base_end: int
    base_text: str
    agent_text: str
    current_text: str


@dataclass(frozen=True)
class RebaseConflict:
    """The agent's change cannot be replayed; these hunks collide with the user's edits."""

    hunks: list[ConflictHunk]


RebaseResult = Rebased | RebaseConflict
"""What `rebase` returns."""


def rebase(base: str, agent: str, current: str) -> RebaseResult:
    """Replay the change `base → agent` onto `current` (which was edited from `base`)."""
    if current == base:
        return Rebased(agent)
    if agent == base:
        return Rebased(current)
    base_lines, agent_lines, current_lines = (
        split_lines(base),
        split_lines(agent),
        split_lines(current),
    )
    agent_ops = line_opcodes(base_lines, agent_lines)
    user_ops = line_opcodes(base_lines, current_lines)
    conflicts = [
        _conflict_hunk(op, clashing, base_lines, agent_lines, current_lines)
        for op in agent_ops
        if (clashing := [u for u in user_ops if _overlaps(op, u)])
    ]
    if conflicts:
        return RebaseConflict(conflicts)
    return Rebased(_replay(agent_ops, agent_lines, onto=current_lines, moved_by=user_ops))


def merge_preferring_agent(base: str, agent: str, current: str) -> str:
    """The agent's text plus every edit of the user that does not overlap one of the agent's.

    Where both changed the same lines the agent's lines win: reviewing this text
    against `current` shows, hunk by hunk, what taking the proposal would change.
    """
    base_lines, agent_lines, current_lines = (
        split_lines(base),
        split_lines(agent),
        split_lines(current),
    )
    agent_ops = line_opcodes(base_lines, agent_lines)
    user_ops = [
        u
        for u in line_opcodes(base_lines, current_lines)
        if not any(_overlaps(op, u) for op in agent_ops)
    ]
    return _replay(user_ops, current_lines, onto=agent_lines, moved_by=agent_ops)


def _replay(
    ops: list[Opcode], new_lines: list[str], *, onto: list[str], moved_by: list[Opcode]
) -> str:
    """Apply `ops` (base → `new_lines`) to `onto`, a text that `moved_by` made from base."""
    merged = list(onto)
    for op in reversed(ops):
        start = _to_current(op.old_start, moved_by)
        end = start + (op.old_end - op.old_start)
        merged[start:end] = new_lines[op.new_start : op.new_end]
    return "".join(merged)


class OpenDocument(NamedTuple):
    """An editor buffer as it is now."""

    version: int | None
    text: str


class FileConflict(NamedTuple):
    """A file whose change could not be replayed onto the user's edits."""

    change: ProposedChange
    hunks: list[ConflictHunk]


class RebasedChanges(NamedTuple):
    """Changes ready for the editor (against current buffers) and the ones in conflict."""

    ready: list[ProposedChange]
    conflicts: list[FileConflict]


def rebase_changes(
    changes: Sequence[ProposedChange], open_document: Callable[[Path], OpenDocument | None]
) -> RebasedChanges:
    """Bring every change up to the editor's current buffers, or set it aside as a conflict."""
    ready: list[ProposedChange] = []
    conflicts: list[FileConflict] = []
    for change in changes:
        document = None if change.created or change.deleted else open_document(change.path)
        if document is None or (document.version, document.text) == (
            change.version,
            change.original,
        ):
            ready.append(change)
            continue
        result = rebase(change.original, change.new, document.text)
        if isinstance(result, RebaseConflict):
            conflicts.append(FileConflict(change, result.hunks))
        else:
            ready.append(
                replace(change, original=document.text, new=result.text, version=document.version)
            )
    return RebasedChanges(ready, conflicts)


def _overlaps(agent_op: Opcode, user_op: Opcode) -> bool:
    """Do two changes of the base touch the same lines?

    An insertion overlaps a replaced block only strictly inside it (at either edge
    its place is clear); two insertions overlap at the same place (order unknown).
    """
    a_start, a_end = agent_op.old_start, agent_op.old_end
    u_start, u_end = user_op.old_start, user_op.old_end
    if a_start == a_end and u_start == u_end:
        return a_start == u_start
    if a_start == a_end:
        return u_start < a_start < u_end
    if u_start == u_end:
        return a_start < u_start < a_end
    return a_start < u_end and u_start < a_end


def _to_current(base_line: int, user_ops: list[Opcode]) -> int:
    """Where base line `base_line` (outside every user change) sits in the current text."""
    shift = sum(
        (u.new_end - u.new_start) - (u.old_end - u.old_start)
        for u in user_ops
        if u.old_end <= base_line
    )
    return base_line + shift


def _conflict_hunk(
    op: Opcode,
    clashing: list[Opcode],
    base_lines: list[str],
    agent_lines: list[str],
    current_lines: list[str],
) -> ConflictHunk:
    """The agent's hunk with what the user's overlapping edits made of that region."""
    start = min(u.new_start for u in clashing)
    end = max(u.new_end for u in clashing)
    return ConflictHunk(
        base_start=op.old_start,
        base_end=op.old_end,
        base_text="".join(base_lines[op.old_start : op.old_end]),
        agent_text="".join(agent_lines[op.new_start : op.new_end]),
        current_text="".join(current_lines[start:end]),
    )
