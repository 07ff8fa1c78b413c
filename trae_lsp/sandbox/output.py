"""Bounded capture of a command's output: keep the head and the tail, count the rest."""

from __future__ import annotations


class HeadTailBuffer:
    """Keeps the first and last bytes of a stream, so huge output costs bounded memory."""

    def __init__(self, limit: int) -> None:
        if limit < 2:
            raise ValueError("output limit must be at least 2 bytes")
        self.limit = limit
        self.total = 0
        self._head_cap = limit - limit // 2
        self._tail_cap = limit // 2
        self._head = bytearray()
        self._tail = bytearray()

    def feed(self, chunk: bytes) -> None:
        """Add the next chunk of the stream."""
        self.total += len(chunk)
        take = max(0, self._head_cap - len(self._head))
        self._head += chunk[:take]
        self._tail += chunk[take:]
        excess = len(self._tail) - self._tail_cap
        if excess > 0:
            del self._tail[:excess]

    @property
    def truncated(self) -> bool:
        """True when bytes were dropped from the middle."""
        return self.total > self.limit

    def text(self) -> str:
        """The kept output as text, with a marker saying how many bytes were dropped."""
        head = self._head.decode("utf-8", errors="replace")
        tail = self._tail.decode("utf-8", errors="replace")
        if not self.truncated:
            return (self._head + self._tail).decode("utf-8", errors="replace")
        omitted = self.total - len(self._head) - len(self._tail)
        return f"{head}\n[... {omitted} bytes omitted of {self.total} ...]\n{tail}"
