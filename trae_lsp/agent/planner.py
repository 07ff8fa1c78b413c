"""`TaskPlanner`: asks the model for a plan and returns it validated, or says why it could not.

The model answers with a JSON object; a malformed or invalid plan is sent back
once with the validation error, and a second failure raises `PlanningError`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from trae_lsp.agent.codebase import codebase_context_for, is_directory
from trae_lsp.agent.prompts import load_prompt
from trae_lsp.agent.resolve import load_project_config, resolve_model
from trae_lsp.config_layers import LoadedConfig
from trae_lsp.errors import TraeError
from trae_lsp.events import PlannedStep
from trae_lsp.llm.messages import AssistantMessage, Message, UserMessage
from trae_lsp.llm.model import Model
from trae_lsp.tools.sync import run_sync

MAX_PLAN_STEPS = 12
"""Most steps a plan may have; longer plans are refused as unfocused."""

PLAN_MAX_TOKENS = 2048
"""Output tokens allowed for the planner's answer."""


class PlanningError(TraeError):
    """The model did not produce a valid plan, even after being shown what was wrong."""


class PlanStep(BaseModel):
    """One step of a plan (the article's `step.index`, `description`, `required_tools`...)."""

    model_config = ConfigDict(extra="ignore")

    index: int = Field(ge=1)
    description: str = Field(min_length=1)
    required_tools: list[str] = Field(default_factory=list)
    affected_files: list[str] = Field(default_factory=list)


class Plan(BaseModel):
    """The steps the agent intends to take, numbered from 1."""

    model_config = ConfigDict(extra="ignore")

    steps: list[PlanStep] = Field(min_length=1, max_length=MAX_PLAN_STEPS)

    @model_validator(mode="after")
    def _numbered_in_order(self) -> Plan:
        indexes = [step.index for step in self.steps]
        if indexes != list(range(1, len(indexes) + 1)):
            raise ValueError(f"step indexes must be 1, 2, 3, … in order; got {indexes}")
        return self

    def planned_steps(self) -> tuple[PlannedStep, ...]:
        """The plan as the `PlanMade` event carries it."""
        return tuple(
            PlannedStep(
                index=s.index,
                description=s.description,
                required_tools=tuple(s.required_tools),
                affected_files=tuple(s.affected_files),
            )
            for s in self.steps
        )

    def render(self) -> str:
        """The plan as a numbered list for the agent's prompt."""
        lines = []
        for step in self.steps:
            extra = f" (files: {', '.join(step.affected_files)})" if step.affected_files else ""
            lines.append(f"{step.index}. {step.description}{extra}")
        return "\n".join(lines)


@dataclass(frozen=True)
class PlanDraft:
    """A validated plan and the messages (prompt, answers, corrections) that led to it."""

    plan: Plan
    messages: list[Message]


class TaskPlanner:
    """Breaks a task into validated steps with the model (the article's `TaskPlanner`)."""

    def __init__(
        self,
        model: Model | str | None = None,
        *,
        tools: Sequence[str] = (),
        config: LoadedConfig | None = None,
    ) -> None:
        self._spec = model
        self._model = model if not (model is None or isinstance(model, str)) else None
        self._config = config
        self.tools = list(tools)
        """Tool names a plan may use (empty: any)."""

    def plan(self, task: str, codebase_context: str | Path | None = None) -> Plan:
        """Plan `task`; `codebase_context` is a project directory or a text about the code."""
        return run_sync(self.aplan(task, codebase_context))

    async def aplan(self, task: str, codebase_context: str | Path | None = None) -> Plan:
        """The asynchronous form of `plan`."""
        return (await self.draft(task, codebase_context)).plan

    async def draft(self, task: str, codebase_context: str | Path | None = None) -> PlanDraft:
        """The plan with the conversation that produced it (the agent continues from there)."""
        model = self._resolved_model(codebase_context)
        messages: list[Message] = [UserMessage(text=self._prompt(task, codebase_context))]
        problem = ""
        for attempt in range(2):
            if attempt:
                messages.append(
                    UserMessage(
                        text=f"That plan is invalid: {problem}. "
                        "Answer again with only the corrected JSON object."
                    )
                )
            response = await model.complete(
                messages, system=load_prompt("planner"), max_tokens=PLAN_MAX_TOKENS
            )
            messages.append(AssistantMessage(text=response.message.text))
            try:
                return PlanDraft(self._parse(response.message.text), messages)
            except (ValueError, ValidationError) as e:
                problem = _describe(e)
        raise PlanningError(
            f"the model {model.name} gave an invalid plan twice ({problem}); "
            "try again, rephrase the task, or pick another model with --model"
        )

    def _resolved_model(self, codebase_context: str | Path | None) -> Model:
        if self._model is None:
            directory = codebase_context if is_directory(codebase_context) else None
            loaded = self._config or load_project_config(directory)
            self._model = resolve_model(self._spec, loaded)
        return self._model

    def _prompt(self, task: str, codebase_context: str | Path | None) -> str:
        parts = [f"Task:\n{task}"]
        context = codebase_context_for(codebase_context, task)
        if context is not None:
            parts.append(f"About the code:\n{context.text}")
        if self.tools:
            parts.append(f"Tools the agent has: {', '.join(self.tools)}")
        return "\n\n".join(parts)

    def _parse(self, text: str) -> Plan:
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end < start:
            raise ValueError("the answer contains no JSON object")
        plan = Plan.model_validate(json.loads(text[start : end + 1]))
        unknown = sorted({t for s in plan.steps for t in s.required_tools} - set(self.tools or ()))
        if self.tools and unknown:
            raise ValueError(f"unknown tools {unknown}; use only: {', '.join(self.tools)}")
        return plan


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'plan'}: {e['msg']}" for e in error.errors()
        )
    return str(error)
