"""The symbol worker: a process that parses the editor's documents with tree-sitter.

Parsing a 10k-line file costs ~0.25 s of CPU. In a thread of the language
server it held the GIL for up to ~13 ms at a time, and three big documents
opened at once (an agent run's files) stalled the editor's requests by 100 ms
and more. In this process it takes nothing from the server but a pipe.

The server (`symbol_parser`) starts it with `python -m trae_lsp.server.symbol_worker`
and sends requests: a `ParseRequest` line, then the document as `size` bytes of
UTF-8. The worker answers each in order: the symbols as lines of at most
`CHUNK_SYMBOLS` rows (`{"id": n, "symbols": [[…], …]}`; a row is a `Symbol`'s
fields in order), then `{"id": n, "end": true}`; or `{"id": n, "error": "…"}`.
Small lines let the server decode an answer between its requests instead of in
one block of several milliseconds. The worker exits when its stdin closes.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from pydantic import BaseModel, ConfigDict

from trae_lsp.server.worker_process import lower_priority, protocol_stdout

if TYPE_CHECKING:
    from trae_lsp.context.symbols import Symbol

SYMBOL_NICENESS = 5
"""Added to the worker's nice value: below the editor's requests, above agent runs."""

CHUNK_SYMBOLS = 100
"""Symbols per answer line (~15 KB, decoded by the server in a fraction of a millisecond)."""

logger = logging.getLogger(__name__)


class ParseRequest(BaseModel):
    """Parse the `size` bytes that follow this line as the file `path` (its name picks the
    language)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    path: str
    size: int


def parse_document(path: str, source: bytes) -> list[Symbol]:
    """The definitions in `source`, a file called `path`; [] for unknown languages."""
    from trae_lsp.context.languages import detect_language
    from trae_lsp.context.parse import parse_symbols

    return parse_symbols(path, source, detect_language(path, source[:256]))


def answer(request: ParseRequest, source: bytes) -> Iterator[bytes]:
    """The answer lines of one request."""
    try:
        symbols = parse_document(request.path, source)
    except Exception as e:  # one boundary: a parser bug costs this document, not the worker
        logger.exception("Trae symbol worker: could not parse %s", request.path)
        yield _line({"id": request.id, "error": f"{type(e).__name__}: {e}"})
        return
    for start in range(0, len(symbols), CHUNK_SYMBOLS):
        yield _line({"id": request.id, "symbols": symbols[start : start + CHUNK_SYMBOLS]})
    yield _line({"id": request.id, "end": True})


def serve(stdin: BinaryIO, out: BinaryIO) -> None:
    """Answer requests until stdin closes."""
    while line := stdin.readline():
        request = ParseRequest.model_validate_json(line)
        source = stdin.read(request.size)
        out.writelines(answer(request, source))
        out.flush()


def _line(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False).encode() + b"\n"


def main() -> None:
    """Serve the language server on stdin/stdout at a lowered priority."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    lower_priority(SYMBOL_NICENESS)
    serve(sys.stdin.buffer, protocol_stdout())


if __name__ == "__main__":
    main()
