"""`trae demo`: the agent fixes the calculator's median bug on a temp copy, offline by default.

Offline it replays a recorded run of this agent (`examples/trajectories/`); with
`ANTHROPIC_API_KEY` or `TRAE_DEMO_MODEL` set it asks the real model. `--record`
re-records the trajectory by driving the agent with a scripted model.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from trae_lsp.agent.trae_agent import TraeAgent
from trae_lsp.cli.demo_script import DEMO_TASK, calculator_fix_script
from trae_lsp.cli.driver import drive, exit_code
from trae_lsp.cli.render import render_result
from trae_lsp.errors import TraeError
from trae_lsp.llm.model import Model
from trae_lsp.llm.replay import ReplayModel
from trae_lsp.llm.scripted import ScriptedModel

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
"""The source checkout's sample projects (not shipped in wheels)."""

DEMO_PROJECT = EXAMPLES_DIR / "calculator"
DEMO_TRAJECTORY = EXAMPLES_DIR / "trajectories" / "calculator-fix.traj.json"
"""The recorded run the offline demo replays."""

DEMO_MODEL_VARIABLES = ("TRAE_DEMO_MODEL", "ANTHROPIC_API_KEY")
"""Either one set: the demo asks a real model (TRAE_DEMO_MODEL names it)."""

COPY_IGNORE = shutil.ignore_patterns(".pytest_cache", "__pycache__", ".trae")


def demo(
    record: Annotated[
        bool,
        typer.Option("--record", help="Re-record the offline demo's trajectory (scripted model)."),
    ] = False,
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep the temp copy of the project.")
    ] = False,
) -> None:
    """Fix the sample project's median bug on a temp copy: diff, tests, cost, trajectory."""
    if not DEMO_PROJECT.is_dir():
        raise TraeError(f"{DEMO_PROJECT} is missing; run `trae demo` from a source checkout")
    console = Console()
    # The demo's shell commands run `python -m pytest`: make that the Python running trae,
    # without the plugins of trae's own environment (the sample project needs none).
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    workdir = Path(tempfile.mkdtemp(prefix="trae-demo-"))
    try:
        project = Path(shutil.copytree(DEMO_PROJECT, workdir / "calculator", ignore=COPY_IGNORE))
        model = _demo_model(record, console)
        agent = TraeAgent(model=model, project_path=project, record_trajectory=True)
        result = drive(agent, DEMO_TASK, console)
        render_result(console, result)
        if isinstance(model, ReplayModel | ScriptedModel):
            console.print("[dim](no model was called, so tokens and cost are 0)[/dim]")
        tests_pass = _run_tests(project, console)
        if record and result.trajectory_path is not None and tests_pass:
            DEMO_TRAJECTORY.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(result.trajectory_path, DEMO_TRAJECTORY)
            console.print(f"recorded: {DEMO_TRAJECTORY}", highlight=False)
        code = exit_code(result) or (0 if tests_pass else 1)
    finally:
        if keep:
            console.print(f"project copy kept at {workdir}", highlight=False)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    raise typer.Exit(code)


def _demo_model(record: bool, console: Console) -> Model | str | None:
    """The scripted model (recording), a real one (key or name set), or the replay (offline)."""
    if record:
        console.print("[bold]Recording:[/bold] a scripted model plays the model's part.")
        return ScriptedModel(calculator_fix_script(), name="scripted-demo")
    if any(os.environ.get(name) for name in DEMO_MODEL_VARIABLES):
        spec = os.environ.get("TRAE_DEMO_MODEL") or None
        console.print(f"[bold]Live:[/bold] using the model {spec or 'from your configuration'}.")
        return spec
    if not DEMO_TRAJECTORY.is_file():
        raise TraeError(f"{DEMO_TRAJECTORY} is missing; re-record it with `trae demo --record`")
    console.print(
        "[bold]Offline:[/bold] this is a replay of a recorded run of this agent "
        f"({DEMO_TRAJECTORY.relative_to(EXAMPLES_DIR.parent)}, recorded with "
        "`trae demo --record`, where a scripted model plays the model's part). The tools, "
        "the edit and the tests run for real. Set ANTHROPIC_API_KEY or TRAE_DEMO_MODEL "
        "to use a real model.",
        highlight=False,
    )
    return ReplayModel.from_trajectory(DEMO_TRAJECTORY)


def _run_tests(project: Path, console: Console) -> bool:
    """Run the copy's test suite once more, independently of the agent, and show the verdict."""
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    verdict = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else ""
    style = "green" if completed.returncode == 0 else "red"
    console.print(f"tests after the run: [{style}]{verdict or 'no output'}[/{style}]")
    return completed.returncode == 0
