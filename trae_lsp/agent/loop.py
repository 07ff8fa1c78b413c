"""The agent loop: ask the model, run the tool calls it asks for, repeat until `task_done`.

    while True:
        step()          # limits checked first, then one model turn and its tool calls

Stopping is a typed exception (`Submitted`, `StepLimitReached`, `BudgetExceeded`,
`FormatErrorLimit`, `RunCancelled`); only `run` catches them and turns each into
its `RunStatus`. Tools never raise into the loop; malformed calls, unknown tools
and tool failures go back to the model as error results. Every call and result is
an event, and every file change a `ChangeProposed` event.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from trae_lsp.agent.tool_cache import CachedTools
from trae_lsp.agent.verify import Verification, Verifier
from trae_lsp.cache.base import ToolCache
from trae_lsp.errors import TraeError
from trae_lsp.events import (
    ChangeProposed,
    EventBus,
    RunStatus,
    StepStarted,
    ToolCalled,
    ToolResulted,
)
from trae_lsp.llm.budget import BudgetExceeded
from trae_lsp.llm.messages import (
    AssistantMessage,
    Message,
    ToolCall,
    ToolResultMessage,
    UserMessage,
)
from trae_lsp.llm.model import DEFAULT_MAX_TOKENS, Model
from trae_lsp.llm.provider import INVALID_ARGUMENTS_KEY
from trae_lsp.tools.base import ToolContext, ToolResult
from trae_lsp.tools.registry import ToolRegistry

DONE_TOOL = "task_done"
"""The tool whose call ends the run."""

NUDGE = (
    "You answered without calling a tool. Continue with your tools, or call task_done "
    "with a summary if the task is finished."
)
"""Sent back when the model answers with text only in a task run."""

_T = TypeVar("_T")


class StopRun(TraeError):
    """Base of the exceptions that end a run; only `AgentLoop.run` catches them."""


class Submitted(StopRun):
    """The model called `task_done` (and verification, if any, accepted it)."""


class StepLimitReached(StopRun):
    """The run used all its steps without finishing."""


class FormatErrorLimit(StopRun):
    """The model sent too many unusable turns in a row."""


class RunCancelled(StopRun):
    """Someone asked the run to stop."""


@dataclass(frozen=True)
class LoopSettings:
    """Limits and behaviour of one loop."""

    max_steps: int = 30
    """Model turns allowed before the run stops with `max_steps`."""

    max_consecutive_format_errors: int = 3
    """Unusable turns in a row (malformed or unknown calls, no call) before `failed`."""

    max_tokens: int = DEFAULT_MAX_TOKENS
    """Output tokens allowed per model turn."""

    finish_on_text: bool = False
    """Chat: a turn that only answers in text ends the request as `completed`."""

    max_verifications: int = 2
    """`task_done` calls checked by running the tests; later ones are accepted as they are."""


@dataclass(frozen=True)
class LoopOutcome:
    """How a loop ended."""

    status: RunStatus
    summary: str = ""
    error: str | None = None


@dataclass
class _Turn:
    """Bookkeeping for one model turn's tool calls."""

    results: list[ToolResultMessage] = field(default_factory=list)
    usable: bool = False
    done_summary: str | None = None


