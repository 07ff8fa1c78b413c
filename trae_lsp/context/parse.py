"""Turn source bytes into a `ParsedFile`: tree-sitter tags queries, or plain-text heuristics."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tree_sitter import Node, Parser, Point, QueryCursor

from trae_lsp.context import plaintext
from trae_lsp.context.languages import PLAIN_TEXT, load_grammar
from trae_lsp.context.lexical import blank_non_identifiers, identifier_counts, token_bag
from trae_lsp.context.symbols import CLASS_LIKE_KINDS, ParsedFile, Reference, Symbol

MAX_SIGNATURE_CHARS = 200
"""Longest signature kept; longer headers are cut with an ellipsis."""

MAX_DOC_CHARS = 300
"""Longest docstring excerpt kept."""

PARSE_CHUNK_BYTES = 4096
"""Bytes tree-sitter reads per callback (see `_chunks`); as fast as one whole buffer."""

MATCH_WINDOW_BYTES = 65536
"""Bytes of source per tags-query call (see `_matches`)."""

_COMMENT_TYPES = frozenset({"comment", "line_comment", "block_comment"})
_COMMENT_STARTS = ("#", "//", "/*", "*")
_QUOTES = re.compile(r"^[rRbBuUfF]*(\"\"\"|'''|\"|')|(\"\"\"|'''|\"|')$")
_WRAPPERS = frozenset({"decorated_definition", "export_statement", "template_declaration"})


@dataclass(slots=True)
class _Def:
    """A definition (or a scope-only block such as a Rust `impl`) before qualnames are known."""

    node: Node
    name_node: Node
    name: str
    kind: str
    pattern: int
    qualname: str = ""

    @property
    def is_scope_only(self) -> bool:
        """Whether this only names a scope (a Rust `impl`) and is not itself a symbol."""
        return self.kind == "scope"


def parse_source(
    path: str, source: bytes, language: str, *, references: bool = False
) -> ParsedFile:
    """Extract symbols, word bags and name counts of one file; never raises on bad input.

    `references=True` also lists every reference with its enclosing definition; indexing
    skips that (it is most of the cost) and `find_usages` asks for it file by file.
    """
    if language == PLAIN_TEXT:
        text = source.decode("utf-8", errors="replace")
        return plaintext.parse_plain(path, text, references=references)
    root, defs, cols = _definitions(source, language)
    symbols = [_symbol(path, d, cols, source) for d in defs if not d.is_scope_only]
    refs: list[Reference] = []
    if references:
        nodes = QueryCursor(load_grammar(language).refs).captures(root).get("reference", [])
        refs = _references(nodes, {d.name_node.start_byte for d in defs}, defs, cols)
    terms = _term_bags(defs, blank_non_identifiers(source))
    return ParsedFile(path, language, symbols, refs, terms, identifier_counts(source))


def parse_symbols(path: str, source: bytes, language: str) -> list[Symbol]:
    """Only the definitions of one file, as `parse_source` finds them.

    The language server's outline and titles need nothing else; skipping the word bags
    and name counts saves a quarter of a big file's parse.
    """
    if language == PLAIN_TEXT:
        return parse_source(path, source, language).symbols
    _, defs, cols = _definitions(source, language)
    return [_symbol(path, d, cols, source) for d in defs if not d.is_scope_only]


def _definitions(source: bytes, language: str) -> tuple[Node, list[_Def], _Columns]:
    """The syntax tree, its definitions with qualified names, and a column converter."""
    grammar = load_grammar(language)
    root = Parser(grammar.language).parse(_chunks(source)).root_node
    defs = _collect(_matches(QueryCursor(grammar.tags), root, len(source)))
    _qualify(defs)
    return root, defs, _Columns(source)


def _chunks(source: bytes) -> Callable[[int, Point], bytes]:
    """`source` read in chunks: tree-sitter then calls back into Python between them, which
    lets other threads (the language server's event loop) run during a long parse instead of
    waiting ~100 ms for a 10k-line file's parse to release the GIL."""

    def read(offset: int, _: Point) -> bytes:
        return source[offset : offset + PARSE_CHUNK_BYTES]

    return read


def _matches(cursor: QueryCursor, root: Node, size: int) -> list[tuple[int, dict[str, list[Node]]]]:
    """The query's matches, window by window: like `_chunks`, this returns to Python (and
    lets the server's loop run) between windows; a match spanning windows comes back from
    each, and `_collect` keeps one per name."""
    found: list[tuple[int, dict[str, list[Node]]]] = []
    for start in range(0, max(size, 1), MATCH_WINDOW_BYTES):
        cursor.set_byte_range(start, min(start + MATCH_WINDOW_BYTES, size))
        found += cursor.matches(root)
    return found


def _collect(matches: list[tuple[int, dict[str, list[Node]]]]) -> list[_Def]:
    by_name: dict[int, _Def] = {}
    for pattern, caps in matches:
        key = next((k for k in caps if k.startswith("definition.") or k == "scope"), None)
        if key is None or "name" not in caps:
            continue
        name_node = caps["name"][0]
        kind = key.removeprefix("definition.")
        old = by_name.get(name_node.start_byte)
        if old is None or pattern < old.pattern:
            text = _text(name_node)
            by_name[name_node.start_byte] = _Def(caps[key][0], name_node, text, kind, pattern)
    return sorted(by_name.values(), key=lambda d: (d.node.start_byte, -d.node.end_byte))


def _qualify(defs: list[_Def]) -> None:
    """Set qualnames from nesting; functions directly inside class-like scopes become methods."""
    stack: list[_Def] = []
    for d in defs:
        while stack and stack[-1].node.end_byte <= d.node.start_byte:
            stack.pop()
        parent = stack[-1] if stack else None
        d.qualname = f"{parent.qualname}.{d.name}" if parent else d.name
        if (
            d.kind == "function"
            and parent
            and (parent.is_scope_only or parent.kind in CLASS_LIKE_KINDS)
        ):
            d.kind = "method"
        stack.append(d)


def _outer(node: Node) -> Node:
    """The node including decorators/export/template wrappers."""
    while node.parent is not None and node.parent.type in _WRAPPERS:
        node = node.parent
    return node


def _symbol(path: str, d: _Def, cols: _Columns, source: bytes) -> Symbol:
    node = d.node
    start = _outer(node)
    start_row = start.start_point[0]
    prev = start.prev_named_sibling
    while prev is not None and prev.type in _COMMENT_TYPES and prev.end_point[0] + 1 >= start_row:
        start_row = prev.start_point[0]
        prev = prev.prev_named_sibling
    line, column = cols.position(node.start_point)
    end_line, end_column = cols.position(node.end_point)
    name_line, name_column = cols.position(d.name_node.start_point)
    return Symbol(
        file=path,
        name=d.name,
        qualname=d.qualname,
        kind=d.kind,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        name_line=name_line,
        name_column=name_column,
        start_line=start_row + 1,
        signature=_signature(node, source),
        doc=_doc(node, start),
    )


def _signature(node: Node, source: bytes) -> str:
    body = node.child_by_field_name("body")
    end = body.start_byte if body is not None and body.start_byte > node.start_byte else None
    if end is None:
        newline = source.find(b"\n", node.start_byte, node.end_byte)
        end = newline if newline >= 0 else node.end_byte
    rows = source[node.start_byte : end].decode("utf-8", errors="replace").split("\n")
    while len(rows) > 1 and (not rows[-1].strip() or rows[-1].lstrip().startswith(_COMMENT_STARTS)):
        rows.pop()
    text = " ".join(" ".join(rows).split())
    if len(text) > MAX_SIGNATURE_CHARS:
        text = text[: MAX_SIGNATURE_CHARS - 1] + "…"
    return text


def _doc(node: Node, outer: Node) -> str:
    body = node.child_by_field_name("body")
    first = body.named_children[0] if body is not None and body.named_children else None
    if first is not None and first.type == "expression_statement" and first.named_children:
        string = first.named_children[0]
        if string.type == "string":
            return _clip(_QUOTES.sub("", _text(string)))
    prev = outer.prev_named_sibling
    if (
        prev is not None
        and prev.type in _COMMENT_TYPES
        and prev.end_point[0] + 1 >= outer.start_point[0]
    ):
        return _clip(_text(prev).lstrip("/*#! ").rstrip("*/ "))
    return ""


def _clip(text: str) -> str:
    para = text.split("\n\n", 1)[0]
    return " ".join(para.split())[:MAX_DOC_CHARS]


def _references(
    nodes: list[Node], name_starts: set[int], defs: list[_Def], cols: _Columns
) -> list[Reference]:
    """References in document order, each with its innermost enclosing definition."""
    shown = [d for d in defs if not d.is_scope_only]
    nodes = sorted(
        (n for n in nodes if n.start_byte not in name_starts), key=lambda n: n.start_byte
    )
    out: list[Reference] = []
    stack: list[_Def] = []
    i = 0
    for n in nodes:
        pos = n.start_byte
        while i < len(shown) and shown[i].node.start_byte <= pos:
            while stack and stack[-1].node.end_byte <= shown[i].node.start_byte:
                stack.pop()
            stack.append(shown[i])
            i += 1
        while stack and stack[-1].node.end_byte <= pos:
            stack.pop()
        line, column = cols.position(n.start_point)
        out.append(Reference(_text(n), line, column, stack[-1].qualname if stack else ""))
    return out


def _term_bags(defs: list[_Def], blanked: bytes) -> list[dict[str, int]]:
    """Word bags of the definitions' own text: nested definitions are their own documents.

    `blanked` is the file's source after `blank_non_identifiers`; spans are read from the
    nodes once, since every node property is a call into tree-sitter.
    """
    spans = [(_outer(d.node).start_byte, d.node.start_byte, d.node.end_byte) for d in defs]
    bags: list[dict[str, int]] = []
    for i, d in enumerate(defs):
        if d.is_scope_only:
            continue
        cursor, _, end = spans[i]
        tokens: list[bytes] = []
        for j in range(i + 1, len(spans)):  # sorted by start: the nested ones follow directly
            _, inner_start, inner_end = spans[j]
            if inner_start >= end:
                break
            if inner_start >= cursor:
                tokens += blanked[cursor:inner_start].split()
                cursor = inner_end
        tokens += blanked[cursor:end].split()
        bags.append(token_bag(tokens))
    return bags


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


class _Columns:
    """Converts tree-sitter byte columns to code-point columns (cheap for ASCII files)."""

    def __init__(self, source: bytes) -> None:
        self._ascii = source.isascii()
        self._lines = [] if self._ascii else source.split(b"\n")

    def position(self, point: tuple[int, int]) -> tuple[int, int]:
        """A tree-sitter (row, byte column) as (1-based line, code-point column)."""
        row, col = point
        if self._ascii or row >= len(self._lines):
            return row + 1, col
        return row + 1, len(self._lines[row][:col].decode("utf-8", errors="replace"))
