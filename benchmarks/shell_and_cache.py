"""Shell policy, sandboxes and tool caches: what each layer costs per call.

Prints the policy's check time over the test corpora, the time to run `true` on the
host and under bubblewrap, N concurrent one-second commands against the same run
serially, and get/set latency of the filesystem and Redis caches.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from trae_lsp.cache import FileSystemCache, RedisCache, ToolCache, cache_key, content_hash
from trae_lsp.sandbox import BubblewrapSandbox, LocalSandbox, RunLimits, Sandbox
from trae_lsp.security.shell_policy import ShellPolicy
from trae_lsp.tools.shell_executor import ShellExecutor

CORPORA = Path(__file__).parent.parent / "tests" / "data" / "shell_policy"
"""The policy's bypass and legitimate corpora, shared with the tests."""

RUNS = 30
"""Repetitions per measurement; the median is reported."""

CONCURRENT = 4
"""Commands run at once in the concurrency measurement."""


def _median_us(action: Callable[[], object], runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def _commands() -> list[str]:
    lines = []
    for name in ("denied.txt", "allowed.txt"):
        for line in (CORPORA / name).read_text(encoding="utf-8").splitlines():
            if line[:2] not in ("", "##"):
                lines.append(json.loads(line[5:]) if line.startswith("json:") else line)
    return lines


def _policy_row(root: Path) -> tuple[str, str]:
    policy = ShellPolicy(**json.loads((CORPORA / "policy.json").read_text(encoding="utf-8")))
    commands = _commands()
    per_corpus = _median_us(lambda: [policy.check(c, project_root=root) for c in commands])
    return f"policy.check ({len(commands)} commands)", f"{per_corpus / len(commands):.0f} µs/cmd"


def _sandbox_row(sandbox: Sandbox, root: Path) -> tuple[str, str]:
    limits = RunLimits(timeout_seconds=30)

    def run() -> None:
        asyncio.run(sandbox.run("true", root=root, cwd=root, env={}, limits=limits))

    return f"run `true` ({sandbox.name})", f"{_median_us(run, 10) / 1000:.1f} ms"


def _concurrency_row(root: Path) -> tuple[str, str]:
    shell = ShellExecutor(root)

    async def together() -> None:
        await asyncio.gather(*(shell.arun("sleep 1") for _ in range(CONCURRENT)))

    start = time.perf_counter()
    asyncio.run(together())
    wall = time.perf_counter() - start
    return f"{CONCURRENT} x `sleep 1` at once (serial: {CONCURRENT} s)", f"{wall:.2f} s"


def _cache_rows(cache: ToolCache, label: str) -> list[tuple[str, str]]:
    key = cache_key("read_file", {"path": "package.json"}, {"package.json": content_hash("{}")})
    value = "x" * 4096
    set_us = _median_us(lambda: cache.set(key, value), 200)
    get_us = _median_us(lambda: cache.get(key), 200)
    return [(f"{label} set 4 KiB", f"{set_us:.0f} µs"), (f"{label} get 4 KiB", f"{get_us:.0f} µs")]


def _redis_rows() -> list[tuple[str, str]]:
    binary = shutil.which("redis-server")
    if binary is None:
        return [("redis cache", "skipped: redis-server not installed")]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert server.stdout is not None
    for line in server.stdout:
        if b"Ready to accept connections" in line:
            break
    try:
        cache = RedisCache("127.0.0.1", port, 3600)
        rows = _cache_rows(cache, "redis cache")
        cache.close()
        return rows
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    """Measure every layer and print one table."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rows = [_policy_row(root), _sandbox_row(LocalSandbox(), root)]
        if shutil.which("bwrap"):
            rows.append(_sandbox_row(BubblewrapSandbox(), root))
        rows.append(_concurrency_row(root))
        rows += _cache_rows(FileSystemCache(root / "cache"), "filesystem cache")
        rows += _redis_rows()
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
