"""Folding the event stream into a `Trajectory`: the one place that knows how events map.

The recorder folds each event as it journals it, and `load` folds the journal
of a run that never finished, so both see exactly the same trajectory.
"""

from __future__ import annotations

from trae_lsp.events import (
    AgentEvent,
    BudgetWarning,
    ChangeProposed,
    ModelCalled,
    PlanMade,
    RunFinished,
    RunStarted,
    StepStarted,
    TokensUsed,
    ToolCalled,
    ToolResulted,
)
from trae_lsp.trajectory.schema import (
    BudgetWarningRecord,
    FileChange,
    LLMInteraction,
    LLMRequest,
    LLMResponse,
    StepStatus,
    TokenUsage,
    Trajectory,
    TrajectoryStatus,
    TrajectoryStep,
)


class TrajectoryBuilder:
    """Applies events, in order, to a trajectory it owns."""

    def __init__(self, trajectory: Trajectory) -> None:
        self.trajectory = trajectory
        self._agent_step: int | None = None

    def apply(self, event: AgentEvent) -> None:
        """Update the trajectory with one event."""
        match event:
            case RunStarted():
                self._run_started(event)
            case PlanMade():
                self.trajectory.plan = list(event.steps)
            case StepStarted():
                self._agent_step = event.index
            case ToolCalled():
                self._tool_called(event)
            case ToolResulted():
                self._tool_resulted(event)
            case ModelCalled():
                self._model_called(event)
            case TokensUsed():
                self._tokens_used(event)
            case BudgetWarning():
                self._budget_warning(event)
            case ChangeProposed():
                self._change_proposed(event)
            case RunFinished():
                self._run_finished(event)

    def mark_incomplete(self, reason: str) -> None:
        """Close a run that stopped without `RunFinished`: status, error, open calls."""
        traj = self.trajectory
        traj.status = TrajectoryStatus.INCOMPLETE
        traj.error = traj.error or reason
        self._interrupt_pending()

    def _run_started(self, event: RunStarted) -> None:
        traj = self.trajectory
        traj.task = event.task
        traj.model = event.model
        traj.provider = event.provider
        traj.project_path = event.project_path
        traj.started_at = event.timestamp
        traj.status = TrajectoryStatus.RUNNING

    def _tool_called(self, event: ToolCalled) -> None:
        traj = self.trajectory
        traj.steps.append(
            TrajectoryStep(
                step=len(traj.steps) + 1,
                tool=event.tool,
                input=dict(event.arguments),
                timestamp=event.timestamp,
                status=StepStatus.PENDING,
                call_id=event.call_id,
                agent_step=self._agent_step,
            )
        )
        traj.totals.tool_calls += 1

    def _tool_resulted(self, event: ToolResulted) -> None:
        step = self._pending_step(event.call_id)
        if step is None:  # a result whose call was never announced: still record it
            self._tool_called(ToolCalled(call_id=event.call_id, tool=event.tool))
            step = self.trajectory.steps[-1]
        step.output = event.output
        step.status = StepStatus.ERROR if event.is_error else StepStatus.COMPLETED
        step.duration_seconds = event.duration_seconds
        if event.is_error:
            self.trajectory.totals.errored_steps += 1

    def _pending_step(self, call_id: str) -> TrajectoryStep | None:
        for step in reversed(self.trajectory.steps):
            if step.call_id == call_id and step.status is StepStatus.PENDING:
                return step
        return None

    def _model_called(self, event: ModelCalled) -> None:
        traj = self.trajectory
        usage = TokenUsage(
            input_tokens=event.input_tokens,
            output_tokens=event.output_tokens,
            cache_read_tokens=event.cache_read_tokens,
            cache_write_tokens=event.cache_write_tokens,
        )
        traj.llm_interactions.append(
            LLMInteraction(
                index=len(traj.llm_interactions) + 1,
                timestamp=event.timestamp,
                agent_step=self._agent_step,
                model=event.model,
                request=LLMRequest(
                    message_count=event.message_count,
                    new_messages=list(event.new_messages),
                    tools=list(event.tools),
                ),
                response=LLMResponse(
                    text=event.response_text,
                    tool_calls=list(event.tool_calls),
                    stop_reason=event.stop_reason,
                ),
                usage=usage,
                latency_seconds=event.latency_seconds,
            )
        )
        traj.totals.usage = traj.totals.usage.plus(usage)
        traj.totals.llm_calls += 1

    def _tokens_used(self, event: TokensUsed) -> None:
        # The agent's cumulative figures are authoritative: they also count calls
        # (e.g. the planner's) that were not reported as `ModelCalled`.
        totals = self.trajectory.totals
        totals.usage = TokenUsage(
            input_tokens=event.input_tokens,
            output_tokens=event.output_tokens,
            cache_read_tokens=event.cache_read_tokens,
            cache_write_tokens=event.cache_write_tokens,
        )
        totals.cost_usd = event.cost_usd

    def _budget_warning(self, event: BudgetWarning) -> None:
        self.trajectory.budget_warnings.append(
            BudgetWarningRecord(
                step=len(self.trajectory.steps),
                message=event.message,
                percent_used=event.percent_used,
                timestamp=event.timestamp,
            )
        )

    def _change_proposed(self, event: ChangeProposed) -> None:
        # A file's diff is cumulative (against the original), so the latest replaces.
        changes = self.trajectory.changes
        for i, change in enumerate(changes):
            if change.file == event.file:
                changes[i] = FileChange(file=event.file, diff=event.diff)
                return
        changes.append(FileChange(file=event.file, diff=event.diff))

    def _run_finished(self, event: RunFinished) -> None:
        traj = self.trajectory
        traj.status = TrajectoryStatus(event.status.value)
        traj.summary = event.summary
        traj.error = event.error
        traj.finished_at = event.timestamp
        self._interrupt_pending()

    def _interrupt_pending(self) -> None:
        for step in self.trajectory.steps:
            if step.status is StepStatus.PENDING:
                step.status = StepStatus.INTERRUPTED
