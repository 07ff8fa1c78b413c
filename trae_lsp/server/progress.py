"""An agent run's `window/workDoneProgress`: begin, one report per step, end with a summary.

`RunProgress` is also the run's event listener: the agent calls it with every
event; model turns (`StepStarted`) become reports carrying the tokens and cost
so far (`TokensUsed` is cumulative). Clients without `window.workDoneProgress`
get no progress at all (the run still happens).
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from trae_lsp.events import AgentEvent
    from trae_lsp.server.server import TraeServer

logger = logging.getLogger(__name__)


def supports_progress(ls: TraeServer) -> bool:
    """Does the client accept server-initiated progress?"""
    window = ls.client_capabilities.window
    return bool(window and window.work_done_progress)


class RunProgress:
    """The progress bar of one run; call it with agent events."""

    def __init__(self, ls: TraeServer, title: str, token: str | None) -> None:
        self.ls = ls
        self.title = title
        self.token = token
        self.steps = 0
        self.tokens = 0
        self.cost_usd = 0.0

    @classmethod
    async def start(cls, ls: TraeServer, title: str) -> RunProgress:
        """Create the token with the client and begin (cancellable)."""
        if not supports_progress(ls):
            return cls(ls, title, None)
        token = f"trae-{uuid.uuid4().hex}"
        await ls.work_done_progress.create_async(token)
        progress = cls(ls, title, token)
        ls.work_done_progress.begin(
            token,
            types.WorkDoneProgressBegin(title=title, cancellable=True, message="starting"),
        )
        return progress

    def __call__(self, event: AgentEvent, /) -> None:
        """Report each model turn with the tokens and cost so far."""
        from trae_lsp.events import StepStarted, TokensUsed

        if isinstance(event, TokensUsed):
            self.tokens = event.input_tokens + event.output_tokens + event.cache_read_tokens
            self.cost_usd = event.cost_usd
        elif isinstance(event, StepStarted):
            self.steps += 1
            self.report(f"step {event.index}: {event.description or 'thinking'}")

    def report(self, message: str) -> None:
        """One progress report, with the tokens and cost so far."""
        if self.token is None:
            return
        self.ls.work_done_progress.report(
            self.token, types.WorkDoneProgressReport(message=f"{message} — {self.usage()}")
        )

    def usage(self) -> str:
        """`1,234 tokens, $0.0123`."""
        return f"{self.tokens:,} tokens, ${self.cost_usd:.4f}"

    def end(self, summary: str) -> None:
        """End the progress with a one-line summary and forget the token."""
        if self.token is None:
            return
        self.ls.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=summary))
        self.ls.work_done_progress.tokens.pop(self.token, None)
