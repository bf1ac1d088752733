"""Platform figures: the sum over companies, per sector, scenario and year (DESIGN.md).

The platform's gap_emissions is the sum of its companies' excess emissions, so a waterfall of
company contributions adds up exactly to the total.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import units

GROUP = [col.SECTOR, col.SCENARIO, col.YEAR]


def platform_aggregate(results: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Aggregate ``Reconciliation.results`` into one row per sector, scenario and year.

    activity = sum A (sector activity unit), emissions = sum E (t CO2e), intensity =
    sum E / sum A (sector intensity unit), fair_share_emissions = sum T_c A_c,
    sector_curve_emissions = sum S A, gap_emissions = emissions - fair_share_emissions (= sum of
    the companies' excess emissions), coverage = sum A / sector activity where the pathway gives
    sector activity in a unit that converts (else NaN). Companies that gave only an intensity
    have no emissions to add and are left out, named in the returned warnings.
    """
    warnings = [
        f"{company} ({sector}) gives only an intensity and is left out of the platform totals"
        for company, sector in results.loc[results[col.ACTIVITY].isna(), [col.COMPANY, col.SECTOR]]
        .drop_duplicates()
        .itertuples(index=False)
    ]
    for sector, scopes in results.groupby(col.SECTOR)[col.SCOPE].unique().items():
        if len(scopes) > 1:
            warnings.append(
                f"{sector} totals add companies of different scopes: " + ", ".join(sorted(scopes))
            )
    rows = results[results[col.ACTIVITY].notna()]
    sums = rows.groupby(GROUP, sort=True)[
        [
            col.ACTIVITY,
            col.EMISSIONS,
            col.FAIR_SHARE_EMISSIONS,
            col.SECTOR_CURVE_EMISSIONS,
            col.EXCESS_EMISSIONS,
        ]
    ].sum()
    unit_columns = [col.ACTIVITY_UNIT, col.EMISSIONS_UNIT, col.INTENSITY_UNIT]
    unit_table = rows.groupby(GROUP, sort=True)[unit_columns].first()
    factor = (
        np.array(
            [
                units.intensity_factor(e, a, i)
                for a, e, i in unit_table[unit_columns].itertuples(index=False)
            ]
        )
        if len(unit_table)
        else np.empty(0)
    )
    out = sums.join(unit_table)
    out[col.INTENSITY] = out[col.EMISSIONS] / out[col.ACTIVITY] * factor
    # The sum of the companies' excess, so a waterfall of contributions adds up exactly; it
    # equals emissions - fair_share_emissions up to the last digit.
    out[col.GAP_EMISSIONS] = out.pop(col.EXCESS_EMISSIONS)
    out[col.COVERAGE] = out[col.ACTIVITY] / _sector_activity(rows)
    out[col.COMPANIES] = rows.groupby(GROUP, sort=True)[col.COMPANY].nunique()
    out = out.reset_index()
    return out[col.AGGREGATE_COLUMNS + col.AGGREGATE_DETAIL_COLUMNS], tuple(warnings)


def _sector_activity(rows: pd.DataFrame) -> pd.Series:
    """Sector activity per group: each pathway's A_s(t) counted once, however many companies
    it serves; NaN where any pathway in the group lacks it."""
    distinct = rows.drop_duplicates(GROUP + ["pathway_region", col.SCOPE])
    return (
        distinct.groupby(GROUP, sort=True)["sector_activity"]
        .sum(min_count=1)
        .where(
            distinct.groupby(GROUP, sort=True)["sector_activity"].count()
            == distinct.groupby(GROUP, sort=True).size()
        )
    )


def activity_share(trajectories: pd.DataFrame, companies: set[str]) -> float | None:
    """Share of the platform's activity produced by ``companies``: each company's activity in
    its latest reported year (planned years are not yet activity), in one unit. None where no
    company reports activity."""
    reported = trajectories[
        (trajectories[col.KIND] == col.REPORTED) & trajectories[col.ACTIVITY].notna()
    ]
    if reported.empty:
        return None
    latest = reported.sort_values(col.YEAR).groupby(col.COMPANY).tail(1)
    unit = str(latest[col.ACTIVITY_UNIT].mode().iloc[0])
    factor = latest[col.ACTIVITY_UNIT].map(
        {
            u: units.conversion_factor(u, unit) if units.compatible(u, unit) else np.nan
            for u in latest[col.ACTIVITY_UNIT].unique()
        }
    )
    activity = (latest[col.ACTIVITY] * factor).fillna(0.0)
    total = float(activity.sum())
    if total == 0:
        return None
    return float(activity[latest[col.COMPANY].isin(companies)].sum()) / total
