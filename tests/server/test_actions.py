"""Code action listing, symbol lookup and the outline, without a server."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from trae_lsp.server import actions, commands
from trae_lsp.server.commands import TaskArgs
from trae_lsp.server.positions import UTF16, LineIndex
from trae_lsp.server.settings import UserCommand
from trae_lsp.server.symbol_worker import parse_document
from trae_lsp.server.symbols import (
    SymbolCache,
    document_symbols,
    symbol_range,
    symbol_under,
)

SOURCE = 'S = "😋名前"\n\nclass Parser:\n    def run(self, x="😋"):\n        return x\n'


def params(
    line: int, character: int, diagnostics: list[types.Diagnostic] | None = None, **ctx: object
) -> types.CodeActionParams:
    here = types.Position(line=line, character=character)
    return types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri="file:///p/m.py"),
        range=types.Range(start=here, end=here),
        context=types.CodeActionContext(diagnostics=diagnostics or [], **ctx),  # type: ignore[arg-type]
    )


def test_symbol_under_the_cursor_in_each_encoding() -> None:
    symbols = parse_document("m.py", SOURCE.encode())
    for encoding, column in ((UTF16, 24), (types.PositionEncodingKind.Utf8, 26)):
        index = LineIndex(SOURCE, encoding)
        found = symbol_under(symbols, index, types.Position(line=3, character=column))
        assert found is not None and found.qualname == "Parser.run"
    index = LineIndex(SOURCE, UTF16)
    assert symbol_under(symbols, index, types.Position(line=1, character=0)) is None
    assert symbol_under(symbols, index, types.Position(line=999, character=999)) is None


def test_outline_nests_methods_with_ranges_in_the_clients_units() -> None:
    symbols = parse_document("m.py", SOURCE.encode())
    index = LineIndex(SOURCE, UTF16)
    constant, parser = document_symbols(symbols, index)
    assert constant.kind == types.SymbolKind.Constant
    assert constant.range.end == types.Position(line=0, character=10)
    assert parser.name == "Parser" and parser.kind == types.SymbolKind.Class
    (run,) = parser.children or []
    assert run.kind == types.SymbolKind.Method
    run_symbol = next(s for s in symbols if s.name == "run")
    assert symbol_range(index, run_symbol).end == types.Position(line=4, character=16)


def test_listing_names_the_symbol_and_each_diagnostic() -> None:
    symbols = parse_document("m.py", SOURCE.encode())
    symbol = symbol_under(symbols, LineIndex(SOURCE), types.Position(line=4, character=8))
    lint = types.Diagnostic(range=params(4, 8).range, message="undefined name x", code="E0602")
    ours = types.Diagnostic(range=params(4, 8).range, message="pending", source="trae")
    user = UserCommand(name="Lint it", task="Run the linter")
    listed = actions.list_actions(params(4, 8, [lint, ours]), symbol, [user])
    assert [a.title for a in listed] == [
        "Trae: fix 'E0602 undefined name x'",
        "Trae: refactor `Parser.run`",
        "Trae: document `Parser.run`",
        "Trae: explain `Parser.run`",
        "Trae: add tests for `Parser.run`",
        "Trae: add tests for this file",
        "Trae: fix file",
        "Trae: Lint it",
    ]
    fix = listed[0]
    assert fix.kind == types.CodeActionKind.QuickFix and fix.diagnostics == [lint]
    assert fix.command is not None and fix.command.command == commands.FIX_FILE


def test_only_filters_by_kind_prefix() -> None:
    listed = actions.list_actions(params(0, 0, only=["source.fixAll"]), None, [])
    assert [a.kind for a in listed] == [actions.FIX_ALL]
    listed = actions.list_actions(params(0, 0, only=["source"]), None, [])
    assert [a.title for a in listed] == ["Trae: add tests for this file", "Trae: fix file"]


def test_deferred_commands_travel_in_data() -> None:
    (action,) = actions.defer_commands(
        actions.list_actions(params(0, 0, only=[actions.FIX_ALL]), None, [])
    )
    assert action.command is None
    assert action.data == {"command": commands.FIX_FILE, "arguments": [TaskArgs("file:///p/m.py")]}


def test_task_texts_name_the_problem_and_the_symbol() -> None:
    lint = types.Diagnostic(range=params(4, 8).range, message="undefined\nname x", code=7)
    fix = commands.fix_task("m.py", TaskArgs("u", diagnostics=[lint]))
    assert "line 5: 7 undefined name x" in fix
    assert "`Parser.run` in m.py" in commands.tests_task("m.py", TaskArgs("u", symbol="Parser.run"))
    assert "Do not change any file" in commands.explain_task("m.py", TaskArgs("u"))


async def test_symbols_are_cached_per_version(tmp_path: Path) -> None:
    cache = SymbolCache()
    first = await cache.symbols("u", tmp_path / "m.py", SOURCE, 1)
    assert await cache.symbols("u", tmp_path / "m.py", "garbage", 1) is first
    newer = "def f():\n    pass\n"
    assert await cache.symbols("u", tmp_path / "m.py", newer, 2) is first, "stale while parsing"
    await cache.parse("u", tmp_path / "m.py", newer, 2)  # what the debounce timer starts
    assert [s.name for s in await cache.symbols("u", tmp_path / "m.py", newer, 2)] == ["f"]
    await cache.parser.close()
