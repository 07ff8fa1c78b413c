"""Language server responsiveness: idle vs. while three agent runs work.

Starts `trae lsp` over stdio as an editor would, opens a big Python document
(stdlib source, ~10k lines) and measures, p50/p99 over many requests:

- `textDocument/codeAction` at changing positions (symbol-aware listing);
- a `didChange` (one keystroke) followed by a `codeAction` request, timed
  until its response (the round trip an editor waits for after typing).

Then it starts three agent runs (`trae.runTask`, one per document, each its
own big file) driven by a scripted model that waits before every answer (a
slow provider), runs shell commands and views the big files, and measures the
same while they are in progress (each run works in its own worker process).
Prints the table with the loaded/idle ratios, the worst loaded sample (the
runs' start: workers spawning, three big documents parsed) and the machine's
load average, since other processes on the machine skew every figure.
Before the idle phase one short agent run goes to its end (an editor session
that has been used once: the workers' fork server is up).
Run: `.venv/bin/python -m benchmarks.lsp_latency`; with `--steady` the loaded
measurement starts only once every run has reported its first step (its
worker has started), which separates the runs' start from their steady state;
`--samples N` sets the requests per row (500: the loaded codeAction row then
spans the runs' first second or so, the typing row most of their run).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient, make_test_lsp_client

SAMPLES = 500
"""Requests per measurement (`--samples`): enough for a p99 that is not just the runner-up
of a handful of outliers (with 150, p99 is the second-worst sample)."""

RUNS = 3
"""Concurrent agent runs under load."""

STEPS = 80
"""Model turns per agent run (each after `DELAY` seconds)."""

DELAY = 0.15
"""Seconds the scripted model waits before each answer."""

MODULES = ("argparse", "typing", "inspect", "difflib", "ast")
"""Stdlib modules whose source makes each big document."""


def big_source() -> str:
    """~10k lines of real Python."""
    return "".join(inspect.getsource(import_module(name)) for name in MODULES)


def agent_script(target: str) -> list[dict[str, Any]]:
    """A long run: shell commands and views of a big file, then `task_done`."""
    items: list[dict[str, Any]] = []
    for step in range(STEPS - 1):
        call = (
            {"tool": "shell", "arguments": {"command": "ls -la"}}
            if step % 2
            else {"tool": "view", "arguments": {"path": target}}
        )
        items.append({**call, "delay": DELAY})
    items.append({"tool": "task_done", "arguments": {"summary": "looked"}, "delay": DELAY})
    return items


def warm_up_script(target: str) -> list[dict[str, Any]]:
    """The warm-up run: one view of a big file, then `task_done`."""
    return [
        {"tool": "view", "arguments": {"path": target}},
        {"tool": "task_done", "arguments": {"summary": "warmed up"}},
    ]


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p99) in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


async def timed(work: Callable[[], Awaitable[object]], count: int) -> list[float]:
    """Wall time of `count` calls of `work`."""
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        await work()
        samples.append(time.perf_counter() - start)
    return samples


class Session:
    """A client on `trae lsp` with one big document open."""

    def __init__(self, client: LanguageClient, uri: str, text: str) -> None:
        self.client = client
        self.uri = uri
        self.lines = text.count("\n")
        self.version = 1
        self.line = 0

    async def code_action(self) -> object:
        """One code action request at the next line."""
        self.line = (self.line + 97) % self.lines
        here = types.Position(line=self.line, character=4)
        return await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=self.uri),
                range=types.Range(start=here, end=here),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )

    async def type_then_ask(self) -> object:
        """One keystroke (`didChange`), then a code action request."""
        self.version += 1
        here = types.Position(line=self.line, character=0)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=here, end=here), text="#"
                    )
                ],
            )
        )
        return await self.code_action()

    async def measure(self, count: int) -> dict[str, list[float]]:
        """Both measurements, `count` requests each."""
        return {
            "codeAction": await timed(self.code_action, count),
            "didChange → codeAction": await timed(self.type_then_ask, count),
        }


def open_document(client: LanguageClient, path: Path, text: str) -> str:
    """`didOpen` a document; its URI."""
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=text
            )
        )
    )
    return uri


async def start_runs(client: LanguageClient, root: Path, text: str) -> list[asyncio.Task[Any]]:
    """Three long agent runs, one per big document."""
    runs = []
    for number in range(RUNS):
        path = root / f"work{number}.py"
        path.write_text(text)
        uri = open_document(client, path, text)
        params = types.ExecuteCommandParams(
            command="trae.runTask", arguments=[{"uri": uri, "task": f"look at {path.name}"}]
        )
        runs.append(asyncio.ensure_future(client.workspace_execute_command_async(params)))
    return runs


async def warm_up(client: LanguageClient, uri: str) -> None:
    """One short agent run to its end, as in an editor that has been used once."""
    params = types.ExecuteCommandParams(
        command="trae.runTask", arguments=[{"uri": uri, "task": "warm up"}]
    )
    result = await client.workspace_execute_command_async(params)
    if result["status"] != "completed":
        raise RuntimeError(f"the warm-up run did not complete: {result}")


async def session(root: Path, *, steady: bool, count: int) -> dict[str, dict[str, list[float]]]:
    """Idle and loaded measurements against one server."""
    text = big_source()
    scripts = root.parent / "scripts"
    scripts.mkdir()
    script = scripts / "run.json"
    script.write_text(json.dumps(warm_up_script("big.py")))
    client = make_test_lsp_client()
    await client.start_io(sys.executable, "-m", "trae_lsp.cli", "lsp")
    await client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                window=types.WindowClientCapabilities(work_done_progress=True)
            ),
            root_uri=root.as_uri(),
            initialization_options={
                "model": f"scripted:{script}",
                "autoRecord": False,
                "maxConcurrentAgents": RUNS,
            },
        )
    )
    (root / "big.py").write_text(text)
    measured = Session(client, open_document(client, root / "big.py", text), text)
    await warm_up(client, measured.uri)
    script.write_text(json.dumps(agent_script("work0.py")))  # each worker reads it at its start
    await measured.code_action()
    idle = await measured.measure(count)
    warm_up_progress = set(client.progress_reports)
    runs = await start_runs(client, root, text)
    started = 2 if steady else 1  # progress begin, then (steady) the first step's report
    while (
        sum(
            len(reports) >= started
            for token, reports in client.progress_reports.items()
            if token not in warm_up_progress
        )
        < RUNS
    ):
        await client.wait_for_notification(types.PROGRESS)
    loaded = await measured.measure(count)
    still_running = sum(not run.done() for run in runs)
    await asyncio.gather(*runs)
    await client.shutdown_session()
    if still_running < RUNS:
        print(f"warning: only {still_running} runs were still working at the end of the load")
    return {"idle": idle, "loaded": loaded}


def main() -> None:
    """Measure and print the table."""
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--steady", action="store_true", help="load from each run's 1st step")
    options.add_argument("--samples", type=int, default=SAMPLES, help="requests per row")
    args = options.parse_args()
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        results = asyncio.run(session(root, steady=args.steady, count=args.samples))
    print(
        f"{args.samples} requests each; "
        f"load = {RUNS} agent runs ({STEPS} turns, {DELAY}s per answer)"
    )
    start = "after each run's first step" if args.steady else "from the runs' start"
    print(f"load measured {start}")
    print(f"machine load average (1 min): {before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(
        f"{'request':<24}{'idle p50':>10}{'idle p99':>10}{'load p50':>10}{'load p99':>10}"
        f"{'p99 x':>8}{'load max':>10}"
    )
    for name in results["idle"]:
        idle50, idle99 = percentiles(results["idle"][name])
        load50, load99 = percentiles(results["loaded"][name])
        worst = max(results["loaded"][name]) * 1000
        print(
            f"{name:<24}{idle50:>8.1f}ms{idle99:>8.1f}ms{load50:>8.1f}ms{load99:>8.1f}ms"
            f"{load99 / idle99:>8.2f}{worst:>8.1f}ms"
        )


if __name__ == "__main__":
    main()
