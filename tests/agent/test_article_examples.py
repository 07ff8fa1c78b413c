"""The article's Python examples, run as written; only paths point at temp projects.

Where the article passes a model *name*, the `models_for_names` fixture makes
`create_model` (through `trae_lsp.agent.resolve`, the agent's one place that builds
a model from a name) return the next scripted model, and records the names asked for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.agent.conftest import plan_response
from trae_lsp.config_layers import LoadedConfig
from trae_lsp.llm.messages import Usage
from trae_lsp.llm.model import Model
from trae_lsp.llm.scripted import ScriptedModel, tool_call_response

ARTICLE_MODEL = "claude-3-7-sonnet-latest"


class ModelsForNames:
    """Scripted models handed out, in order, for each model name the agent resolves."""

    def __init__(self) -> None:
        self.queue: list[ScriptedModel] = []
        self.names: list[str | None] = []

    def add(self, *responses: Any) -> ScriptedModel:
        model = ScriptedModel(responses, name=ARTICLE_MODEL)
        self.queue.append(model)
        return model

    def create_model(self, spec: str | None, loaded: LoadedConfig, **_: object) -> Model:
        self.names.append(spec)
        return self.queue.pop(0)


@pytest.fixture
def models_for_names(monkeypatch: pytest.MonkeyPatch) -> ModelsForNames:
    models = ModelsForNames()
    monkeypatch.setattr("trae_lsp.agent.resolve.create_model", models.create_model)
    return models


def done(summary: str = "done", **kwargs: Any) -> Any:
    return tool_call_response("task_done", {"summary": summary}, **kwargs)


def test_task_planner(models_for_names: ModelsForNames, calculator: Path) -> None:
    model = models_for_names.add(plan_response("Add a JWT module", "Add login endpoint"))
    from trae import TaskPlanner

    planner = TaskPlanner(model="claude-3-7-sonnet-latest")

    plan = planner.plan(
        task="Build a REST API for user authentication with JWT tokens",
        codebase_context=str(calculator),
    )

    for step in plan.steps:
        print(f"Step {step.index}: {step.description}")
        print(f"  Tools: {step.required_tools}")
        print(f"  Files: {step.affected_files}")
    assert [s.description for s in plan.steps] == ["Add a JWT module", "Add login endpoint"]
    assert models_for_names.names == [ARTICLE_MODEL]
    assert "calculator/stats.py" in first_text(model)  # the project, described


def test_python_api_basic_usage(
    models_for_names: ModelsForNames, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit = tool_call_response("write_file", {"path": "api/pagination.py", "content": "PAGE = 20\n"})
    models_for_names.add(plan_response("Add pagination"), edit, done("paginated"))
    from trae import TraeAgent

    agent = TraeAgent(
        model="claude-3-7-sonnet-latest", project_path=str(tmp_path), record_trajectory=True
    )

    # Run a task
    result = agent.run(
        task="Implement pagination for the products API endpoint",
        context="We use FastAPI with SQLAlchemy and PostgreSQL",
    )

    print("Status:", result.status)
    print("Files modified:", result.modified_files)
    print("Trajectory:", result.trajectory_path)

    # Check what changed
    for change in result.changes:
        print(f"\n{change.file}:")
        print(change.diff)

    out = capsys.readouterr().out
    assert "Status: completed" in out
    assert "Files modified: ['api/pagination.py']" in out
    assert "+PAGE = 20" in out
    assert result.trajectory_path is not None and result.trajectory_path.is_file()
    assert "Not verified: no test suite found" in result.summary


def test_custom_tool_integration(
    models_for_names: ModelsForNames, calculator: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(calculator)  # the article's agent has no project_path: the current dir
    inspect = tool_call_response("database_inspector", {"action": "get_schema", "table": "orders"})
    explain = tool_call_response("database_inspector", {"action": "explain", "sql": "SELECT 1"})
    bogus = tool_call_response("database_inspector", {"action": "drop"})
    model = models_for_names.add(plan_response(), inspect, explain, bogus, done("optimized"))
    from typing import Any  # noqa: F401 (the article's import, kept as written)

    from trae import TraeAgent
    from trae.tools import BaseTool

    class DatabaseInspector(BaseTool):
        name = "database_inspector"
        description = "Inspect database schema and query execution plans"

        def __init__(self, connection_string: str):
            self.connection_string = connection_string

        def get_schema(self, table: str) -> dict:  # type: ignore[type-arg]
            """Return column definitions for a table."""
            # Connect and query information_schema
            return {"table": table, "columns": ["id", "total"]}

        def explain_query(self, sql: str) -> str:
            """Run EXPLAIN ANALYZE on a query."""
            return f"Seq Scan ({sql})"

        def execute(self, action: str, **kwargs: Any) -> Any:
            if action == "get_schema":
                return self.get_schema(kwargs["table"])
            elif action == "explain":
                return self.explain_query(kwargs["sql"])
            raise ValueError(f"Unknown action: {action}")

    # Register and use
    agent = TraeAgent(model="claude-3-7-sonnet-latest")
    agent.register_tool(DatabaseInspector("postgresql://localhost/mydb"))

    result = agent.run(
        "Optimize the slow queries in the reporting module",
        tools=["database_inspector", "read_file", "write_file"],
    )

    assert result.status == "completed"
    offered = [tool.name for tool in model.requests[1].tools]
    assert offered == ["database_inspector", "read_file", "write_file", "task_done"]
    results = [m for m in model.requests[4].messages if m.role == "tool"]
    assert json.loads(results[-3].content) == {"table": "orders", "columns": ["id", "total"]}
    assert results[-2].content == "Seq Scan (SELECT 1)"
    assert results[-1].is_error and "Unknown action: drop" in results[-1].content


def test_multi_step_workflow(models_for_names: ModelsForNames, tmp_path: Path) -> None:
    note = tool_call_response("write_file", {"path": "PLAN.md", "content": "1. OAuth2\n"})
    research = models_for_names.add(plan_response(), done("researched OAuth2"))
    models_for_names.add(plan_response(), note, done("planned"))
    implement = models_for_names.add(plan_response(), done("implemented"))
    models_for_names.add(plan_response(), done("tested"))
    from trae import TraeAgent, Workflow

    # Define a multi-step workflow
    workflow = Workflow(name="feature-implementation")

    workflow.add_step(
        name="research",
        task="Research best practices for implementing {feature}",
        tools=["web_search", "read_file"],
    )

    workflow.add_step(
        name="plan",
        task="Create an implementation plan based on the research",
        depends_on=["research"],
        tools=["write_file"],
    )

    workflow.add_step(
        name="implement",
        task="Implement the feature following the plan",
        depends_on=["plan"],
        tools=["read_file", "write_file", "shell"],
    )

    workflow.add_step(
        name="test",
        task="Write and run tests for the implementation",
        depends_on=["implement"],
        tools=["read_file", "write_file", "shell"],
    )

    # Execute the workflow
    agent = TraeAgent(model="claude-3-7-sonnet-latest", project_path=str(tmp_path))
    results = agent.run_workflow(workflow, variables={"feature": "OAuth2 authentication"})

    for step_name, result in results.items():
        print(f"{step_name}: {result.status}")
    statuses = {name: str(result.status) for name, result in results.items()}
    assert list(statuses) == ["research", "plan", "implement", "test"]
    assert all(status == "completed" for status in statuses.values()), results
    assert "research (completed)" not in first_text(research)
    assert "not available here: web_search" in first_loop_text(research)
    assert "Changed files: PLAN.md" in first_loop_text(implement)
    assert "Research best practices for implementing OAuth2 authentication" in first_text(research)


def first_text(model: ScriptedModel) -> str:
    """The planner prompt a model got."""
    return str(model.requests[0].messages[0].model_dump().get("text", ""))


def first_loop_text(model: ScriptedModel) -> str:
    """The message that started the agent loop (task, context from dependencies, plan)."""
    return str(model.requests[1].messages[-1].model_dump().get("text", ""))


def test_token_budget_management(
    models_for_names: ModelsForNames, calculator: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    usage = Usage(input_tokens=3_000, output_tokens=200, cache_read_tokens=1_000)
    models_for_names.add(plan_response(usage=usage), done("refactored", usage=usage))
    from trae import TokenBudget, TraeAgent

    # Set a strict token budget
    budget = TokenBudget(max_input_tokens=50_000, max_output_tokens=10_000, warn_at_percent=80)

    agent = TraeAgent(
        model="claude-3-7-sonnet-latest", project_path=str(calculator), token_budget=budget
    )

    # Budget-aware task execution
    result = agent.run(
        task="Refactor the authentication module",
        budget_strategy="conservative",  # Summarize context aggressively
    )

    print("Tokens used:", result.token_usage)
    print("Estimated cost:", result.estimated_cost_usd)
    assert result.token_usage.total_tokens == 2 * 4_200
    # claude-3-7-sonnet: $3/M input, $15/M output, cache reads at $0.30/M
    assert result.estimated_cost_usd == pytest.approx(2 * (0.009 + 0.003 + 0.0003))
    assert "Estimated cost: 0.0245" in capsys.readouterr().out


def test_command_allowlist(models_for_names: ModelsForNames) -> None:
    from trae import TraeAgent
    from trae.security import ShellPolicy

    # Restrict which commands the agent can run
    policy = ShellPolicy(
        allowed_commands=["pytest", "python", "pip", "git status", "git diff"],
        blocked_patterns=["rm -rf", "sudo", "curl", "wget", "ssh"],
        require_confirmation=["git commit", "git push"],
    )

    agent = TraeAgent(model="claude-3-7-sonnet-latest", shell_policy=policy)
    assert agent.shell_policy is policy
    assert models_for_names.names == []  # the model is built when a run starts


def test_caching_strategies(
    models_for_names: ModelsForNames,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"left-pad": "1.0.0"}}\n')
    monkeypatch.chdir(tmp_path)
    view = tool_call_response("view", {"path": "package.json"})
    models_for_names.add(plan_response(), view, done("analyzed"))
    models_for_names.add(plan_response(), view, done("listed"))
    from trae import TraeAgent
    from trae.cache import FileSystemCache

    # Cache file reads and web searches
    cache = FileSystemCache(ttl_seconds=3600)

    agent = TraeAgent(model="claude-3-7-sonnet-latest", tool_cache=cache)

    # First run: all tools execute normally
    result1 = agent.run("Analyze dependencies in package.json")

    # Second run with same context: cached tool calls reused
    result2 = agent.run("List outdated packages in package.json")
    print("Cache hit rate:", result2.cache_hit_rate)

    assert (result1.cache_hit_rate, result2.cache_hit_rate) == (0.0, 1.0)
    assert "Cache hit rate: 1.0" in capsys.readouterr().out


def test_an_edited_file_is_never_served_from_the_cache(
    models_for_names: ModelsForNames, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("old\n")
    view = tool_call_response("view", {"path": "notes.txt"})
    edit = tool_call_response("write_file", {"path": "notes.txt", "content": "new\n"})
    model = models_for_names.add(plan_response(), view, edit, view, done())
    from trae import TraeAgent
    from trae.cache import FileSystemCache

    cache = FileSystemCache(tmp_path / "cache")
    result = TraeAgent(model=ARTICLE_MODEL, project_path=tmp_path, tool_cache=cache).run("edit")

    assert result.cache_hit_rate == 0.0
    assert "new" in model.requests[-1].messages[-1].model_dump()["content"]
