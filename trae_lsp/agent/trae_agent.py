"""`TraeAgent`: the one agent core that the CLI, the Python API, CI and the language server drive.

A run: `RunStarted` → plan (`PlanMade`) → the loop (model turns, tool calls,
`ChangeProposed`, verification on `task_done`) → `RunFinished` with a distinct
status. Every event goes to the listeners and, when recording, to the trajectory.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from trae_lsp.agent.codebase import describe_codebase
from trae_lsp.agent.loop import (
    AgentLoop,
    LoopOutcome,
    LoopSettings,
    outcome_for,
    tool_names,
    unavailable_tools,
)
from trae_lsp.agent.metering import MeteredModel
from trae_lsp.agent.planner import Plan, TaskPlanner
from trae_lsp.agent.prompts import load_prompt
from trae_lsp.agent.resolve import load_project_config, model_label, resolve_model
from trae_lsp.agent.result import AgentResult
from trae_lsp.agent.run_parts import RunParts, build_registry, task_request
from trae_lsp.agent.verify import Verifier
from trae_lsp.agent.workflow import Workflow, WorkflowStepResult, WorkflowTask, run_workflow
from trae_lsp.cache import ToolCache, create_cache
from trae_lsp.config_layers import LoadedConfig
from trae_lsp.errors import TraeError
from trae_lsp.events import (
    EventBus,
    EventListener,
    PlanMade,
    RunStarted,
    RunStatus,
)
from trae_lsp.llm.budget import TokenBudget, get_strategy
from trae_lsp.llm.model import Model
from trae_lsp.sandbox import Sandbox, create_sandbox
from trae_lsp.security.shell_policy import ShellPolicy
from trae_lsp.tools.base import BaseTool, ConfirmFn, ToolContext
from trae_lsp.tools.shell_executor import ShellExecutor
from trae_lsp.tools.sync import run_sync
from trae_lsp.trajectory.recorder import open_recorder
from trae_lsp.workspace import Workspace, WorkspaceMode

DEFAULT_MAX_STEPS = 30
"""Model turns per run unless `max_steps` says otherwise."""


class TraeAgent:
    """Plans, acts with tools, verifies and records (the article's `TraeAgent`)."""

    def __init__(
        self,
        model: Model | str | None = None,
        project_path: str | os.PathLike[str] | None = None,
        record_trajectory: bool | None = None,
        token_budget: TokenBudget | None = None,
        tool_cache: ToolCache | None = None,
        sandbox: Sandbox | None = None,
        shell_policy: ShellPolicy | None = None,
        *,
        workspace_mode: WorkspaceMode | str = WorkspaceMode.APPLY,
        config: LoadedConfig | None = None,
        confirm: ConfirmFn | None = None,
        listeners: Sequence[EventListener] = (),
        max_steps: int = DEFAULT_MAX_STEPS,
        planning: bool = True,
    ) -> None:
        self.project_path = Path(project_path or Path.cwd()).expanduser().resolve()
        self.loaded = config or load_project_config(self.project_path)
        self.model_spec = model
        self.record_trajectory = record_trajectory
        self.token_budget = token_budget
        self.tool_cache = (
            tool_cache if tool_cache is not None else create_cache(self.loaded.config.cache)
        )
        self.sandbox = sandbox or create_sandbox(self.loaded.config.sandbox)
        self.shell_policy = shell_policy or ShellPolicy.from_config(self.loaded.config.tools.shell)
        self.workspace_mode = WorkspaceMode(workspace_mode)
        self.confirm = confirm
        self.listeners = list(listeners)
        self.max_steps = max_steps
        self.planning = planning
        self.registry = build_registry(
            self.shell_policy, self.sandbox, self.loaded.config.tools.web
        )

    @property
    def config(self) -> LoadedConfig:
        """The layered configuration this agent runs with."""
        return self.loaded

    def register_tool(self, tool: BaseTool, *, replace: bool = False) -> None:
        """Make a tool available to runs (the article's custom tools)."""
        self.registry.register_tool(tool, replace=replace)

    def run(
        self,
        task: str,
        context: str | None = None,
        tools: Sequence[str] | None = None,
        budget_strategy: str | None = None,
    ) -> AgentResult:
        """Run a task to a terminal status and return the result (blocking)."""
        return run_sync(self.arun(task, context, tools, budget_strategy))

    async def arun(
        self,
        task: str,
        context: str | None = None,
        tools: Sequence[str] | None = None,
        budget_strategy: str | None = None,
        *,
        workspace: Workspace | None = None,
        listener: EventListener | None = None,
        cancel: asyncio.Event | None = None,
    ) -> AgentResult:
        """Run a task; the server passes its own Workspace, a listener and a cancel event."""
        parts = self.open_run(workspace, listener, cancel, tools, budget_strategy)
        try:
            return await self._drive(parts, task, context)
        except asyncio.CancelledError:
            parts.finish(LoopOutcome(RunStatus.CANCELLED, error="the run's task was cancelled"))
            raise
        except BaseException as e:  # the one boundary: record how the run ended, then re-raise
            parts.finish(LoopOutcome(RunStatus.FAILED, error=f"{type(e).__name__}: {e}"))
            raise
        finally:
            parts.close()

    def run_workflow(
        self, workflow: Workflow, variables: Mapping[str, object] | None = None
    ) -> dict[str, WorkflowStepResult]:
        """Run a workflow's steps in dependency order; results by step name."""
        return run_sync(self.arun_workflow(workflow, variables))

    async def arun_workflow(
        self, workflow: Workflow, variables: Mapping[str, object] | None = None
    ) -> dict[str, WorkflowStepResult]:
        """The asynchronous form of `run_workflow`."""

        async def run_step(step: WorkflowTask) -> AgentResult:
            return await self.arun(step.task, step.context, step.tools)

        return await run_workflow(workflow, run_step, variables)

    def open_run(
        self,
        workspace: Workspace | None = None,
        listener: EventListener | None = None,
        cancel: asyncio.Event | None = None,
        tools: Sequence[str] | None = None,
        budget_strategy: str | None = None,
    ) -> RunParts:
        """The pieces of a new run: event bus (listeners, recorder), workspace, settings."""
        config = self.loaded.config
        strategy = budget_strategy or config.budget.strategy
        get_strategy(strategy)  # an unknown name fails here, before the run starts
        bus = EventBus(tuple(self.listeners) + ((listener,) if listener else ()))
        recorder = open_recorder(config, enabled=self.record_trajectory)
        if recorder is not None:
            bus.subscribe(recorder)
        owned = workspace is None
        ws = workspace or Workspace(self.project_path, mode=self.workspace_mode)
        return RunParts(
            bus=bus,
            workspace=ws,
            owns_workspace=owned,
            recorder=recorder,
            cancel=cancel,
            tools=tools,
            strategy=strategy,
        )

    async def _drive(self, parts: RunParts, task: str, context: str | None) -> AgentResult:
        try:
            loop = self.start_loop(parts, task)
            plan = await self._plan(parts, loop, task, context)
            unavailable = unavailable_tools(parts.tools, self.registry)
            outcome = await loop.run(task_request(task, context, plan, unavailable=unavailable))
        except TraeError as e:
            outcome = outcome_for(e)
        return parts.finish(outcome)

    def start_loop(
        self,
        parts: RunParts,
        task: str,
        *,
        prompt: str = "system",
        settings: LoopSettings | None = None,
    ) -> AgentLoop:
        """Announce the run, then build its metered model and loop (may raise `TraeError`)."""
        root = str(parts.workspace.root)
        try:
            model = resolve_model(self.model_spec, self.loaded)
        except TraeError:  # still announce the run, so its record says what failed
            label = model_label(self.model_spec, self.loaded)
            parts.bus.emit(RunStarted(task=task, model=label, project_path=root))
            raise
        parts.bus.emit(
            RunStarted(task=task, model=model.name, provider=model.provider, project_path=root)
        )
        config = self.loaded.config
        metered = MeteredModel(
            model,
            parts.bus,
            budget=self._fresh_budget(),
            strategy=parts.strategy,
            pricing=config.pricing,
        )
        parts.metered = metered
        executor = ShellExecutor(
            parts.workspace.root, sandbox=self.sandbox, config=config.tools.shell
        )
        loop = AgentLoop(
            metered,
            self.registry.select(tool_names(parts.tools, self.registry)),
            ToolContext(workspace=parts.workspace, config=config, confirm=self.confirm),
            parts.bus,
            system=load_prompt(prompt),
            settings=settings or LoopSettings(max_steps=self.max_steps),
            verifier=Verifier(self.shell_policy, executor),
            cancel=parts.cancel,
            cache=self.tool_cache,
        )
        parts.loop = loop
        return loop

    async def _plan(
        self, parts: RunParts, loop: AgentLoop, task: str, context: str | None
    ) -> Plan | None:
        if not self.planning:
            return None
        planner = TaskPlanner(loop.model, tools=loop.tools.names, config=self.loaded)
        codebase = await asyncio.to_thread(
            describe_codebase, parts.workspace, task, self.loaded.config.context
        )
        about = codebase.text
        if context:
            about = f"{context}\n\n{about}"
        draft = await loop.guard(planner.draft(task, about))
        parts.plan = draft.plan
        loop.messages.extend(draft.messages)
        parts.bus.emit(PlanMade(steps=draft.plan.planned_steps()))
        return draft.plan

    def _fresh_budget(self) -> TokenBudget | None:
        """A per-run copy of the budget (each run gets the whole budget)."""
        given = self.token_budget
        if given is None:
            settings = self.loaded.config.budget
            if settings.max_input_tokens is None and settings.max_output_tokens is None:
                return None
            return TokenBudget.from_config(settings)
        return TokenBudget(given.max_input_tokens, given.max_output_tokens, given.warn_at_percent)
