"""ReplayModel: answers from a trajectory and names the first call where a run departs."""

from __future__ import annotations

from pathlib import Path

import pytest

from trae_lsp.llm import (
    AssistantMessage,
    Message,
    ReplayDivergenceError,
    ToolCall,
    ToolResultMessage,
    ToolSpec,
    Usage,
    UserMessage,
    final_response,
)
from trae_lsp.llm.replay import ReplayModel, calls_from_trajectory, to_conversation_message
from trae_lsp.trajectory.schema import (
    LLMInteraction,
    LLMRequest,
    LLMResponse,
    TokenUsage,
    Trajectory,
)

READ = ToolSpec(name="read_file", description="Read", input_schema={"type": "object"})
CALL = ToolCall(id="c1", name="read_file", arguments={"path": "a.py"})
TASK = UserMessage(text="fix a.py")
FIRST_ANSWER = AssistantMessage(text="Reading.", tool_calls=(CALL,))
RESULT = ToolResultMessage(tool_call_id="c1", content="print(1)")


def interaction(
    index: int, sent: list[Message], new: list[Message], answer: str = ""
) -> LLMInteraction:
    calls = [
        {"id": c.id, "name": c.name, "arguments": c.arguments} for c in FIRST_ANSWER.tool_calls
    ]
    response = (
        LLMResponse(text="Reading.", tool_calls=calls, stop_reason="tool_use")
        if not answer
        else LLMResponse(text=answer, stop_reason="end_turn")
    )
    return LLMInteraction(
        index=index,
        model="claude-sonnet-4-6",
        request=LLMRequest(
            message_count=len(sent),
            new_messages=[to_conversation_message(m) for m in new],
            tools=["read_file"],
        ),
        response=response,
        usage=TokenUsage(input_tokens=100 * index, output_tokens=10, cache_read_tokens=5),
    )


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    trajectory = Trajectory(
        trajectory_id="traj_1",
        task="fix a.py",
        llm_interactions=[
            interaction(1, [TASK], [TASK]),
            interaction(2, [TASK, FIRST_ANSWER, RESULT], [FIRST_ANSWER, RESULT], answer="Done."),
        ],
    )
    path = tmp_path / "traj_1.json"
    path.write_text(trajectory.model_dump_json())
    return path


async def test_replays_the_recorded_answers(recording: Path) -> None:
    model = ReplayModel.from_trajectory(recording)
    assert model.name == "claude-sonnet-4-6"
    first = await model.complete([TASK], tools=[READ])
    assert first.message == FIRST_ANSWER
    assert (first.stop_reason, first.usage) == (
        "tool_use",
        Usage(input_tokens=100, output_tokens=10, cache_read_tokens=5),
    )
    second = await final_response(model.stream([TASK, first.message, RESULT], tools=[READ]))
    assert (second.message.text, second.stop_reason) == ("Done.", "end_turn")


async def test_divergence_names_the_call_and_what_differs(recording: Path) -> None:
    model = ReplayModel.from_trajectory(recording)
    await model.complete([TASK], tools=[READ])
    other = ToolResultMessage(tool_call_id="c9", content="?")
    with pytest.raises(ReplayDivergenceError) as caught:
        await model.complete([TASK, FIRST_ANSWER, other], tools=[READ])
    message = str(caught.value)
    assert "replay diverged at model call 2" in message
    assert "tool result for c1" in message and "tool result for c9" in message


async def test_a_run_longer_than_the_recording_diverges(recording: Path) -> None:
    model = ReplayModel.from_trajectory(recording)
    await model.complete([TASK], tools=[READ])
    answer = await model.complete([TASK, FIRST_ANSWER, RESULT], tools=[READ])
    with pytest.raises(ReplayDivergenceError, match="model call 3: the recording has only 2"):
        await model.complete(
            [TASK, FIRST_ANSWER, RESULT, answer.message, UserMessage(text="more")], tools=[READ]
        )


async def test_tools_and_content_are_checked(recording: Path) -> None:
    model = ReplayModel.from_trajectory(recording)
    with pytest.raises(
        ReplayDivergenceError, match=r"expected tools \['read_file'\], received \[\]"
    ):
        await model.complete([TASK])
    strict = ReplayModel.from_trajectory(recording, check_content=True)
    with pytest.raises(ReplayDivergenceError, match="new message 1 \\(user\\) differs"):
        await strict.complete([UserMessage(text="fix b.py")], tools=[READ])
    lenient = ReplayModel.from_trajectory(recording)
    await lenient.complete([UserMessage(text="fix b.py")], tools=[READ])


async def test_a_fresh_conversation_mid_recording_is_followed(tmp_path: Path) -> None:
    """A planner call then a loop call: the second records all its messages as new."""
    plan = UserMessage(text="plan: fix a.py")
    trajectory = Trajectory(
        trajectory_id="traj_2",
        task="fix a.py",
        llm_interactions=[
            interaction(1, [plan], [plan], answer="1. read a.py"),
            interaction(2, [TASK], [TASK]),
        ],
    )
    model = ReplayModel(calls_from_trajectory(trajectory))
    assert (await model.complete([plan], tools=[READ])).message.text == "1. read a.py"
    assert (await model.complete([TASK], tools=[READ])).message == FIRST_ANSWER
