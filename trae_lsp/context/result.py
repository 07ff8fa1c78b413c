"""What the context engine hands to its consumers: chosen files, symbols and the rendered text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ContextSymbol:
    """A symbol shown in the context: with its full body or only its signature."""

    file: str
    name: str
    """Qualified name, e.g. `Session.request`."""
    kind: str
    line: int
    full: bool


@dataclass(frozen=True, slots=True)
class Context:
    """Ranked files and symbols visible in `text`, and its size under the engine's token rule."""

    files: list[str]
    symbols: list[ContextSymbol]
    text: str
    tokens: int
    budget: int
    stats: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The `trae context --format json` shape."""
        return {
            "files": self.files,
            "symbols": [
                {"file": s.file, "name": s.name, "kind": s.kind, "line": s.line, "full": s.full}
                for s in self.symbols
            ],
            "text": self.text,
            "tokens": self.tokens,
            "stats": self.stats,
        }
