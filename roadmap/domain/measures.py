"""The measures of each company-year: SDA target, gap, status, years behind, required rate
and benchmark label (DESIGN.md, "Reconciliation method"), on the reconciliation's rows.

Rows are plain arrays sorted by company then year (roadmap.domain.reconcile); names are read
from the factorised keys only for a message.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from roadmap.domain import benchmarks, metrics, sda
from roadmap.domain import columns as col
from roadmap.domain.curves import Curves
from roadmap.domain.errors import ReconcileError
from roadmap.domain.keys import Factor
from roadmap.domain.params import ADJUST_MARKET, SDA_MARKET_SHARE, ReconcileParams

# The reconciliation's working rows: one array per column, all of one length.
Rows = dict[str, np.ndarray]


def name_at(keys: dict[str, Factor], column: str, point: int) -> str:
    factor = keys[column]
    return str(factor.names[factor.codes[point]])


def add_targets(
    frame: Rows, curves: Curves, params: ReconcileParams, keys: dict[str, Factor]
) -> Rows:
    """T(t) by the SDA: d * p(t) [* m(t)] + S(N), on S or the market-adjusted S'."""
    code = frame["curve"]
    years = frame[col.YEAR]
    base = frame["base_year"]
    start = sda.start_index(frame["series"])
    s_t = curves.at(code, years)
    # S(b) and S(N) are the same on every row of a company (its curve, its base year, the
    # curve's last year): read at its first row, then spread over its rows.
    first, rows_of = sda.company_runs(start)
    s_b = np.repeat(curves.at(code[first], base[first]), rows_of)
    s_n = np.repeat(curves.at(code[first], frame["final_year"][first]), rows_of)
    current = frame[col.INTENSITY]
    c_b = current[start]
    scale: np.ndarray | None = None  # None: no adjustment (x * 1.0 would be x)
    scaled_t = s_t
    if params.adjust_scenario == ADJUST_MARKET:
        scale = _market_scale(frame, c_b, s_b, start, keys)
        scaled_t, s_b, s_n = s_t * scale, s_b * scale, s_n * scale
    share = None
    if params.method == SDA_MARKET_SHARE:
        share = _market_share(frame, curves, start, keys)
    target = sda.sda(c_b, scaled_t, s_b, s_n, share)
    # T(b) = C(b) exactly (the formula gives it up to a rounding of the last digit).
    target = np.where(years == base, c_b, target)
    # The scale, C(b), S(b), S(N) (both scaled) and each row's first row are kept for the
    # milestone look-up in add_metrics.
    return frame | {
        col.SECTOR_INTENSITY: s_t,
        col.TARGET_INTENSITY: target,
        "_scale": scale,
        "_c_b": c_b,
        "_s_b": s_b,
        "_s_n": s_n,
        "_start": start,
    }


def _market_scale(
    frame: Rows,
    c_b: np.ndarray,
    s_b: np.ndarray,
    start: np.ndarray,
    keys: dict[str, Factor],
) -> np.ndarray:
    """M(b) / S(b) per row, M(b) = sum C(b) A(b) / sum A(b) over the companies that share a
    pathway (PACTA's corporate economy)."""
    activity_b = frame[col.ACTIVITY][start]
    if np.isnan(activity_b).any():
        row = int(np.flatnonzero(np.isnan(activity_b))[0])
        missing = name_at(keys, col.COMPANY, frame["_point"][row])
        raise ReconcileError(
            f"--adjust-scenario market weighs companies by activity; {missing} "
            "gives only an intensity"
        )
    first_rows = np.unique(start)
    code = frame["curve"]
    weighted = pd.Series(c_b[first_rows] * activity_b[first_rows]).groupby(code[first_rows]).sum()
    total = pd.Series(activity_b[first_rows]).groupby(code[first_rows]).sum()
    market = (weighted / total).reindex(code).to_numpy()
    if (s_b == 0).any():
        raise ReconcileError(
            "--adjust-scenario market needs a non-zero scenario intensity at the base year"
        )
    return market / s_b


