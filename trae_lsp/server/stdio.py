"""The stdio transport, with stdin read on the event loop.

pygls reads stdin in a thread, one blocking call per header line and per body,
each handed back to the loop. On a busy machine every hand-off waits for that
thread to be scheduled and to take the GIL, which made each request ~1 ms
slower at rest and several when agent workers kept the CPUs busy. Here stdin is
an asyncio pipe: messages are read where they are handled. pygls' own message
loop (`run_async`), writer and shutdown are used unchanged; stdin that is not a
pipe, socket or terminal (a file) falls back to pygls' reader.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import sys
import threading
from typing import BinaryIO

from pygls.io_ import StdoutWriter, run_async
from pygls.server import JsonRPCServer

from trae_lsp.server.worker_process import pipe_reader

logger = logging.getLogger(__name__)


class PipeReader:
    """pygls' `AsyncReader` on an asyncio stream: `b""` at the end of input, like a file."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self._stream = stream

    async def readline(self) -> bytes:
        """One header line (`b""` once the client has closed stdin)."""
        return await self._stream.readline()

    async def readexactly(self, n: int) -> bytes:
        """One message body; `b""` if stdin closed in the middle of it."""
        try:
            return await self._stream.readexactly(n)
        except asyncio.IncompleteReadError:
            return b""


def is_pipe(stream: BinaryIO) -> bool:
    """Can asyncio watch this stream (a pipe, socket or terminal, on a POSIX system)?"""
    if os.name != "posix":
        return False
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISCHR(mode)


def serve_stdio(server: JsonRPCServer) -> None:
    """Serve the client on stdin/stdout until it exits or closes stdin."""
    stdin = sys.stdin.buffer
    if not is_pipe(stdin):
        server.start_io()
        return
    stop = threading.Event()
    server._stop_event = stop  # what pygls' `shutdown` sets to end its message loop
    server.protocol.set_writer(StdoutWriter(sys.stdout.buffer))
    try:
        asyncio.run(_serve(server, stdin, stop))
    except BrokenPipeError:
        logger.error("Trae: the connection to the editor is lost; shutting down.")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]  # pygls leaves it unannotated


async def _serve(server: JsonRPCServer, stdin: BinaryIO, stop: threading.Event) -> None:
    reader = PipeReader(await pipe_reader(stdin))
    await run_async(
        stop_event=stop,
        reader=reader,
        protocol=server.protocol,
        logger=logger,
        error_handler=server.report_server_error,
    )
