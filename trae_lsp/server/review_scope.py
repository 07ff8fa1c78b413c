"""Which parts of a saved file to review with `trae.suggestions.scope = "changed-symbols"`.

Against the text reviewed last time, every changed line belongs to its innermost
definition (function, method, class) or, outside every definition, to a run of
changed lines. Only those regions are sent to the model (with a few lines of
context) and only findings inside them count; findings of the last review on
unchanged lines are carried over, moved with the lines around them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from trae_lsp.server.edits import line_opcodes
from trae_lsp.server.positions import split_lines

if TYPE_CHECKING:
    from trae_lsp.context.symbols import Symbol
    from trae_lsp.server.suggestions import Finding

DEFINITION_KINDS = frozenset({"function", "method", "class", "interface"})
"""Symbol kinds reviewed as a whole when any of their lines changed."""

CONTEXT_LINES = 3
"""Unchanged lines shown before and after each region (context, not reviewed)."""


class Region(NamedTuple):
    """Lines `first`..`last` (1-based, inclusive) to review, and what they are."""

    first: int
    last: int
    name: str

    def holds(self, line: int) -> bool:
        """Is `line` inside this region?"""
        return self.first <= line <= self.last


def changed_lines(old_text: str, new_text: str) -> list[int]:
    """Lines of `new_text` (1-based) that differ from `old_text`; a deletion marks its sides."""
    total = max(len(split_lines(new_text)), 1)
    lines: set[int] = set()
    for op in line_opcodes(split_lines(old_text), split_lines(new_text)):
        if op.new_start == op.new_end:
            lines.update({op.new_start, op.new_start + 1})
        else:
            lines.update(range(op.new_start + 1, op.new_end + 1))
    return sorted(line for line in lines if 1 <= line <= total)


def changed_regions(old_text: str, new_text: str, symbols: Sequence[Symbol]) -> list[Region]:
    """The definitions (and loose line runs) of `new_text` that changed since `old_text`."""
    definitions = [s for s in symbols if s.kind in DEFINITION_KINDS]
    new_lines = split_lines(new_text)
    regions: set[Region] = set()
    loose: list[int] = []
    for line in changed_lines(old_text, new_text):
        inside = [s for s in definitions if s.line <= line <= s.end_line]
        if inside:
            innermost = min(inside, key=lambda s: s.end_line - s.line)
            regions.add(Region(innermost.line, innermost.end_line, innermost.qualname))
        elif line <= len(new_lines) and new_lines[line - 1].strip():
            loose.append(line)  # blank lines between definitions are not worth a review
    regions.update(_runs(loose))
    return sorted(
        r
        for r in regions
        if not any(o != r and o.first <= r.first and r.last <= o.last for o in regions)
    )


def _runs(lines: list[int]) -> list[Region]:
    """Consecutive lines as regions named by their lines."""
    runs: list[list[int]] = []
    for line in lines:
        if runs and runs[-1][-1] == line - 1:
            runs[-1].append(line)
        else:
            runs.append([line])
    return [Region(run[0], run[-1], f"lines {run[0]}-{run[-1]}") for run in runs]


def in_regions(finding: Finding, regions: Sequence[Region]) -> bool:
    """Does a finding start inside one of the reviewed regions?"""
    return any(region.holds(finding.line) for region in regions)


def carry_findings(
    findings: Sequence[Finding], old_text: str, new_text: str, regions: Sequence[Region]
) -> list[Finding]:
    """Last review's findings on lines left unchanged (and not reviewed again), moved along."""
    old_lines, new_lines = split_lines(old_text), split_lines(new_text)
    ops = line_opcodes(old_lines, new_lines)
    carried = []
    for finding in findings:
        last = max(finding.end_line or finding.line, finding.line)
        touched = [op for op in ops if op.old_start < last and finding.line <= op.old_end]
        if touched:
            continue
        shift = sum(
            (op.new_end - op.new_start) - (op.old_end - op.old_start)
            for op in ops
            if op.old_end < finding.line
        )
        moved = finding.model_copy(update={"line": finding.line + shift, "end_line": last + shift})
        if not in_regions(moved, regions):
            carried.append(moved)
    return carried


def excerpt(text: str, regions: Sequence[Region]) -> str:
    """The regions with `CONTEXT_LINES` around them, numbered, `…` where lines are left out."""
    lines = text.splitlines()
    shown: set[int] = set()
    for region in regions:
        first = max(region.first - CONTEXT_LINES, 1)
        shown.update(range(first, min(region.last + CONTEXT_LINES, len(lines)) + 1))
    parts, previous = [], 0
    for number in sorted(shown):
        if number != previous + 1:
            parts.append("  …")
        parts.append(f"{number:>5}  {lines[number - 1]}")
        previous = number
    if previous < len(lines):
        parts.append("  …")
    return "\n".join(parts)
