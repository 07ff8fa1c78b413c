"""Context quality on the shared task set: ours, BM25 over functions and aider's repo map.

Runs `../shared/bench/context/run.py` (the harness; its folder is read-only, results go
to `$XDG_CACHE_HOME/trae-bench/ctxbench/`) for each retriever at budgets 2048 and 8192
and prints the harness's table. The baselines run in the benchmark venv with `aider-chat`
and `rank_bm25` (created once by `benchmarks.context_speed.aider_python`).

    .venv/bin/python -m benchmarks.context_quality [--limit N] [--only ours bm25 aider]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.context_speed import aider_python, cache_dir

BUDGETS = ("2048", "8192")


def bench_dir() -> Path:
    """The shared task set: `$CTXBENCH_DIR`, else `shared/bench/context` beside the checkout."""
    env = os.environ.get("CTXBENCH_DIR")
    return (
        Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "bench" / "context"
    )


def retrievers(baseline_python: Path | None) -> dict[str, str]:
    """Name → command of every retriever that can run here."""
    trae = Path(sys.executable).with_name("trae")
    cmds = {"ours (trae context)": f"{trae} context"}
    if baseline_python is not None:
        base = bench_dir() / "baselines"
        cmds["BM25 over functions"] = f"{baseline_python} {base / 'bm25_chunks.py'}"
        cmds["aider repo map"] = f"{baseline_python} {base / 'aider_repomap.py'}"
    return cmds


def main() -> int:
    """Score every retriever on the task set and print one table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, help="only the first N tasks (quick check)")
    ap.add_argument("--only", nargs="*", help="substrings of retriever names to run")
    args = ap.parse_args()
    run_py = bench_dir() / "run.py"
    if not run_py.is_file():
        print(f"no task set at {run_py}: set CTXBENCH_DIR", file=sys.stderr)
        return 1
    out_dir = cache_dir() / "ctxbench"
    out_dir.mkdir(exist_ok=True)
    outputs = []
    for name, cmd in retrievers(aider_python()).items():
        if args.only and not any(o.lower() in name.lower() for o in args.only):
            continue
        out = out_dir / (name.split(" ")[0].lower() + ".jsonl")
        harness = [sys.executable, str(run_py), "--name", name, "--cmd", cmd, "--budgets", *BUDGETS]
        harness += ["--out", str(out)] + (["--limit", str(args.limit)] if args.limit else [])
        subprocess.run(harness, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        outputs.append(str(out))
    subprocess.run([sys.executable, str(run_py), "--summarize", *outputs], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
