"""The `changed-symbols` review scope: changed definitions, carried findings, the excerpt."""

from __future__ import annotations

from trae_lsp.server.review_scope import (
    Region,
    carry_findings,
    changed_lines,
    changed_regions,
    excerpt,
    in_regions,
)
from trae_lsp.server.suggestions import Finding, review_prompt
from trae_lsp.server.symbol_worker import parse_document

OLD = (
    "import os\n"  # 1
    "\n"  # 2
    "class Parser:\n"  # 3
    "    limit = 3\n"  # 4
    "\n"  # 5
    "    def run(self):\n"  # 6
    "        return 1\n"  # 7
    "\n"  # 8
    "    def stop(self):\n"  # 9
    "        return 2\n"  # 10
    "\n"  # 11
    "def main():\n"  # 12
    "    Parser().run()\n"  # 13
)


def regions(new: str, old: str = OLD) -> list[Region]:
    return changed_regions(old, new, parse_document("p.py", new.encode()))


def test_a_changed_method_is_reviewed_alone() -> None:
    assert regions(OLD.replace("return 1", "return 10")) == [Region(6, 7, "Parser.run")]


def test_a_changed_class_line_outside_methods_reviews_the_class_only() -> None:
    new = OLD.replace("limit = 3", "limit = 4").replace("return 2", "return 20")
    assert regions(new) == [Region(3, 10, "Parser")]


def test_loose_lines_and_several_definitions() -> None:
    new = OLD.replace("import os", "import sys").replace("Parser().run()", "Parser().stop()")
    assert regions(new) == [Region(1, 1, "lines 1-1"), Region(12, 13, "main")]


def test_a_deleted_line_marks_the_definition_it_was_in() -> None:
    new = OLD.replace("    limit = 3\n", "")
    assert changed_lines(OLD, new) == [3, 4]
    assert regions(new) == [Region(3, 9, "Parser")]
    assert regions(OLD) == []


def test_a_deleted_definition_leaves_nothing_to_review() -> None:
    new = OLD.replace("    def stop(self):\n        return 2\n", "")
    assert changed_lines(OLD, new) == [8, 9]
    assert regions(new) == []


def test_findings_on_unchanged_lines_move_with_them_and_others_are_dropped() -> None:
    new = "# header\n" + OLD.replace("return 1", "return 10")
    findings = [
        Finding(line=1, message="unused import"),
        Finding(line=7, message="magic number"),
        Finding(line=13, end_line=13, message="result unused"),
    ]
    reviewed = [Region(7, 8, "Parser.run")]
    carried = carry_findings(findings, OLD, new, reviewed)
    assert [(f.line, f.end_line, f.message) for f in carried] == [
        (2, 2, "unused import"),
        (14, 14, "result unused"),
    ]
    assert in_regions(Finding(line=8, message="m"), reviewed)
    assert not in_regions(Finding(line=9, message="m"), reviewed)


def test_the_prompt_shows_only_the_regions_with_context() -> None:
    new = OLD.replace("Parser().run()", "Parser().stop()")
    found = regions(new)
    shown = excerpt(new, found)
    assert shown.splitlines()[0] == "  …" and "    9      def stop(self):" in shown
    assert "    1  import os" not in shown and "   13      Parser().stop()" in shown
    prompt = review_prompt("p.py", new, parse_document("p.py", new.encode()), found)
    assert "- main (lines 12-13)" in prompt and "report nothing there" in prompt
    assert "- Parser (line 3): class Parser:" in prompt
