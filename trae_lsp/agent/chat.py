"""`ChatSession`: one conversation with the agent, request after request, with undo.

The session is one recorded run: the history stays in the conversation, every
request's file changes can be undone, and closing the session finishes the record.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from trae_lsp.agent.loop import AgentLoop, LoopOutcome, LoopSettings, outcome_for
from trae_lsp.agent.result import AgentResult
from trae_lsp.agent.run_parts import RunParts
from trae_lsp.agent.trae_agent import TraeAgent
from trae_lsp.errors import TraeError
from trae_lsp.events import EventListener, RunStatus
from trae_lsp.llm.messages import Usage

CHAT_TASK = "interactive chat session"
"""The task recorded for a chat session's trajectory."""


@dataclass(frozen=True)
class Reverted:
    """What `/undo` did to one file."""

    file: str
    deleted: bool


class ChatSession:
    """A conversation with the agent over one workspace; `ask` runs one request."""

    def __init__(self, agent: TraeAgent, *, listener: EventListener | None = None) -> None:
        self.agent = agent
        self.parts: RunParts = agent.open_run(listener=listener)
        self._loop: AgentLoop | None = None
        self._undo: list[dict[str, str | None]] = []
        self._notes: list[str] = []

    def start(self) -> None:
        """Announce the session and build its model; raises `TraeError` if that fails."""
        settings = LoopSettings(max_steps=self.agent.max_steps, finish_on_text=True)
        try:
            self._loop = self.agent.start_loop(
                self.parts, CHAT_TASK, prompt="chat", settings=settings
            )
        except TraeError as e:
            self.close(outcome_for(e))
            raise

    async def ask(self, request: str, *, cancel: asyncio.Event | None = None) -> LoopOutcome:
        """Run one request to its end; the conversation keeps it for the next one."""
        if self._loop is None:
            raise TraeError("the chat session is not started; call start() first")
        self._loop.cancel = cancel
        self._loop.steps = 0
        before = {change.file: change.new for change in self.parts.workspace.changes()}
        text = "\n".join([*self._notes, request])
        self._notes.clear()
        outcome = await self._loop.run(text)
        touched = {
            change.file: before.get(change.file, change.original)
            for change in self.parts.workspace.changes()
            if change.file not in before or before[change.file] != change.new
        }
        if touched:
            self._undo.append(touched)
        return outcome

    def undo(self) -> list[Reverted]:
        """Put back the files the last request changed (what `/undo` does)."""
        if not self._undo:
            return []
        workspace = self.parts.workspace
        reverted = []
        for file, text in self._undo.pop().items():
            if text is None:
                workspace.delete(file)
            else:
                workspace.write_text(file, text)
            reverted.append(Reverted(file, deleted=text is None))
        names = ", ".join(r.file for r in reverted)
        self._notes.append(f"(The user undid your last changes to {names}.)")
        return reverted

    def diff(self) -> str:
        """Every change of the session as one unified diff (what `/diff` shows)."""
        return self.parts.workspace.changes().diff()

    @property
    def usage(self) -> Usage:
        """Tokens of the session so far."""
        metered = self.parts.metered
        return metered.usage if metered is not None else Usage()

    @property
    def cost_usd(self) -> float:
        """Estimated cost of the session so far."""
        metered = self.parts.metered
        return metered.cost_usd if metered is not None else 0.0

    def close(self, outcome: LoopOutcome | None = None) -> AgentResult:
        """Finish the session's record and release its workspace."""
        try:
            return self.parts.finish(outcome or LoopOutcome(RunStatus.COMPLETED))
        finally:
            self.parts.close()
