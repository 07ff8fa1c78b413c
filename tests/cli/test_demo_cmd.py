"""`trae demo` offline: replays the recorded run on a temp copy; the repository stays as it is."""

from __future__ import annotations

from pathlib import Path

from tests.cli.agent_cli import run_trae
from trae_lsp.cli.demo_cmd import DEMO_PROJECT


def test_the_offline_demo_fixes_a_copy_and_says_it_is_a_replay(isolated_home: Path) -> None:
    before = {p: p.read_bytes() for p in DEMO_PROJECT.rglob("*.py")}
    done = run_trae("demo", home=isolated_home)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "replay of a recorded run" in done.stdout
    assert "+    return (ordered[middle - 1] + ordered[middle]) / 2" in done.stdout
    assert "tests after the run: 5 passed" in done.stdout
    assert "estimated cost $" in done.stdout
    assert "trajectory: " in done.stdout
    assert {p: p.read_bytes() for p in DEMO_PROJECT.rglob("*.py")} == before


def test_with_a_model_named_the_demo_asks_that_model(isolated_home: Path) -> None:
    from tests.fakes.anthropic_server import FakeAnthropic
    from trae_lsp.cli.demo_script import calculator_fix_script

    with FakeAnthropic(calculator_fix_script()) as server:
        done = run_trae(
            "demo",
            home=isolated_home,
            server=server,
            extra_env={"TRAE_DEMO_MODEL": "anthropic:claude-sonnet-4-5"},
        )
        models = {request.body["model"] for request in server.requests}

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Live: using the model anthropic:claude-sonnet-4-5" in done.stdout
    assert models == {"claude-sonnet-4-5"}
    assert "tests after the run: 5 passed" in done.stdout