class AgentLoop:
    """Runs one conversation of model turns and tool calls to a terminal status."""

    def __init__(
        self,
        model: Model,
        tools: ToolRegistry,
        ctx: ToolContext,
        bus: EventBus,
        *,
        system: str,
        settings: LoopSettings | None = None,
        verifier: Verifier | None = None,
        cancel: asyncio.Event | None = None,
        cache: ToolCache | None = None,
    ) -> None:
        self.model = model
        self.tools = tools
        self.runner = CachedTools(tools, cache)
        """Runs the calls, answering cacheable ones from `cache` (its hit rate is the run's)."""
        self.ctx = ctx
        self.bus = bus
        self.system = system
        self.settings = settings or LoopSettings()
        self.verifier = verifier
        self.cancel = cancel
        self.messages: list[Message] = []
        """The whole conversation; chat keeps it between requests."""
        self.steps = 0
        self._format_errors = 0
        self._verifications = 0
        self._unverified = ""
        self._diffs: dict[str, str] = {}
        self._turn = _Turn()

    async def run(self, request: str) -> LoopOutcome:
        """Send `request` and loop until a terminal status; never raises a `TraeError`."""
        self.messages.append(UserMessage(text=request))
        self._format_errors = self._verifications = 0
        self._unverified = ""
        try:
            while True:
                await self.step()
        except TraeError as e:
            self._settle_turn()
            return outcome_for(e)

    async def step(self) -> None:
        """One model turn: check the limits, ask the model, run the calls it made."""
        self._check_limits()
        self.steps += 1
        self.bus.emit(StepStarted(index=self.steps))
        response = await self.guard(
            self.model.complete(
                self.messages,
                system=self.system,
                tools=self.tools.specs(),
                max_tokens=self.settings.max_tokens,
            )
        )
        self.messages.append(response.message)
        calls = response.message.tool_calls
        if not calls:
            self._text_only(response.message.text)
            return
        turn = self._turn = _Turn()
        for call in calls:
            turn.results.append(await self._run_call(call, turn))
        self.messages.extend(turn.results)
        self._turn = _Turn()
        self._count_format_errors(turn.usable)
        if turn.done_summary is not None:
            raise Submitted(turn.done_summary)

    def _settle_turn(self) -> None:
        """Answer every call of an interrupted turn, so the conversation can go on later."""
        last = self.messages[-1] if self.messages else None
        if not isinstance(last, AssistantMessage) or not last.tool_calls:
            return
        answered = {result.tool_call_id for result in self._turn.results}
        self.messages.extend(self._turn.results)
        self.messages.extend(
            ToolResultMessage(tool_call_id=c.id, content="Not run: the run stopped.", is_error=True)
            for c in last.tool_calls
            if c.id not in answered
        )
        self._turn = _Turn()

    def _check_limits(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise RunCancelled("cancelled before the next step")
        if self.steps >= self.settings.max_steps:
            raise StepLimitReached(
                f"stopped after {self.steps} steps without task_done; "
                "raise --max-steps or split the task"
            )

    def _text_only(self, text: str) -> None:
        if self.settings.finish_on_text:
            raise Submitted(text)
        self.messages.append(UserMessage(text=NUDGE))
        self._count_format_errors(usable=False)

    def _count_format_errors(self, usable: bool) -> None:
        self._format_errors = 0 if usable else self._format_errors + 1
        limit = self.settings.max_consecutive_format_errors
        if self._format_errors >= limit:
            raise FormatErrorLimit(
                f"the model {self.model.name} sent {limit} unusable turns in a row "
                "(malformed tool calls, unknown tools or no tool call); "
                "try again or pick another model with --model"
            )

    async def _run_call(self, call: ToolCall, turn: _Turn) -> ToolResultMessage:
        """Run one tool call (or refuse it) and report it; the result goes to the model."""
        self.bus.emit(ToolCalled(call_id=call.id, tool=call.name, arguments=dict(call.arguments)))
        started = time.monotonic()
        result = await self._result_for(call, turn)
        self.bus.emit(
            ToolResulted(
                call_id=call.id,
                tool=call.name,
                output=result.output,
                is_error=result.is_error,
                duration_seconds=time.monotonic() - started,
            )
        )
        self._report_changes(call.name)
        return ToolResultMessage(
            tool_call_id=call.id, content=result.output, is_error=result.is_error
        )

    async def _result_for(self, call: ToolCall, turn: _Turn) -> ToolResult:
        if turn.done_summary is not None:
            return ToolResult.error("Not run: task_done was already called in this turn.")
        if INVALID_ARGUMENTS_KEY in call.arguments:
            raw = str(call.arguments[INVALID_ARGUMENTS_KEY])[:200]
            return ToolResult.error(
                f"The arguments of {call.name} are not a JSON object: {raw!r}. "
                "Call the tool again with a JSON object matching its schema."
            )
        if call.name not in self.tools:
            return await self.tools.execute(call.name, call.arguments, self.ctx)
        turn.usable = True
        result = await self.guard(self.runner.execute(call.name, call.arguments, self.ctx))
        if call.name == DONE_TOOL and not result.is_error:
            return await self._finish(result, turn)
        return result

    async def _finish(self, done: ToolResult, turn: _Turn) -> ToolResult:
        """Verify before accepting `task_done`; failing tests go back to the model."""
        check = await self._verify()
        if check is not None and not check.passed:
            return ToolResult.error(
                f"Not done yet: `{check.command}` fails after your changes:\n{check.output}\n"
                "Fix the failures, or call task_done again explaining why they are unrelated."
            )
        summary = done.output
        if check is not None:
            summary += f"\n\nVerified: `{check.command}` passed."
        elif self._unverified:
            summary += f"\n\nNot verified: {self._unverified}."
        turn.done_summary = summary
        return ToolResult(summary)

    async def _verify(self) -> Verification | None:
        if self.verifier is None or self._verifications >= self.settings.max_verifications:
            return None
        if not len(self.ctx.workspace.changes()):
            return None
        command, why_not = self.verifier.command_for(self.ctx.workspace)
        if command is None:
            self._unverified = why_not
            return None
        self._verifications += 1
        call_id = f"verify-{self._verifications}"
        self.bus.emit(ToolCalled(call_id=call_id, tool="verify", arguments={"command": command}))
        started = time.monotonic()
        check = await self.guard(self.verifier.run(self.ctx.workspace, command))
        self.bus.emit(
            ToolResulted(
                call_id=call_id,
                tool="verify",
                output=check.output,
                is_error=not check.passed,
                duration_seconds=time.monotonic() - started,
            )
        )
        return check

    def _report_changes(self, tool: str) -> None:
        if tool in self.tools and self.tools.get(tool).read_only:
            return
        for change in self.ctx.workspace.changes():
            if self._diffs.get(change.file) != change.diff:
                self._diffs[change.file] = change.diff
                self.bus.emit(ChangeProposed(file=change.file, diff=change.diff))

    async def guard(self, work: Awaitable[_T]) -> _T:
        """Await `work`, abandoning it (and raising `RunCancelled`) if the run is cancelled."""
        if self.cancel is None:
            return await work
        task = asyncio.ensure_future(work)
        stop = asyncio.ensure_future(self.cancel.wait())
        try:
            await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            raise RunCancelled("cancelled while waiting for the model or a tool")
        return task.result()


def outcome_for(error: TraeError) -> LoopOutcome:
    """The terminal status a stopping exception stands for (any other `TraeError`: failed)."""
    if isinstance(error, Submitted):
        return LoopOutcome(RunStatus.COMPLETED, summary=str(error))
    statuses: list[tuple[type[TraeError], RunStatus]] = [
        (StepLimitReached, RunStatus.MAX_STEPS),
        (BudgetExceeded, RunStatus.BUDGET_EXCEEDED),
        (RunCancelled, RunStatus.CANCELLED),
    ]
    for kind, status in statuses:
        if isinstance(error, kind):
            return LoopOutcome(status, error=str(error))
    return LoopOutcome(RunStatus.FAILED, error=str(error))


def tool_names(tools: Sequence[str] | None, registry: ToolRegistry) -> list[str]:
    """The registered tools a run may use: those asked for, plus `task_done`, which ends runs.

    Names the registry does not have are left out (see `unavailable_tools`): the
    article's workflows name `web_search`, which exists only when web tools are on.
    """
    names = [name for name in (registry.names if tools is None else tools) if name in registry]
    return names if DONE_TOOL in names or DONE_TOOL not in registry else [*names, DONE_TOOL]


def unavailable_tools(tools: Sequence[str] | None, registry: ToolRegistry) -> list[str]:
    """Tools a run asked for that the agent does not have (the model is told)."""
    return [name for name in tools or () if name not in registry]
