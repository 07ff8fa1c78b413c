"""The language server's form: `arun` on a Workspace it prepared (propose mode, open buffers)."""

from __future__ import annotations

from pathlib import Path

from trae import TraeAgent
from trae_lsp.cli.demo_script import BUGGY_RETURN, FIXED_RETURN, calculator_fix_script
from trae_lsp.events import AgentEvent, ChangeProposed, RunStatus
from trae_lsp.llm.scripted import ScriptedModel
from trae_lsp.workspace import Workspace, WorkspaceMode

STATS = "calculator/stats.py"


async def test_arun_edits_the_editor_buffer_and_leaves_disk_alone(calculator: Path) -> None:
    on_disk = (calculator / STATS).read_text()
    buffer = on_disk.replace('"""Middle value', '"""The middle value')  # unsaved editor text
    workspace = Workspace(calculator, mode=WorkspaceMode.PROPOSE)
    workspace.set_buffer(STATS, buffer, version=7)
    events: list[AgentEvent] = []
    agent = TraeAgent(model=ScriptedModel(calculator_fix_script()), project_path=calculator)

    result = await agent.arun("fix median", workspace=workspace, listener=events.append)

    assert result.status is RunStatus.COMPLETED, result.error
    [change] = result.changes
    assert change.version == 7  # computed against the buffer the editor has
    assert change.new == buffer.replace(BUGGY_RETURN, FIXED_RETURN)
    assert (calculator / STATS).read_text() == on_disk
    assert [e.file for e in events if isinstance(e, ChangeProposed)] == [STATS]
    assert "Verified" in result.summary  # tests ran in the shadow copy with the buffer
    workspace.close()
