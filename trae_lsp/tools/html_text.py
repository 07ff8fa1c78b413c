"""HTML to readable text for the model: headings, paragraphs, lists and links survive.

Scripts, styles and other invisible parts are dropped; whitespace is collapsed the
way a browser would, except inside `<pre>`, so code samples keep their layout.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import NamedTuple

_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe"})
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "nav", "aside"}
    | {"ul", "ol", "table", "tr", "blockquote", "pre", "form", "figure", "dl", "dt", "dd"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "li", "hr", "br", "details", "summary"}
)
_ITEMS = frozenset({"li", "tr", "dt", "dd", "br"})
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


class PageText(NamedTuple):
    """A page's title and its readable text."""

    title: str
    text: str


class _TextExtractor(HTMLParser):
    """Collects visible text, marking block boundaries with newlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._hidden = 0
        self._pre = 0
        self._in_title = False
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a block, heading, list item, cell or link; start hiding invisible parts."""
        if tag == "title":
            self._in_title = True
        if tag in _HIDDEN:
            self._hidden += 1
            return
        if tag in _BLOCKS:
            self.parts.append("\n\n" if tag in ("p", "pre", "table", "blockquote") else "\n")
        if tag == "pre":
            self._pre += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.parts.append("#" * int(tag[1]) + " ")
        elif tag == "li":
            self.parts.append("- ")
        elif tag in ("td", "th"):
            self.parts.append("| " if self._at_line_start() else " | ")
        elif tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        """Close a block; a link's target is written after its text."""
        if tag == "title":
            self._in_title = False
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
            return
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        if tag == "a" and self._href and not self._href.startswith(("#", "javascript:")):
            self.parts.append(f" ({self._href})")
            self._href = None
        if tag in _BLOCKS and tag not in _ITEMS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        """Keep visible text, whitespace collapsed outside `<pre>`."""
        if self._in_title:
            self.title.append(data)
        if self._hidden:
            return
        if self._pre:
            self.parts.append(data)
            return
        text = _SPACES.sub(" ", data.replace("\n", " "))
        self.parts.append(text.lstrip() if self._at_line_start() else text)

    def _at_line_start(self) -> bool:
        return not self.parts or self.parts[-1].endswith("\n")


def html_to_text(html: str) -> PageText:
    """The readable text of an HTML document, and its title."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (line.rstrip() for line in "".join(parser.parts).split("\n"))
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return PageText(" ".join("".join(parser.title).split()), text)
