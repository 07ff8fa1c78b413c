"""The pieces of one run (events, workspace, recorder, model, loop) and how a run is closed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from trae_lsp.agent.loop import AgentLoop, LoopOutcome
from trae_lsp.agent.metering import MeteredModel
from trae_lsp.agent.planner import Plan
from trae_lsp.agent.result import AgentResult
from trae_lsp.config import WebToolConfig
from trae_lsp.events import EventBus, RunFinished
from trae_lsp.llm.messages import Usage
from trae_lsp.sandbox import Sandbox
from trae_lsp.security.shell_policy import ShellPolicy
from trae_lsp.tools.builtin import workspace_tools
from trae_lsp.tools.registry import ToolRegistry
from trae_lsp.tools.shell import ShellTool
from trae_lsp.tools.web import web_tools
from trae_lsp.trajectory.recorder import TrajectoryRecorder
from trae_lsp.workspace import Workspace


def build_registry(policy: ShellPolicy, sandbox: Sandbox, web: WebToolConfig) -> ToolRegistry:
    """The built-in tools (web ones if enabled); `shell` with the agent's policy and sandbox."""
    registry = ToolRegistry([*workspace_tools(), *web_tools(web)])
    registry.register_tool(ShellTool(policy=policy, sandbox=sandbox), replace=True)
    return registry


def task_request(
    task: str, context: str | None, plan: Plan | None, *, unavailable: Sequence[str] = ()
) -> str:
    """The message that starts the loop: the task, the caller's context and the plan."""
    parts = [f"Task: {task}"]
    if context:
        parts.append(f"Context:\n{context}")
    if unavailable:
        parts.append(
            f"Tools named for this task but not available here: {', '.join(unavailable)}. "
            "Do without them."
        )
    if plan is not None:
        parts.append(f"Follow this plan (adapt it if you learn otherwise):\n{plan.render()}")
    parts.append("Work with your tools now; call task_done when the task is done and verified.")
    return "\n\n".join(parts)


@dataclass
class RunParts:
    """Everything one run holds; `finish` reports the end exactly once."""

    bus: EventBus
    workspace: Workspace
    owns_workspace: bool
    recorder: TrajectoryRecorder | None
    cancel: asyncio.Event | None
    tools: Sequence[str] | None
    strategy: str
    metered: MeteredModel | None = None
    loop: AgentLoop | None = None
    plan: Plan | None = None
    result: AgentResult | None = None

    def finish(self, outcome: LoopOutcome) -> AgentResult:
        """Emit `RunFinished` (once) and build the result from what the run left."""
        if self.result is not None:
            return self.result
        changes = list(self.workspace.changes())
        metered = self.metered
        self.result = AgentResult(
            status=outcome.status,
            summary=outcome.summary,
            error=outcome.error,
            changes=changes,
            trajectory_path=self.recorder.path if self.recorder is not None else None,
            token_usage=metered.usage if metered is not None else Usage(),
            estimated_cost_usd=metered.cost_usd if metered is not None else 0.0,
            cache_hit_rate=self.loop.runner.hit_rate if self.loop is not None else 0.0,
            plan=self.plan,
            steps=self.loop.steps if self.loop is not None else 0,
        )
        self.bus.emit(
            RunFinished(status=outcome.status, summary=outcome.summary, error=outcome.error)
        )
        return self.result

    def close(self) -> None:
        """Release what the run owns (the shadow copy of a workspace it created)."""
        if self.owns_workspace:
            self.workspace.close()
