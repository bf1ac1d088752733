"""Benchmark: reconcile N synthetic Steel companies x 31 years against TPI 1.5 Degrees.

Run on demand (never in the test suite): ``make bench`` or

    .venv/bin/python benchmarks/bench_reconcile.py [--companies 1000 10000] [--repeat 5]

For each size it times, separately, ``reconcile`` alone, ``platform_aggregate`` on its results
and ``validate_trajectories`` on the same table as text (as ``ingest`` hands it over), each as
the best and median of ``--repeat`` runs after one warm-up, and measures the peak memory of one
reconcile in a fresh child process. It prints a markdown table; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.ingest import read_table
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.domain.validate import validate_pathways, validate_trajectories

ROOT = Path(__file__).resolve().parent.parent
PATHWAYS = ROOT / "data" / "pathways" / "tpi.csv"
SCENARIO = "TPI 1.5 Degrees"
SECTOR, REGION, SCOPE = "Steel", "Global", "S1S2"
FIRST_YEAR, LAST_YEAR = 2020, 2050
LAST_REPORTED = 2024  # years up to here are 'reported', later ones 'planned'
# The TPI 1.5 Steel pathway starts in 2019; with the default base year (the pathway's first
# year) a trajectory starting in 2020 has no value at the base year and every company would
# be left out. Reconciling from 2020 keeps all 31 years of every company.
PARAMS = ReconcileParams(SCENARIO, base_year=FIRST_YEAR)
SEED = 20240601
# validate_trajectories' output columns, in its order.
TYPED_COLUMNS = [
    col.COMPANY,
    col.SECTOR,
    col.REGION,
    col.SCOPE,
    col.YEAR,
    col.KIND,
    col.ACTIVITY,
    col.EMISSIONS,
    col.ACTIVITY_UNIT,
    col.EMISSIONS_UNIT,
    col.INTENSITY,
    col.INTENSITY_UNIT,
    col.CLINKER_RATIO,
    col.KG_PER_PASSENGER,
    col.ROW,
]
# The columns of the file a company would upload, in the data contract's order.
FILE_COLUMNS = [
    col.COMPANY,
    col.SECTOR,
    col.REGION,
    col.SCOPE,
    col.YEAR,
    col.KIND,
    col.ACTIVITY,
    col.ACTIVITY_UNIT,
    col.EMISSIONS,
    col.EMISSIONS_UNIT,
    col.INTENSITY,
    col.INTENSITY_UNIT,
]


def load_pathways() -> pd.DataFrame:
    return validate_pathways(read_table(PATHWAYS))


def scenario_curve(pathways: pd.DataFrame, years: np.ndarray) -> np.ndarray:
    """S(t) of the TPI 1.5 Steel pathway at ``years`` (it gives every year)."""
    own = pathways[
        pathways[col.SECTOR].eq(SECTOR)
        & pathways[col.SCENARIO].eq(SCENARIO)
        & pathways[col.REGION].eq(REGION)
        & pathways[col.SCOPE].eq(SCOPE)
    ]
    return own.set_index(col.YEAR)[col.INTENSITY].reindex(years).to_numpy(dtype="float64")


def same(value: str, n_rows: int) -> np.ndarray:
    """A text column of one value, every row the same string object, as ingest gives it.
    (``np.full(n, value, dtype=object)`` makes a new string object per row: 3.1 million
    copies of "Steel" took about 1 GB of the 100,000-company table.)"""
    return np.array([value], dtype=object).take(np.zeros(n_rows, dtype=np.intp))


def synthetic_trajectories(
    n_companies: int, pathways: pd.DataFrame, *, first_year: int = FIRST_YEAR
) -> pd.DataFrame:
    """N companies x 31 years, shaped like ``validate_trajectories`` output, built with whole
    array operations (no loop per company). Each company's intensity follows the scenario curve
    times a factor drawn from 0.7-1.4 (with a little yearly noise); activity is a lognormal
    production level with its own growth rate."""
    rng = np.random.default_rng(SEED)
    years = np.arange(first_year, LAST_YEAR + 1, dtype="int64")
    n_years = len(years)
    curve = scenario_curve(pathways, years)
    factor = rng.uniform(0.7, 1.4, size=(n_companies, 1))
    noise = rng.normal(1.0, 0.02, size=(n_companies, n_years))
    intensity = curve[None, :] * factor * noise
    level = rng.lognormal(mean=np.log(5e6), sigma=1.0, size=(n_companies, 1))
    growth = rng.uniform(-0.01, 0.02, size=(n_companies, 1))
    activity = level * (1.0 + growth) ** np.arange(n_years)[None, :]
    emissions = intensity * activity
    width = len(str(n_companies))
    suffix = np.char.zfill(np.arange(n_companies).astype(str), width)
    names = np.char.add("Synthetic Steel ", suffix).astype(object)
    n_rows = n_companies * n_years
    year = np.tile(years, n_companies)
    kinds = np.array([col.PLANNED, col.REPORTED], dtype=object)
    # One string object per distinct value, shared by its rows, as ingest hands them over.
    text = {
        col.COMPANY: names.take(np.repeat(np.arange(n_companies), n_years)),
        col.SECTOR: same(SECTOR, n_rows),
        col.REGION: same(REGION, n_rows),
        col.SCOPE: same(SCOPE, n_rows),
        col.KIND: kinds.take((year <= LAST_REPORTED).astype("int64")),
        col.ACTIVITY_UNIT: same("t Steel", n_rows),
        col.EMISSIONS_UNIT: same("t CO2", n_rows),
        col.INTENSITY_UNIT: same("", n_rows),
    }
    numbers = {
        col.YEAR: year,
        col.ACTIVITY: activity.ravel(),
        col.EMISSIONS: emissions.ravel(),
        col.INTENSITY: np.full(n_rows, np.nan),
        # Cement's and aviation's own figures: none for steel.
        col.CLINKER_RATIO: np.full(n_rows, np.nan),
        col.KG_PER_PASSENGER: np.full(n_rows, np.nan),
        col.ROW: np.arange(2, n_rows + 2, dtype="int64"),
    }
    # Column order and dtypes (pandas' str for text) as validate_trajectories returns them.
    frame = pd.DataFrame(
        {
            name: pd.Series(text[name], dtype="str") if name in text else numbers[name]
            for name in TYPED_COLUMNS
        }
    )
    frame.attrs["source"] = "synthetic"
    return frame


def as_text(typed: pd.DataFrame) -> pd.DataFrame:
    """The same table as ``ingest`` hands it over: object columns of str ("" where empty;
    floats in Python's shortest round-trip form), plus ``_row``."""
    text = pd.DataFrame(
        {c: typed[c].astype(str).fillna("").to_numpy(dtype=object) for c in FILE_COLUMNS},
        dtype=object,
    )
    text[col.ROW] = typed[col.ROW].to_numpy()
    text.attrs["source"] = typed.attrs["source"]
    return text


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best and median wall-clock seconds of ``repeat`` runs after one warm-up."""
    run()
    seconds = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return min(seconds), statistics.median(seconds)


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def reset_peak_rss() -> bool:
    """Reset this process's peak RSS to its current RSS (Linux 4.0+), so that the peak
    reached while building the input does not hide reconcile's own peak."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def child(n_companies: int) -> None:
    """Imports + build + one reconcile; print ru_maxrss right before and after as JSON."""
    pathways = load_pathways()
    trajectories = synthetic_trajectories(n_companies, pathways)
    gc.collect()
    reset = reset_peak_rss()
    before = max_rss_mb()
    result = reconcile(pathways, trajectories, PARAMS)
    after = max_rss_mb()
    print(
        json.dumps(
            {"before_mb": before, "peak_mb": after, "reset": reset, "rows": len(result.results)}
        )
    )


def measure_memory(n_companies: int) -> dict[str, float]:
    """Run ``child`` in a fresh interpreter. Call it while this process is still small: a
    child's ru_maxrss starts from the peak RSS of the process it was forked from."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(n_companies)],
        check=True,
        capture_output=True,
        text=True,
    )
    memory = json.loads(done.stdout.strip().splitlines()[-1])
    if not memory["reset"]:
        print("# could not reset the peak RSS: increments include the build", file=sys.stderr)
    return memory


def bench(
    n_companies: int, repeat: int, pathways: pd.DataFrame, memory: dict[str, float]
) -> dict[str, float]:
    trajectories = synthetic_trajectories(n_companies, pathways)
    rows = len(trajectories)
    result = reconcile(pathways, trajectories, PARAMS)
    expected = rows  # every company covers 2020-2050, inside the pathway's 2019-2050
    if len(result.results) != expected or result.warnings:
        raise SystemExit(
            f"unexpected reconcile output: {len(result.results)} rows (expected {expected}), "
            f"warnings {result.warnings[:3]}"
        )
    text = as_text(trajectories)
    typed = validate_trajectories(text)
    pd.testing.assert_frame_equal(typed, trajectories)
    del typed
    rec_best, rec_median = timed(partial(reconcile, pathways, trajectories, PARAMS), repeat)
    agg_best, agg_median = timed(partial(platform_aggregate, result.results), repeat)
    val_best, val_median = timed(partial(validate_trajectories, text), repeat)
    return {
        "companies": n_companies,
        "rows": rows,
        "reconcile_best": rec_best,
        "reconcile_median": rec_median,
        "aggregate_best": agg_best,
        "aggregate_median": agg_median,
        "validate_best": val_best,
        "validate_median": val_median,
        "peak_mb": memory["peak_mb"],
        "increment_mb": memory["peak_mb"] - memory["before_mb"],
        "rows_per_s": rows / rec_median,
    }


def table(results: list[dict[str, float]]) -> str:
    lines = [
        "| companies | rows | reconcile best / median (s) | aggregate best / median (s) "
        "| validate best / median (s) | peak RSS (MB) | reconcile increment (MB) "
        "| rows/s (reconcile median) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['companies']:,} | {r['rows']:,} "
            f"| {r['reconcile_best']:.3f} / {r['reconcile_median']:.3f} "
            f"| {r['aggregate_best']:.3f} / {r['aggregate_median']:.3f} "
            f"| {r['validate_best']:.2f} / {r['validate_median']:.2f} "
            f"| {r['peak_mb']:,.0f} "
            f"| {r['increment_mb']:,.0f} "
            f"| {r['rows_per_s']:,.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--companies", type=int, nargs="+", default=[1_000, 10_000, 100_000], metavar="N"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after one warm-up")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1 or any(n < 1 for n in args.companies):
        parser.error("--repeat and --companies take positive numbers")
    if args.child is not None:
        child(args.child)
        return
    # Memory first, while this process is small (see measure_memory).
    memory = {n: measure_memory(n) for n in args.companies}
    pathways = load_pathways()
    results = []
    for n in args.companies:
        results.append(bench(n, args.repeat, pathways, memory[n]))
        print(f"# {n:,} companies done", file=sys.stderr, flush=True)
    print(table(results))


if __name__ == "__main__":
    main()
