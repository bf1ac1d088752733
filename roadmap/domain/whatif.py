"""What a what-if plan changes (issue 15): one company's reconciliation with its submitted plan
beside the same with the sandbox's plan, and the platform's gap with the sandbox in place of the
company's counted figures. Pure: reconciliation results in, tables out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import milestones

# Compared at each milestone year, in the reconciliation's units.
COMPARED = (
    col.INTENSITY,
    col.TARGET_INTENSITY,
    col.GAP,
    col.STATUS,
    col.YEARS_BEHIND,
    col.REQUIRED_RATE,
    col.CUMULATIVE_EXCESS,
)
SUBMITTED, SANDBOX = "submitted", "sandbox"


def milestone_comparison(
    submitted: pd.DataFrame, sandbox: pd.DataFrame, *, also: tuple[int, ...] = ()
) -> pd.DataFrame:
    """Per milestone year (2025, 2030, ...) either reconciliation covers, and the years
    ``also`` (e.g. the latest reported year): each of COMPARED for the submitted plan
    (``<name>_submitted``) and the sandbox (``<name>_sandbox``); NaN where a plan does not
    reach the year. ``submitted`` may be empty (no version to compare with)."""
    years = sorted(
        {
            *milestones.milestone_years(submitted[col.YEAR]),
            *milestones.milestone_years(sandbox[col.YEAR]),
            *also,
        }
    )
    frame = pd.DataFrame({col.YEAR: pd.Series(years, dtype="int64")})
    for rows, suffix in ((submitted, SUBMITTED), (sandbox, SANDBOX)):
        picked = rows[[col.YEAR, *COMPARED]].astype({col.YEAR: "int64"})
        picked = picked.rename(columns={name: f"{name}_{suffix}" for name in COMPARED})
        frame = frame.merge(picked, on=col.YEAR, how="left")
    return frame


def own_gap(results: pd.DataFrame) -> pd.Series:
    """A company's part of its platform's gap, by year: E - T A, in t CO2e of the scenario's
    basis (DESIGN.md, "Platform aggregate": the parts add up to the platform's gap)."""
    part = results[col.EMISSIONS] - results[col.FAIR_SHARE_EMISSIONS]
    return part.groupby(results[col.YEAR].astype("int64")).sum(min_count=1)


def platform_gap_with(
    totals: pd.DataFrame, counted: pd.DataFrame, sandbox: pd.DataFrame
) -> pd.DataFrame:
    """The platform's gap (``gap_emissions`` of ``totals``, the platform aggregate's years the
    viewer may see) with the sandbox in place of the company's ``counted`` rows (its rows in
    those totals; none where it is not counted): gap - own_gap(counted) + own_gap(sandbox),
    per year of ``totals``. A year the sandbox does not reach counts the company as absent
    from it. Columns: year, gap_emissions, counted, sandbox, gap_with_sandbox."""
    years = totals[col.YEAR].astype("int64").to_numpy()
    before = own_gap(counted).reindex(years).fillna(0.0).to_numpy() if len(counted) else 0.0
    after = own_gap(sandbox).reindex(years).fillna(0.0).to_numpy() if len(sandbox) else 0.0
    gap = totals[col.GAP_EMISSIONS].to_numpy(dtype="float64")
    return pd.DataFrame(
        {
            col.YEAR: years,
            col.GAP_EMISSIONS: gap,
            "counted": np.broadcast_to(before, years.shape),
            "sandbox": np.broadcast_to(after, years.shape),
            "gap_with_sandbox": gap - before + after,
        }
    )
