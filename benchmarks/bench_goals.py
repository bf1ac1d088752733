"""Issue 14's goals, each measured and set beside its goal in one table.

    .venv/bin/python benchmarks/bench_goals.py [--repeat 5] [--skip-100k]

- reconcile in process, 10,000 and 100,000 companies x 31 years (best of ``--repeat``), and
  the peak RSS of one 100,000-company reconcile in a fresh process;
- validation of the 10,000-company table as text;
- `roadmap reconcile` end to end on that table as CSV, against the floor (pandas reading the
  same CSV and writing the same rows, benchmarks/floor_csv.py), both as whole processes;
- start-up: `roadmap --help` and `roadmap reconcile` with a two-row file;
- the CLI's peak RSS at 10,000 companies (/usr/bin/time's maximum resident set).

Times are wall-clock seconds, best of ``--repeat``; the machine's load average is printed
with the table, since the machine is shared. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd
from bench_reconcile import (
    FILE_COLUMNS,
    PARAMS,
    PATHWAYS,
    ROOT,
    as_text,
    load_pathways,
    measure_memory,
    synthetic_trajectories,
)

from roadmap.domain.reconcile import reconcile
from roadmap.domain.validate import validate_trajectories

CLI = [sys.executable, "-c", "import sys; from roadmap.cli import main; sys.exit(main())"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# The synthetic companies start in 2020, a year after the TPI Steel pathway (bench_reconcile).
RECONCILE_ARGS = [
    "reconcile",
    "--pathways",
    str(PATHWAYS),
    "--scenario",
    "TPI 1.5 Degrees",
    "--base-year",
    "2020",
]
# (figure, wall seconds or MB, CPU seconds or None, goal, unit)
Row = tuple[str, float, float | None, float, str]


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def in_process(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of ``repeat`` calls after one warm-up."""
    work()
    wall, cpu = float("inf"), float("inf")
    for _ in range(repeat):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def run(args: list[str], *, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU (user + system) seconds of ``repeat`` runs of a process
    (after one warm-up)."""
    wall, cpu = float("inf"), float("inf")
    for attempt in range(repeat + 1):
        start, start_cpu = time.perf_counter(), child_cpu()
        subprocess.run(args, check=True, env=ENV, capture_output=True)
        if attempt:
            wall = min(wall, time.perf_counter() - start)
            cpu = min(cpu, child_cpu() - start_cpu)
    return wall, cpu


def peak_rss_mb(args: list[str]) -> float:
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *args],
            check=True,
            env=ENV,
            capture_output=True,
        )
        return int(report.read().split()[-1]) / 1024  # KiB


def floor(trajectories: Path, results: Path, out: Path, *, repeat: int) -> tuple[float, float]:
    """Best process time (wall, CPU) of floor_csv.py less its loading of the rows to write
    (taken off both: loading is CPU-bound)."""
    wall, cpu = float("inf"), float("inf")
    script = [sys.executable, str(Path(__file__).with_name("floor_csv.py"))]
    for attempt in range(repeat + 1):
        start, start_cpu = time.perf_counter(), child_cpu()
        done = subprocess.run(
            [*script, str(trajectories), str(results), str(out)],
            check=True,
            env=ENV,
            capture_output=True,
            text=True,
        )
        if attempt:
            loading = float(done.stdout.split()[-1])
            wall = min(wall, time.perf_counter() - start - loading)
            cpu = min(cpu, child_cpu() - start_cpu - loading)
    return wall, cpu


def measure(repeat: int, with_100k: bool) -> list[Row]:
    rows: list[Row] = []
    memory = measure_memory(100_000) if with_100k else None
    pathways = load_pathways()
    table = synthetic_trajectories(10_000, pathways)
    wall, cpu = in_process(partial(reconcile, pathways, table, PARAMS), repeat)
    rows.append(("reconcile 10,000 x 31 in process", wall, cpu, 0.2, "s"))
    text = as_text(table)
    wall, cpu = in_process(partial(validate_trajectories, text), repeat)
    rows.append(("validate 10,000 x 31 in process", wall, cpu, 0.4, "s"))
    if with_100k:
        big = synthetic_trajectories(100_000, pathways)
        wall, cpu = in_process(partial(reconcile, pathways, big, PARAMS), max(1, repeat // 2))
        del big
        rows.append(("reconcile 100,000 x 31 in process", wall, cpu, 2.0, "s"))
        assert memory is not None
        rows.append(("reconcile 100,000 x 31 peak RSS", memory["peak_mb"], None, 2048, "MB"))
    with tempfile.TemporaryDirectory() as folder:
        rows += _cli_rows(Path(folder), text, repeat)
    return rows


def _cli_rows(work: Path, text: pd.DataFrame, repeat: int) -> list[Row]:
    trajectories, results = work / "trajectories.csv", work / "results.csv"
    text[FILE_COLUMNS].to_csv(trajectories, index=False)
    tiny = work / "tiny.csv"
    tiny.write_text("\n".join(trajectories.read_text().splitlines()[:3]) + "\n")
    cli = [*CLI, *RECONCILE_ARGS, "--trajectories", str(trajectories), "--out", str(results)]
    wall, cpu = run(cli, repeat=repeat)
    floor_wall, floor_cpu = floor(trajectories, results, work / "floor.csv", repeat=repeat)
    small = [*CLI, *RECONCILE_ARGS, "--trajectories", str(tiny), "--out", str(work / "t.csv")]
    return [
        ("CLI reconcile 10,000 end to end", wall, cpu, 1.5 * floor_cpu, "s"),
        ("  floor: pandas read + write (goal: 1.5x its CPU)", floor_wall, floor_cpu, 0, "s"),
        ("CLI peak RSS at 10,000", peak_rss_mb(cli), None, 350, "MB"),
        ("start-up: roadmap --help", *run([*CLI, "--help"], repeat=repeat), 0.7, "s"),
        ("start-up: roadmap reconcile, 2 rows", *run(small, repeat=repeat), 0.7, "s"),
    ]


def table(rows: list[Row]) -> str:
    """Goals in seconds are judged on CPU time (user + system): on a shared machine the wall
    clock also counts other people's work."""
    lines = [
        "| figure | wall | CPU | goal | met |",
        "|---|---:|---:|---:|:---:|",
    ]
    for name, value, cpu, goal, unit in rows:
        digits = 0 if unit == "MB" else 3
        judged = value if cpu is None else cpu
        met = "" if name.startswith("  ") else ("yes" if judged < goal else "NO")
        cpu_text = "" if cpu is None else f"{cpu:,.3f} s"
        goal_text = "" if not goal else f"{goal:,.{digits}f} {unit}"
        lines.append(f"| {name} | {value:,.{digits}f} {unit} | {cpu_text} | {goal_text} | {met} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after one warm-up")
    parser.add_argument("--skip-100k", action="store_true", help="leave out 100,000 companies")
    args = parser.parse_args()
    before = os.getloadavg()
    rows = measure(args.repeat, not args.skip_100k)
    after = os.getloadavg()
    print(table(rows))
    cores = os.cpu_count()
    print(f"\nload average (1 min) before / after: {before[0]:.2f} / {after[0]:.2f}, {cores} cores")


if __name__ == "__main__":
    main()
