"""Cost and size of the language server's edit machinery on a big file.

The document is stdlib source (`argparse`, `typing`, `inspect`, `difflib`, `ast`
concatenated, ~10k lines). The agent's change edits every 200th line and inserts
a line after every 500th. Measured, median of several runs: `lsp_text_edits`
(UTF-16 and UTF-8), `rebase` onto a buffer the user changed at the top, splitting
the change into review hunks, and one keystroke followed by the pending hunks
(`splices_from_content_changes` + `follow`, the per-`didChange` work in review
mode). "sent" compares the characters of the edits with resending the file.
"""

from __future__ import annotations

import inspect
import itertools
import statistics
import time
from collections.abc import Callable
from importlib import import_module

from lsprotocol import types

from trae_lsp.server.edits import lsp_text_edits
from trae_lsp.server.rebase import rebase
from trae_lsp.server.review import PendingChanges, splices_from_content_changes

MODULES = ("argparse", "typing", "inspect", "difflib", "ast")
"""Stdlib modules whose source makes the document."""

RUNS = 7
"""Timed runs per row; the median is shown."""


def _document() -> tuple[str, str]:
    """The big document and the agent's version of it."""
    text = "".join(inspect.getsource(import_module(name)) for name in MODULES)
    lines = text.splitlines(keepends=True)
    changed = []
    for number, line in enumerate(lines):
        changed.append(line.replace("\n", "  # reviewed\n") if number % 200 == 0 else line)
        if number % 500 == 0:
            changed.append("# note from the agent 😋 名前\n")
    return text, "".join(changed)


def _median_ms(work: Callable[[], object]) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _keystroke(text: str, proposed: str) -> Callable[[], object]:
    pending = PendingChanges("file:///big.py", 1, text, proposed, itertools.count())
    at = types.Position(line=3, character=0)
    change = types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text="x")

    def type_one_character() -> None:
        pending.follow(splices_from_content_changes(pending.text, [change]), 2)

    return type_one_character


def main() -> None:
    """Print one table row per operation."""
    text, proposed = _document()
    user_text = "# user's header\n" + text
    edits = lsp_text_edits(text, proposed)
    sent = sum(len(e.new_text) for e in edits)
    hunks = PendingChanges("file:///big.py", 1, text, proposed, itertools.count()).hunks
    rows = [
        ("lsp_text_edits utf-16", _median_ms(lambda: lsp_text_edits(text, proposed))),
        ("lsp_text_edits utf-8", _median_ms(lambda: lsp_text_edits(text, proposed, "utf-8"))),
        ("rebase onto user's edit", _median_ms(lambda: rebase(text, proposed, user_text))),
        (
            "split into review hunks",
            _median_ms(lambda: PendingChanges("u", 1, text, proposed, itertools.count())),
        ),
        ("keystroke: follow hunks", _median_ms(_keystroke(text, proposed))),
    ]
    print(f"document: {len(text.splitlines())} lines, {len(text)} chars")
    print(f"edits: {len(edits)}, hunks: {len(hunks)}, sent {sent} chars vs {len(proposed)} whole")
    print(f"{'operation':<28}{'median ms':>10}")
    for name, ms in rows:
        print(f"{name:<28}{ms:>10.2f}")


if __name__ == "__main__":
    main()