def _market_share(
    frame: Rows, curves: Curves, start: np.ndarray, keys: dict[str, Factor]
) -> np.ndarray:
    """m(t) = (A(b) / A_s(b)) / (A(t) / A_s(t)), the SBTi market-share factor."""
    code = frame["curve"]
    a_s_t = curves.at(code, frame[col.YEAR], what="activity")
    a_s_b = curves.at(code, frame["base_year"], what="activity")
    point = frame["_point"]
    if np.isnan(a_s_t).any():
        row = int(np.flatnonzero(np.isnan(a_s_t))[0])
        raise ReconcileError(
            f"method {SDA_MARKET_SHARE} needs sector activity in the pathway; the "
            f"{curves.keys.at[code[row], col.SCENARIO]} pathway for "
            f"{name_at(keys, col.SECTOR, point[row])} gives none"
        )
    activity = frame[col.ACTIVITY]
    if np.isnan(activity).any():
        row = int(np.flatnonzero(np.isnan(activity))[0])
        raise ReconcileError(
            f"method {SDA_MARKET_SHARE} needs company activity; "
            f"{name_at(keys, col.COMPANY, point[row])} gives only an intensity"
        )
    return (activity[start] / a_s_b) / (activity / a_s_t)


def add_metrics(
    frame: Rows,
    curves: Curves,
    params: ReconcileParams,
    bench_matrix: np.ndarray,
) -> Rows:
    """Gap, status, years behind, required rate and benchmark alignment for every row.
    ``bench_matrix[combo]`` lists a row's benchmark curves from the lowest to the highest
    temperature (roadmap.domain.benchmarks)."""
    current = frame[col.INTENSITY]
    target = frame[col.TARGET_INTENSITY]
    gap = current - target
    with np.errstate(invalid="ignore", divide="ignore"):
        gap_pct = np.where(target != 0, gap / np.where(target != 0, target, 1.0), np.nan)
    offset = frame[col.YEAR] - frame["base_year"]
    company, shape = sda.company_cells(frame["_start"], offset)
    target_matrix = sda.company_matrix(target, company, offset, shape)
    current_matrix = sda.company_matrix(current, company, offset, shape)
    behind = metrics.years_behind(target_matrix, current_matrix)[company, offset]
    years = frame[col.YEAR]
    milestone = metrics.next_milestone_capped(years, frame["final_year"])
    target_m = _target_at(frame, curves, params, milestone, target_matrix, company)
    scenario_at = _benchmark_values(frame, curves, bench_matrix)
    scenarios = curves.keys[col.SCENARIO].to_numpy(dtype=object)
    return frame | (
        {
            col.GAP: gap,
            col.GAP_PCT: gap_pct,
            "_aligned": metrics.is_aligned(current, target),
            col.YEARS_BEHIND: behind,
            col.REQUIRED_RATE: metrics.required_rate(current, target_m, years, milestone),
            "_milestone": milestone,
            col.BENCHMARK_ALIGNMENT: benchmarks.labels(
                current, scenario_at, bench_matrix, frame["combo"], scenarios
            ),
        }
    )


def _benchmark_values(frame: Rows, curves: Curves, bench_matrix: np.ndarray) -> list[np.ndarray]:
    """Each row's S(t) of each of its key's benchmarks (``bench_matrix[combo]``, K columns),
    one array per benchmark column, read from a small (company key x year) table per column:
    rows of one key and year share them."""
    combo, years = frame["combo"], frame[col.YEAR]
    n_combo, k = bench_matrix.shape
    if len(years) == 0:
        return [np.empty(0) for _ in range(k)]
    first = int(years.min())
    span = int(years.max()) - first + 1
    cell = combo * span + (years - first)  # each row's (key, year) cell
    grid_years = np.tile(first + np.arange(span), n_combo)
    return [curves.at(np.repeat(bench_matrix[:, j], span), grid_years).take(cell) for j in range(k)]


def _target_at(
    frame: Rows,
    curves: Curves,
    params: ReconcileParams,
    milestone: np.ndarray,
    target_matrix: np.ndarray,
    company: np.ndarray,
) -> np.ndarray:
    """T at each row's next milestone. The SDA target exists for every scenario year; the
    market-share target needs the company's activity at the milestone, so it is read from the
    company's own years and is NaN beyond them."""
    base = frame["base_year"]
    if params.method == SDA_MARKET_SHARE:
        offset = milestone - base
        inside = (milestone > 0) & (offset < target_matrix.shape[1])
        out = np.full(len(frame[col.YEAR]), np.nan)
        out[inside] = target_matrix[company[inside], offset[inside]]
        return out
    s_m = curves.at(frame["curve"], np.where(milestone > 0, milestone, base))
    if frame["_scale"] is not None:
        s_m = s_m * frame["_scale"]
    return np.where(
        milestone > 0, sda.sda(frame["_c_b"], s_m, frame["_s_b"], frame["_s_n"]), np.nan
    )
