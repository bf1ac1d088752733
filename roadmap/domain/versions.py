"""Comparing two versions of a company's submitted trajectory."""

from __future__ import annotations

import pandas as pd

from roadmap.domain import columns as col

_KEEP = [col.YEAR, col.KIND, col.ACTIVITY, col.EMISSIONS, col.INTENSITY]


def compare_versions(older: pd.DataFrame, newer: pd.DataFrame) -> pd.DataFrame:
    """Year by year (every year either version gives), both versions' kind, activity, emissions
    and intensity (suffixes ``_old``/``_new``, NaN where a version lacks the year),
    ``emissions_change`` = new - old, and ``changed`` where kind, activity, emissions or
    intensity differ (two missing figures are the same; a year only one version gives counts
    as changed)."""
    merged = (
        older[_KEEP]
        .merge(newer[_KEEP], on=col.YEAR, how="outer", suffixes=("_old", "_new"))
        .sort_values(col.YEAR)
    )
    merged["emissions_change"] = merged["emissions_new"] - merged["emissions_old"]
    same = merged["kind_old"].eq(merged["kind_new"])
    for name in (col.ACTIVITY, col.EMISSIONS, col.INTENSITY):
        old, new = merged[f"{name}_old"], merged[f"{name}_new"]
        same &= old.eq(new) | (old.isna() & new.isna())
    merged["changed"] = ~same
    return merged.reset_index(drop=True)
