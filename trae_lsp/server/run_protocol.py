"""The messages between the language server and an agent run's worker process.

One JSON object per line, over the worker's stdin (server → worker) and stdout
(worker → server); only the editor's buffers travel as raw text after a
`BufferHeader` line. The worker starts with those buffers and `StartRun`,
streams the events the server shows (`EventMessage`), asks shell confirmations
(`ConfirmQuestion` → `ConfirmAnswer`) and ends with `RunOutcome` (or
`RunFailure`). Secrets never travel here: the worker reads API keys from its
inherited environment and the project's config layers, like the server would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from trae_lsp.errors import TraeError
from trae_lsp.server.worker_process import utf8_pieces
from trae_lsp.workspace.changes import ChangeSet, FileChange

T = TypeVar("T")


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Buffer(_Message):
    """An editor buffer the agent must read instead of the file on disk."""

    path: str
    text: str
    version: int | None


class BufferHeader(_Message):
    """A buffer follows this line as `size` bytes of UTF-8, not JSON.

    Escaping megabytes of text into JSON took ~12 ms of the server's loop per run
    (four big buffers); raw bytes take a fraction of a millisecond.
    """

    type: Literal["buffer"] = "buffer"
    path: str
    version: int | None
    size: int


class StartRun(_Message):
    """Everything the worker needs to build and run the agent, sent once (buffers first)."""

    type: Literal["start"] = "start"
    root: str
    model: str | None
    auto_record: bool
    tools: list[str] | None
    """None: every tool; else only these (the read-only list of `trae.explain`)."""
    task: str
    buffers: list[Buffer] = Field(default_factory=list, exclude=True)
    """Sent ahead as `BufferHeader` + raw text, not inside this message."""


class ConfirmAnswer(_Message):
    """The user's answer to a `ConfirmQuestion`."""

    type: Literal["confirmed"] = "confirmed"
    id: int
    allowed: bool


class CancelRun(_Message):
    """Stop the agent now; it ends as `cancelled` with its trajectory finalised."""

    type: Literal["cancel"] = "cancel"


class EventMessage(_Message):
    """One agent event (`trae_lsp.events`), as `event.model_dump(mode="json")` wrote it."""

    type: Literal["event"] = "event"
    event: dict[str, Any]


class ConfirmQuestion(_Message):
    """The agent asks whether a shell command may run."""

    type: Literal["confirm"] = "confirm"
    id: int
    question: str


class RunOutcome(_Message):
    """How the run ended and what it proposes to change."""

    type: Literal["result"] = "result"
    status: str
    summary: str = ""
    error: str | None = None
    trajectory: str | None = None
    changes: list[FileChange] = Field(default_factory=list)
    """The workspace's changes, field for field (pydantic validates the dataclass)."""


class RunFailure(_Message):
    """The run could not run (bad config, an exception in the agent): what to tell the user."""

    type: Literal["failure"] = "failure"
    error: str


ToWorker = Annotated[
    BufferHeader | StartRun | ConfirmAnswer | CancelRun, Field(discriminator="type")
]
"""Any message the server sends."""

FromWorker = Annotated[
    EventMessage | ConfirmQuestion | RunOutcome | RunFailure, Field(discriminator="type")
]
"""Any message the worker sends."""


def encode_start(start: StartRun) -> Iterator[bytes]:
    """The start of a run as chunks to write: each buffer (header, raw text), then `StartRun`.

    Lazily, buffer by buffer: `send_chunks` encodes the next one only once the pipe has
    taken the previous one.
    """
    for buffer in start.buffers:
        pieces = utf8_pieces(buffer.text)
        size = sum(map(len, pieces))
        yield encode(BufferHeader(path=buffer.path, version=buffer.version, size=size))
        yield from pieces
    yield encode(start)


async def read_start(stdin: asyncio.StreamReader) -> StartRun | None:
    """The worker's side of `encode_start`; None if the server closed the pipe first."""
    buffers = []
    while line := await stdin.readline():
        message = decode_to_worker(line)
        if isinstance(message, BufferHeader):
            try:
                text = (await stdin.readexactly(message.size)).decode()
            except asyncio.IncompleteReadError:
                return None  # the run was cancelled while it started
            buffers.append(Buffer(path=message.path, text=text, version=message.version))
        elif isinstance(message, StartRun):
            return message.model_copy(update={"buffers": buffers})
        else:
            raise ProtocolError(f"the run must start before {message.type!r}")
    return None


def change_set(outcome: RunOutcome) -> ChangeSet:
    """The run's changes as the workspace's `ChangeSet` again."""
    return ChangeSet(tuple(outcome.changes))


class ProtocolError(TraeError):
    """A line that is not a message of this protocol."""


def encode(message: BaseModel) -> bytes:
    """One message as a line."""
    return message.model_dump_json().encode() + b"\n"


_TO_WORKER: TypeAdapter[BufferHeader | StartRun | ConfirmAnswer | CancelRun] = TypeAdapter(ToWorker)
_FROM_WORKER: TypeAdapter[EventMessage | ConfirmQuestion | RunOutcome | RunFailure] = TypeAdapter(
    FromWorker
)


def decode_to_worker(line: bytes) -> BufferHeader | StartRun | ConfirmAnswer | CancelRun:
    """A server message from its line."""
    return _parse(_TO_WORKER, line)


def decode_from_worker(line: bytes) -> EventMessage | ConfirmQuestion | RunOutcome | RunFailure:
    """A worker message from its line."""
    return _parse(_FROM_WORKER, line)


def _parse(adapter: TypeAdapter[T], line: bytes) -> T:
    try:
        return adapter.validate_json(line)
    except ValidationError as e:
        shown = line[:200].decode(errors="replace").strip()
        raise ProtocolError(f"not a run message: {shown!r}") from e
