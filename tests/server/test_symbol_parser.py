"""The symbol worker process and the server's end of it, with the real worker."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from trae_lsp.server import symbol_parser
from trae_lsp.server.symbol_parser import SymbolParser, SymbolParserError
from trae_lsp.server.symbol_worker import CHUNK_SYMBOLS, parse_document
from trae_lsp.server.symbols import SymbolCache
from trae_lsp.server.worker_process import PIPE_SLICE

DEFINITIONS = 1500
SOURCE = "".join(
    f"def f{n}(x):\n    '''Ünïcode 名前 😋 {n}'''\n    return x\n" for n in range(DEFINITIONS)
)
"""More definitions than one answer line holds, more characters than one piece sent
(`PIPE_SLICE`), with 2-, 3- and 4-byte characters."""


@pytest.fixture
async def parser() -> AsyncIterator[SymbolParser]:
    parser = SymbolParser()
    yield parser
    await parser.close()


async def started(parser: SymbolParser) -> int:
    """The pid of the parser's worker, after a first request started it."""
    await parser.parse("m.py", "x = 1\n")
    assert parser.pid is not None
    return parser.pid


def command(code: str) -> tuple[str, ...]:
    """A stand-in worker running `code` (a broken or crashing worker)."""
    return (sys.executable, "-c", code)


async def test_symbols_come_back_as_the_worker_parsed_them(parser: SymbolParser) -> None:
    found = await parser.parse("m.py", SOURCE)
    assert len(found) == DEFINITIONS > CHUNK_SYMBOLS, "the answer spans several lines"
    assert len(SOURCE) > PIPE_SLICE, "the request is sent in pieces"
    assert found == parse_document("m.py", SOURCE.encode())
    assert found[-1].doc == f"Ünïcode 名前 😋 {DEFINITIONS - 1}"
    assert await parser.parse("notes.unknown", "just words") == []


async def test_pipelined_requests_each_get_their_own_answer(parser: SymbolParser) -> None:
    texts = [f"def only_{n}():\n    pass\n" for n in range(5)]
    given_up = asyncio.ensure_future(parser.parse("big.py", SOURCE))
    answers = asyncio.gather(*(parser.parse("m.py", text) for text in texts))
    await asyncio.sleep(0)
    given_up.cancel()  # its answer still arrives and must go to nobody
    assert [[s.name for s in found] for found in await answers] == [[f"only_{n}"] for n in range(5)]
    assert [s.name for s in await parser.parse("m.py", "class C: pass\n")] == ["C"]


async def test_a_killed_worker_fails_its_requests_and_the_next_one_restarts_it(
    parser: SymbolParser,
) -> None:
    first = await started(parser)
    os.kill(first, signal.SIGSTOP)  # it cannot answer before it dies
    pending = asyncio.ensure_future(parser.parse("m.py", SOURCE))
    await asyncio.sleep(0)
    os.kill(first, signal.SIGKILL)
    with pytest.raises(SymbolParserError, match="exited with signal SIGKILL"):
        await pending
    assert len(await parser.parse("m.py", SOURCE)) == DEFINITIONS
    assert parser.pid not in (None, first)


async def test_a_worker_that_keeps_dying_is_given_up_with_its_stderr() -> None:
    crashing = SymbolParser(command("import sys; sys.stderr.write('boom\\n'); sys.exit(3)"))
    for _ in range(symbol_parser.MAX_STARTS):
        with pytest.raises(SymbolParserError, match=r"exited with code 3\. .*\nboom"):
            await crashing.parse("m.py", SOURCE)
    with pytest.raises(SymbolParserError, match="failed 3 times"):
        await crashing.parse("m.py", SOURCE)


async def test_garbage_from_the_worker_is_an_error_not_a_crash() -> None:
    chatty = SymbolParser(command("import sys; sys.stdin.readline(); print('hello')"))
    with pytest.raises(SymbolParserError, match="sent something unexpected"):
        await chatty.parse("m.py", SOURCE)
    await chatty.close()


async def test_a_worker_that_cannot_start_is_reported(tmp_path: Path) -> None:
    missing = SymbolParser((str(tmp_path / "no-such-python"),))
    with pytest.raises(SymbolParserError, match="could not start the symbol worker"):
        await missing.parse("m.py", SOURCE)


async def test_close_ends_the_worker_and_later_requests_get_an_error(
    parser: SymbolParser,
) -> None:
    pid = await started(parser)
    await parser.close()
    assert parser.pid is None
    assert not Path(f"/proc/{pid}").exists(), "exited and reaped"
    with pytest.raises(SymbolParserError, match="shutting down"):
        await parser.parse("m.py", "x = 1\n")


async def test_the_cache_gives_no_symbols_rather_than_an_error(tmp_path: Path) -> None:
    cache = SymbolCache(SymbolParser(command("import sys; sys.exit(1)")))
    assert await cache.symbols("u", tmp_path / "m.py", SOURCE, 1) == []
    assert await cache.symbols("u", tmp_path / "m.py", SOURCE, 1) == [], "cached: no retry"
