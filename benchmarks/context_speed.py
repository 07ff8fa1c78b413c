"""Context engine speed on Django (sdist from PyPI) next to aider's RepoMap on the same tree.

Each step runs in its own process and is timed inside it (interpreter start-up excluded),
for ours and for aider alike. Downloads go to `$XDG_CACHE_HOME/trae-bench` (default
`~/.cache/trae-bench`): the Django sdist and a venv with `aider-chat`.

    .venv/bin/python -m benchmarks.context_speed [--django 5.2.8] [--budget 4096] [--repeats 3]

With `--repeats N` the cold step runs N times, ours and aider's taking turns (so a change in
machine load hits both); the table shows the medians and the turns' ratios follow it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

DJANGO_VERSION = "5.2.8"
AIDER_VERSION = "0.86.2"
QUERY = (
    "QuerySet.bulk_create() with update_conflicts=True ignores unique_fields on SQLite "
    "and generates an invalid ON CONFLICT clause"
)
WARM_QUERIES = (
    QUERY,
    "Migration autodetector crashes when renaming a model and a ForeignKey in one step",
    "Admin changelist search does not escape percent signs in the search term",
    "Template engine: {% include %} with a missing template should name the template",
    "Paginator.get_page() raises on a negative page number instead of returning the last page",
)
"""Different tasks for the warm-map timings, so no answer is served from a cache."""
EDITED_FILE = "django/db/models/query.py"
TYPICAL_FILE = "django/utils/text.py"
REPEATS = 5

AIDER_DRIVER = r"""
import contextlib, json, os, re, shutil, sys, time
root, budget, query, phase, files = sys.argv[1:6]
budget = int(budget)
with contextlib.redirect_stdout(sys.stderr):
    from aider.io import InputOutput
    from aider.repomap import RepoMap

    class CharModel:
        def token_count(self, text):
            return (len(text) + 3) // 4

    if phase == "cold":
        shutil.rmtree(os.path.join(root, ".aider.tags.cache.v4"), ignore_errors=True)
    abs_files = [os.path.join(root, f) for f in open(files).read().split("\n") if f]
    io = InputOutput(pretty=False, yes=True, fancy_input=False)
    t0 = time.perf_counter()
    rm = RepoMap(map_tokens=budget, root=root, main_model=CharModel(), io=io,
                 max_context_window=None, refresh="always")
    text = rm.get_repo_map(set(), set(abs_files), mentioned_fnames=set(),
                           mentioned_idents=set(re.split(r"\W+", query))) or ""
    ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "tokens": (len(text) + 3) // 4}))
"""


def cache_dir() -> Path:
    """Where downloads and venvs of the benchmarks live."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "trae-bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def django_tree(version: str) -> Path:
    """Download (once) the Django sdist from PyPI and unpack it; returns the source tree."""
    cache = cache_dir()
    tree = cache / f"django-{version}"
    if not tree.is_dir():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"django=={version}",
                "-d",
                str(cache),
            ],
            check=True,
        )
        with tarfile.open(next(cache.glob(f"[Dd]jango-{version}.tar.gz"))) as tar:
            tar.extractall(cache, filter="data")
    return tree


def aider_python() -> Path | None:
    """A venv with aider-chat (created once); None when it cannot be installed."""
    venv = cache_dir() / "aider-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if subprocess.run([str(python), "-c", "import aider.repomap"], capture_output=True).returncode:
        pip = [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            f"aider-chat=={AIDER_VERSION}",
            "rank_bm25",
        ]
        if subprocess.run(pip).returncode != 0:
            print("aider-chat could not be installed: comparing ours only", file=sys.stderr)
            return None
    return python


def _phase(name: str, root: Path, budget: int) -> dict[str, float]:
    """Run one of our steps in a fresh process; it prints its own timings as JSON."""
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.context_speed",
        "--phase",
        name,
        "--root",
        str(root),
        "--budget",
        str(budget),
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out))


