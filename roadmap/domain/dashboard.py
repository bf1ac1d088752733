"""Pure figures the dashboards show beyond the reconciliation itself: milestone years, peer
quartiles, where a company stands among them, the ranking to the next milestone and the
contributions to the platform's gap. Every number is read off the engine's results
(``reconcile``/``platform_aggregate``); nothing here re-derives a target or a gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import units
from roadmap.domain.matching import pathway_region
from roadmap.domain.milestones import milestone_years

Q1, MEDIAN, Q3 = "q1", "median", "q3"
QUARTILE = "quartile"
QUARTILE_COLUMNS = [col.YEAR, Q1, MEDIAN, Q3, col.COMPANIES]
LABEL = "label"
OTHERS = "Other companies"


def latest_reported_year(results: pd.DataFrame) -> int | None:
    reported = results.loc[results[col.KIND] == col.REPORTED, col.YEAR]
    return int(reported.max()) if not reported.empty else None


def latest_positions(results: pd.DataFrame) -> pd.DataFrame:
    """Each company's row at its own latest reported year (at its first reconciled year where
    it reported none), one row per company, by company name. ``results`` are reconciliation
    rows with their ``kind``; an empty frame gives an empty frame with the same columns."""
    if results.empty:
        return results.iloc[0:0]
    first = results.groupby(col.COMPANY)[col.YEAR].min()
    reported = results[results[col.KIND] == col.REPORTED].groupby(col.COMPANY)[col.YEAR].max()
    year = reported.reindex(first.index).fillna(first).astype(int)
    keys = pd.DataFrame({col.COMPANY: year.index, col.YEAR: year.to_numpy()})
    rows = results.merge(keys, on=[col.COMPANY, col.YEAR], how="inner")
    return rows.sort_values(col.COMPANY, kind="stable").reset_index(drop=True)


def peer_quartiles(results: pd.DataFrame, *, min_group: int) -> pd.DataFrame:
    """Per year, the lower quartile, median and upper quartile of company intensity over the
    companies with an intensity that year (linear interpolation between order statistics, as
    numpy's default). Years with fewer than ``min_group`` companies are left out, so a
    quartile never stands for one or two identifiable peers."""
    rows = results[results[col.INTENSITY].notna()]
    if rows.empty:
        return pd.DataFrame(columns=QUARTILE_COLUMNS)
    grouped = rows.groupby(col.YEAR)[col.INTENSITY]
    table = pd.DataFrame(
        {
            Q1: grouped.quantile(0.25),
            MEDIAN: grouped.quantile(0.5),
            Q3: grouped.quantile(0.75),
            col.COMPANIES: grouped.count(),
        }
    ).reset_index()
    return table[table[col.COMPANIES] >= min_group].reset_index(drop=True)[QUARTILE_COLUMNS]


def quartile_of(intensity: float, q1: float, median: float, q3: float) -> int:
    """1 (lowest intensity: the best quarter) to 4 (highest)."""
    return 1 + int(intensity > q1) + int(intensity > median) + int(intensity > q3)


def with_quartiles(rows: pd.DataFrame, quartiles: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (company results) with the peer quartile each falls in that year (``QUARTILE``,
    NaN where there are too few peers to say) and how many companies the quartiles are of
    (``companies``, 0 there)."""
    merged = rows.merge(quartiles, on=col.YEAR, how="left")
    table = rows.copy()
    table[QUARTILE] = [
        np.nan if pd.isna(q1) else quartile_of(c, q1, m, q3)
        for c, q1, m, q3 in zip(
            merged[col.INTENSITY], merged[Q1], merged[MEDIAN], merged[Q3], strict=True
        )
    ]
    table[col.COMPANIES] = merged[col.COMPANIES].fillna(0).astype(int).to_numpy()
    return table


def at_milestones(rows: pd.DataFrame, quartiles: pd.DataFrame) -> pd.DataFrame:
    """Companies' results at each milestone year, with their peer quartile
    (``with_quartiles``)."""
    table = rows[rows[col.YEAR].isin(milestone_years(rows[col.YEAR]))]
    return (
        with_quartiles(table, quartiles).sort_values(col.YEAR, kind="stable").reset_index(drop=True)
    )


def ranking(results: pd.DataFrame, milestone: int) -> pd.DataFrame:
    """Companies ranked by cumulative excess emissions (t CO2e, from the base year) at
    ``milestone``, largest first; a company whose trajectory ends earlier is ranked on its last
    year, which ``year`` shows. Companies that gave only an intensity have no emissions and
    are left out."""
    rows = results[(results[col.YEAR] <= milestone) & results[col.CUMULATIVE_EXCESS].notna()]
    last = rows.sort_values(col.YEAR).groupby(col.COMPANY, sort=False).tail(1)
    table = last[[col.COMPANY, col.YEAR, col.CUMULATIVE_EXCESS, col.STATUS, col.YEARS_BEHIND]]
    return table.sort_values(
        [col.CUMULATIVE_EXCESS, col.COMPANY], ascending=[False, True]
    ).reset_index(drop=True)


def contributions(
    results: pd.DataFrame,
    aggregate: pd.DataFrame,
    year: int,
    *,
    min_group: int,
    limit: int | None = None,
) -> pd.DataFrame:
    """What each company adds to the platform's gap in ``year`` (t CO2e; negative: under its
    fair share), largest first, as (label, excess_emissions, companies).

    ``results`` holds the companies the viewer may see; the rest of the platform's gap (the
    aggregate's gap_emissions less those) is one "Other companies" row, shown only where at
    least ``min_group`` companies make it up. With ``limit``, the companies beyond the
    ``limit`` largest (by size) join that row. Where the rows cover the whole gap, they add up
    to it exactly."""
    rows = results[(results[col.YEAR] == year) & results[col.EXCESS_EMISSIONS].notna()]
    table = pd.DataFrame(
        {LABEL: rows[col.COMPANY], col.EXCESS_EMISSIONS: rows[col.EXCESS_EMISSIONS]}
    )
    table[col.COMPANIES] = 1
    table = table.reindex(table[col.EXCESS_EMISSIONS].abs().sort_values(ascending=False).index)
    rest_value, rest_count = 0.0, 0
    if limit is not None and len(table) > limit:
        rest = table.iloc[limit:]
        rest_value, rest_count = float(rest[col.EXCESS_EMISSIONS].sum()), len(rest)
        table = table.iloc[:limit]
    total = aggregate[aggregate[col.YEAR] == year]
    if not total.empty:
        unseen = int(total[col.COMPANIES].iloc[0]) - len(rows)
        if unseen >= min_group:
            rest_value += float(total[col.GAP_EMISSIONS].iloc[0]) - float(
                rows[col.EXCESS_EMISSIONS].sum()
            )
            rest_count += unseen
    if rest_count:
        others = pd.DataFrame(
            {
                LABEL: [f"{OTHERS} ({rest_count})"],
                col.EXCESS_EMISSIONS: [rest_value],
                col.COMPANIES: [rest_count],
            }
        )
        table = pd.concat([table, others], ignore_index=True)
    return table.sort_values(col.EXCESS_EMISSIONS, ascending=False, kind="stable").reset_index(
        drop=True
    )


def scenario_curves(
    pathways: pd.DataFrame,
    *,
    sector: str,
    scope: str,
    region: str,
    unit: str,
    any_basis: bool = False,
) -> pd.DataFrame:
    """Every scenario's intensity curve for ``sector`` and ``scope`` in ``region`` (else the
    Global curve, as reconciliation falls back), converted to ``unit``: scenario, year,
    intensity. Scenarios whose unit does not convert are left out; so are those on the other
    CO2/CO2e basis unless ``any_basis`` (the user's statement that they may be compared)."""
    rows = pathways[(pathways[col.SECTOR] == sector) & (pathways[col.SCOPE] == scope)]
    frames = []
    for scenario, curve in rows.groupby(col.SCENARIO, sort=True):
        found = pathway_region(curve[col.REGION].unique(), region)
        if found is None:
            continue
        chosen = curve[curve[col.REGION] == found]
        source = str(chosen[col.INTENSITY_UNIT].iloc[0])
        if any_basis:
            source, target = units.as_co2e(source), units.as_co2e(unit)
        else:
            target = unit
        if not units.compatible(source, target):
            continue
        factor = units.conversion_factor(source, target)
        frames.append(
            pd.DataFrame(
                {
                    col.SCENARIO: scenario,
                    col.YEAR: chosen[col.YEAR].astype(int),
                    col.INTENSITY: chosen[col.INTENSITY].astype(float) * factor,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=[col.SCENARIO, col.YEAR, col.INTENSITY])
    return pd.concat(frames, ignore_index=True).sort_values([col.SCENARIO, col.YEAR])


def behind_in_latest_reported(results: pd.DataFrame) -> pd.Series:
    """Per company with a reported year (index: company), whether it is behind its SDA
    target in its latest reported year (bool)."""
    reported = results[results[col.KIND] == col.REPORTED]
    latest = reported.sort_values(col.YEAR, kind="stable").groupby(col.COMPANY).tail(1)
    return (latest[col.STATUS] == col.BEHIND).set_axis(latest[col.COMPANY].to_numpy())


@dataclass(frozen=True)
class PlatformHeadline:
    """The platform's figures at ``year`` (its latest reported year), as one viewer may see
    them: None where withheld or unknown.

    gap: the platform's gap (t CO2e: its emissions less its companies' fair share) in
    ``year``; cumulative_gap: its sum over the consecutive years ``since`` .. ``year``
    (None where a year in between is withheld); coverage: share of sector activity."""

    year: int | None
    gap: float | None = None
    cumulative_gap: float | None = None
    since: int | None = None
    coverage: float | None = None


def platform_headline(aggregate: pd.DataFrame, year: int | None) -> PlatformHeadline:
    """The platform's headline figures at ``year`` from its aggregate rows (those the viewer
    may see). The cumulation runs from the aggregate's first year and is given only where no
    year up to ``year`` is missing, so it never silently leaves a year out."""
    if year is None or aggregate.empty:
        return PlatformHeadline(year)
    rows = aggregate.sort_values(col.YEAR)
    at = rows[rows[col.YEAR] == year]
    if at.empty:
        return PlatformHeadline(year)
    upto = rows[rows[col.YEAR] <= year]
    first = int(upto[col.YEAR].iloc[0])
    complete = upto[col.YEAR].astype(int).tolist() == list(range(first, year + 1))
    coverage = at[col.COVERAGE].iloc[0] if col.COVERAGE in at else np.nan
    return PlatformHeadline(
        year=year,
        gap=float(at[col.GAP_EMISSIONS].iloc[0]),
        cumulative_gap=float(upto[col.GAP_EMISSIONS].sum()) if complete else None,
        since=first if complete else None,
        coverage=None if pd.isna(coverage) else float(coverage),
    )
