"""Child process for the crash test: an agent run whose model hangs after a few tool steps.

Usage: crash_agent_child.py PROJECT_DIR. Prints `hanging` once the model blocks.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from typing import Any

from tests.agent.conftest import plan_response
from trae import TraeAgent
from trae_lsp.llm.messages import Message, Response
from trae_lsp.llm.scripted import ScriptedModel, tool_call_response


class HangsAfterScript(ScriptedModel):
    """Answers from its script, then announces itself and never answers again."""

    async def complete(self, messages: Sequence[Message], **kwargs: Any) -> Response:
        if self.remaining:
            return await super().complete(messages, **kwargs)
        print("hanging", flush=True)
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


def main(project: str) -> None:
    edit = tool_call_response("write_file", {"path": "notes.txt", "content": "half way\n"})
    view = tool_call_response("view", {"path": "notes.txt"})
    model = HangsAfterScript([plan_response("Write notes"), edit, view])
    TraeAgent(model=model, project_path=project).run("write notes, then wait forever")


if __name__ == "__main__":
    main(sys.argv[1])