def _aider(python: Path, root: Path, budget: int, phase: str, files: Path) -> float:
    script = cache_dir() / "aider_speed_driver.py"
    script.write_text(AIDER_DRIVER)
    cmd = [str(python), str(script), str(root), str(budget), QUERY, phase, str(files)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return float(json.loads(out.strip().splitlines()[-1])["ms"])


def run_phase(name: str, root: Path, budget: int) -> dict[str, float]:
    """One measured step of ours, inside this process."""
    from trae_lsp.context.engine import ContextEngine

    if name == "cold":
        shutil.rmtree(root / ".trae", ignore_errors=True)
    t0 = time.perf_counter()
    engine = ContextEngine(root)
    stats = engine.refresh()
    t1 = time.perf_counter()
    ctx = engine.repo_map(QUERY, budget=budget)
    t2 = time.perf_counter()
    result = {
        "refresh_ms": (t1 - t0) * 1000,
        "map_ms": (t2 - t1) * 1000,
        "total_ms": (t2 - t0) * 1000,
        "files": stats.files,
        "parsed": stats.parsed,
        "tokens": ctx.tokens,
    }
    if name == "warm":
        result.update(_in_process(engine, budget))
    engine.close()
    return result


def _in_process(engine: object, budget: int) -> dict[str, float]:
    """Warm, long-lived-process timings: maps for a query, buffer updates of one file."""
    from trae_lsp.context.engine import ContextEngine

    assert isinstance(engine, ContextEngine)
    maps, assembles = [], []
    for query in WARM_QUERIES:
        t = time.perf_counter()
        engine.repo_map(query, budget=budget)
        maps.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        engine.assemble(query, budget=budget)
        assembles.append((time.perf_counter() - t) * 1000)
    out = {"warm_map_ms": statistics.median(maps), "warm_assemble_ms": statistics.median(assembles)}
    for label, rel in (("typical", TYPICAL_FILE), ("largest", EDITED_FILE)):
        text = engine.index.read_text(rel)
        times = []
        for i in range(REPEATS):
            t = time.perf_counter()
            engine.index.update_text(rel, text + f"\n# edit {i}\n")
            times.append((time.perf_counter() - t) * 1000)
        engine.index.close_buffer(rel)
        out[f"update_{label}_ms"] = statistics.median(times)
        out[f"{label}_lines"] = text.count("\n")
    engine.refresh()
    return out


def _edit(root: Path) -> str:
    path = root / EDITED_FILE
    original = path.read_text()
    path.write_text(original + "\n\ndef benchmark_added():\n    return 1\n")
    return original


def main() -> int:
    """Measure ours and aider's on the same Django tree and print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--django", default=DJANGO_VERSION)
    ap.add_argument("--budget", type=int, default=4096)
    ap.add_argument(
        "--repeats", type=int, default=1, help="cold runs, ours and aider's taking turns"
    )
    ap.add_argument("--phase")
    ap.add_argument("--root")
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, Path(args.root), args.budget)))
        return 0
    root = django_tree(args.django)
    python = aider_python()
    ours: dict[str, dict[str, float]] = {}
    theirs: dict[str, float] = {}
    ours["cold"], theirs_cold, ratios = _cold_turns(root, args.budget, python, args.repeats)
    ours["warm"] = _phase("warm", root, args.budget)
    original = _edit(root)
    try:
        ours["edit"] = _phase("edit", root, args.budget)
    finally:
        (root / EDITED_FILE).write_text(original)
    _phase("restore", root, args.budget)
    if python is not None:
        theirs = _run_aider(python, root, args.budget, theirs_cold)
    _report(ours, theirs, root, args.budget)
    if len(ratios) > 1:
        shown = ", ".join(f"{r:.1f}x" for r in ratios)
        print(f"\ncold aider / ours, {len(ratios)} runs taking turns: {shown}; median shown above")
    return 0


def _cold_turns(
    root: Path, budget: int, python: Path | None, repeats: int
) -> tuple[dict[str, float], float | None, list[float]]:
    """Cold runs of ours and aider's taking turns, so a change in machine load hits both.

    Returns our median run (by total), aider's median time and each turn's ratio.
    """
    ours: list[dict[str, float]] = []
    theirs: list[float] = []
    for _ in range(max(repeats, 1)):
        ours.append(_phase("cold", root, budget))
        if python is not None:
            theirs.append(_aider(python, root, budget, "cold", _aider_files(root)))
    ratios = [t / o["total_ms"] for o, t in zip(ours, theirs, strict=False)]
    ours.sort(key=lambda r: r["total_ms"])
    median_theirs = statistics.median(theirs) if theirs else None
    return ours[len(ours) // 2], median_theirs, ratios


def _aider_files(root: Path) -> Path:
    """The file list aider maps: exactly the files our index holds."""
    from trae_lsp.context.index import ContextIndex

    index = ContextIndex(root)
    files = cache_dir() / "aider_files.txt"
    files.write_text("\n".join(index.store.paths()))
    index.close()
    return files


def _run_aider(python: Path, root: Path, budget: int, cold: float | None) -> dict[str, float]:
    files = _aider_files(root)
    out = {"cold": cold if cold is not None else _aider(python, root, budget, "cold", files)}
    out["warm"] = _aider(python, root, budget, "warm", files)
    original = _edit(root)
    try:
        out["edit"] = _aider(python, root, budget, "edit", files)
    finally:
        (root / EDITED_FILE).write_text(original)
    return out


def _report(
    ours: dict[str, dict[str, float]], theirs: dict[str, float], root: Path, budget: int
) -> None:
    warm = ours["warm"]
    print(
        f"Django {root.name}: {ours['cold']['files']:.0f} files indexed, "
        f"map budget {budget} tokens, "
        f"{os.cpu_count()} CPUs"
    )
    print("| step (own process, start-up excluded) | ours ms | aider ms | aider / ours |")
    print("|---|---|---|---|")
    for label, key in (
        ("cold: index + first map", "cold"),
        ("warm start: open + map", "warm"),
        (f"{EDITED_FILE} edited: refresh + map", "edit"),
    ):
        mine = ours[key]["total_ms"]
        other = theirs.get(key)
        ratio = f"{other / mine:.1f}x" if other else "n/a"
        print(
            f"| {label} | {mine:.0f} | {other:.0f} | {ratio} |"
            if other
            else f"| {label} | {mine:.0f} | n/a | n/a |"
        )
    print()
    print("| ours, long-lived process | ms |")
    print("|---|---|")
    print(f"| refresh with nothing changed (walk + stat) | {warm['refresh_ms']:.0f} |")
    print(f"| refresh after editing {EDITED_FILE} | {ours['edit']['refresh_ms']:.0f} |")
    print(f"| repo map for a query, median of 5 tasks | {warm['warm_map_ms']:.0f} |")
    print(f"| assemble (bodies + map), median of 5 tasks | {warm['warm_assemble_ms']:.0f} |")
    for label, rel in (("typical", TYPICAL_FILE), ("largest", EDITED_FILE)):
        lines, ms = warm[f"{label}_lines"], warm[f"update_{label}_ms"]
        print(f"| update_text, {rel} ({lines:.0f} lines) | {ms:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
