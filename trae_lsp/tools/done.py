"""Tools that do not touch the project: `task_done` ends the run, `think` is a scratchpad."""

from __future__ import annotations

from trae_lsp.tools.base import BaseTool, ToolContext, ToolParams, ToolResult


class TaskDoneParams(ToolParams):
    """Arguments of `task_done`."""

    summary: str
    """What was done, what was verified (tests run and their result) and anything left open."""


class TaskDoneTool(BaseTool):
    """The model says it has finished; the agent loop stops when it sees this call."""

    name = "task_done"
    description = (
        "Call this once the task is complete and verified, with a summary of what you "
        "changed and how you checked it. The run ends after this call."
    )
    Params = TaskDoneParams
    read_only = True

    async def execute(self, params: TaskDoneParams, ctx: ToolContext) -> ToolResult:
        """Echo the summary; the loop recognises the tool by name and stops."""
        return ToolResult(params.summary, value=params.summary)


class ThinkParams(ToolParams):
    """Arguments of `think`."""

    thought: str
    """Your reasoning: what you know, what you will try next and why."""


class ThinkTool(BaseTool):
    """A scratchpad: writing a thought costs no action and changes nothing."""

    name = "think"
    description = (
        "Think out loud before acting: plan, weigh options or analyse a failure. "
        "Changes nothing and returns nothing new."
    )
    Params = ThinkParams
    read_only = True

    async def execute(self, params: ThinkParams, ctx: ToolContext) -> ToolResult:
        """Acknowledge the thought."""
        return ToolResult("Noted.")
