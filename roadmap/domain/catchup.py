"""The catch-up plan of a what-if sandbox: the least change to a company's plan that meets its
SDA target at every milestone after its latest reported year (DESIGN.md, "Reconciliation
method"; issue 15).

The SDA target T(t) depends on the company's base-year intensity C(b) only, which lies in the
reported history; changing planned years leaves T unchanged, so the plan can be fixed one
milestone at a time against the targets of a reconciliation of the plan as it stands.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import milestones

# Figures read between two points of the plan by linear interpolation, as the method does.
_INTERPOLATED = (
    col.ACTIVITY,
    col.EMISSIONS,
    col.INTENSITY,
    col.CLINKER_RATIO,
    col.KG_PER_PASSENGER,
)


@dataclass(frozen=True)
class CatchUp:
    """``points``: the plan's rows, in the plan's own columns and units, sorted by year.
    ``changes``: one row per milestone considered (year, intensity, target_intensity,
    new_intensity, factor), intensities in the reconciliation's unit. ``start_year``: the
    latest reported year (the first year of the plan where nothing is reported)."""

    points: pd.DataFrame
    changes: pd.DataFrame
    start_year: int


def catch_up_plan(points: pd.DataFrame, reconciled: pd.DataFrame) -> CatchUp:
    """The least change to one company's plan that keeps its intensity at or below its SDA
    target at every milestone year (2025, 2030, ...) after its latest reported year.

    ``points``: the plan as validated rows of one company and series (validate_trajectories;
    columns year, kind, activity, emissions, intensity, ... in the submitted units). An added
    point carries the row number of the point before it, for messages.
    ``reconciled``: its reconciliation's rows (year, intensity, target_intensity), in any one
    intensity unit: only the ratio T(m)/C(m) is used, so the plan keeps its own units.

    At each milestone m after the latest reported year and within the reconciled years, the
    plan gets a planned point (its own where it has one, else the figures interpolated there
    between its neighbours, activity as planned). Where C(m) > T(m) the point's emissions (or,
    for an intensity-only point, its intensity) are multiplied by T(m)/C(m), so that C(m) =
    T(m); a negative target counts as 0. Other points are kept as they are: between milestones
    the plan is interpolated as the method does. Reported rows never change. Nothing is
    invented beyond the plan's last year.
    """
    plan = points.sort_values(col.YEAR, kind="stable").reset_index(drop=True)
    reported = plan.loc[plan[col.KIND] == col.REPORTED, col.YEAR]
    start = int(reported.max()) if not reported.empty else int(plan[col.YEAR].min())
    known = reconciled.dropna(subset=[col.INTENSITY, col.TARGET_INTENSITY])
    last = min(int(plan[col.YEAR].max()), int(known[col.YEAR].max())) if len(known) else start
    years = np.array([y for y in milestones.grid(milestones.grid_start(start), last) if y > start])
    if years.size == 0:
        return CatchUp(plan, _changes(known, years, np.ones(0)), start)
    at = known.set_index(col.YEAR).reindex(years)
    current = at[col.INTENSITY].to_numpy(dtype="float64")
    target = np.maximum(at[col.TARGET_INTENSITY].to_numpy(dtype="float64"), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(current > target, target / current, 1.0)
    factor = np.where(np.isnan(factor), 1.0, factor)
    fixed = _with_milestones(plan, years)
    scale = pd.Series(factor, index=years)
    rows = fixed[col.YEAR].isin(years).to_numpy()
    by_row = fixed.loc[rows, col.YEAR].map(scale).to_numpy()
    has_emissions = fixed.loc[rows, col.EMISSIONS].notna().to_numpy()
    fixed.loc[rows, col.EMISSIONS] = np.where(
        has_emissions, fixed.loc[rows, col.EMISSIONS] * by_row, np.nan
    )
    fixed.loc[rows, col.INTENSITY] = np.where(
        has_emissions, fixed.loc[rows, col.INTENSITY], fixed.loc[rows, col.INTENSITY] * by_row
    )
    return CatchUp(fixed, _changes(at.reset_index(), years, factor), start)


def _with_milestones(plan: pd.DataFrame, years: np.ndarray) -> pd.DataFrame:
    """The plan with a planned point at each of ``years`` it lacks: figures interpolated
    linearly between the plan's points (NaN where a figure is not given on both sides), text
    columns copied from the point before."""
    missing = years[~np.isin(years, plan[col.YEAR].to_numpy())]
    if missing.size == 0:
        return plan.copy()
    before = np.searchsorted(plan[col.YEAR].to_numpy(), missing, side="right") - 1
    added = plan.iloc[before].copy().reset_index(drop=True)
    added[col.YEAR] = missing
    added[col.KIND] = col.PLANNED
    for name in _INTERPOLATED:
        if name not in plan.columns:
            continue
        given = plan[[col.YEAR, name]].dropna()
        added[name] = _between(given[col.YEAR].to_numpy(), given[name].to_numpy(), missing)
    merged = pd.concat([plan, added], ignore_index=True)
    return merged.sort_values(col.YEAR, kind="stable").reset_index(drop=True)


def _between(xs: np.ndarray, ys: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Linear interpolation at ``at`` inside [xs[0], xs[-1]]; NaN outside (never extrapolated)."""
    if xs.size == 0:
        return np.full(at.shape, np.nan)
    inside = (at >= xs[0]) & (at <= xs[-1])
    return np.where(inside, np.interp(at, xs, ys.astype("float64")), np.nan)


def _changes(at: pd.DataFrame, years: np.ndarray, factor: np.ndarray) -> pd.DataFrame:
    if years.size == 0:
        return pd.DataFrame(
            columns=[col.YEAR, col.INTENSITY, col.TARGET_INTENSITY, "new_intensity", "factor"]
        )
    table = at.set_index(col.YEAR).reindex(years)
    return pd.DataFrame(
        {
            col.YEAR: years.astype("int64"),
            col.INTENSITY: table[col.INTENSITY].to_numpy(dtype="float64"),
            col.TARGET_INTENSITY: table[col.TARGET_INTENSITY].to_numpy(dtype="float64"),
            "new_intensity": table[col.INTENSITY].to_numpy(dtype="float64") * factor,
            "factor": factor,
        }
    )
