"""The dashboards' tables: the text alternative of each chart and the downloads, with units in
every header."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import dashboard as dash
from roadmap.reconciliation.charts import WEBGL_OVER


@dataclass(frozen=True)
class Table:
    title: str
    frame: pd.DataFrame  # headers carry their units


def _headers(unit: str, activity_unit: str = "activity") -> dict[str, str]:
    return {
        col.COMPANY: "Company",
        col.YEAR: "Year",
        col.KIND: "Kind",
        col.ACTIVITY: f"Activity ({activity_unit})",
        col.EMISSIONS: "Emissions (t CO2e)",
        col.INTENSITY: f"Intensity ({unit})",
        col.SECTOR_INTENSITY: f"Sector curve ({unit})",
        col.TARGET_INTENSITY: f"SDA target ({unit})",
        col.GAP: f"Gap to target ({unit})",
        col.GAP_PCT: "Gap to target (% of target)",
        col.STATUS: "Status",
        col.YEARS_BEHIND: "Years behind (years)",
        col.EXCESS_EMISSIONS: "Excess emissions (t CO2e)",
        col.CUMULATIVE_EXCESS: "Cumulative excess emissions (t CO2e)",
        col.BENCHMARK_ALIGNMENT: "Lowest-temperature benchmark met",
        col.BASE_YEAR: "From",
        col.END_YEAR: "To",
        col.CUMULATIVE_EMISSIONS: "Cumulative emissions (t CO2e)",
        col.CUMULATIVE_BUDGET: "Cumulative SDA budget (t CO2e)",
        col.BUDGET_RATIO: "Emissions / budget",
        col.IMPLIED_TEMPERATURE: "Implied temperature rise (°C)",
        col.REQUIRED_RATE: "Reduction needed to next milestone (% a year)",
        col.NEXT_MILESTONE: "Next milestone (year)",
        dash.QUARTILE: "Peer quartile (1 = lowest intensity)",
        col.COVERAGE: "Coverage of sector activity (%)",
        col.COMPANIES: "Companies",
    }


def _percent(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    frame = frame.copy()
    for name in columns:
        frame[name] = frame[name].astype(float) * 100  # unrounded: pages round, files keep all
    return frame


def result_table(title: str, rows: pd.DataFrame, columns: list[str], unit: str) -> Table:
    activity_unit = (
        str(rows[col.ACTIVITY_UNIT].dropna().iloc[0])
        if col.ACTIVITY_UNIT in rows and rows[col.ACTIVITY_UNIT].notna().any()
        else "activity"
    )
    present = [c for c in columns if c in rows]
    percent = [c for c in (col.GAP_PCT, col.REQUIRED_RATE, col.COVERAGE) if c in present]
    frame = _percent(rows[present], *percent)
    return Table(title, frame.rename(columns=_headers(unit, activity_unit)).reset_index(drop=True))


def curves_table(
    curves: pd.DataFrame,
    unit: str,
    *,
    aggregate: pd.DataFrame | None = None,
    quartiles: pd.DataFrame | None = None,
    companies: pd.DataFrame | None = None,
    targets: bool = False,
) -> Table:
    """The sector curves, the platform aggregate, the peer quartiles and each company's
    intensity (and SDA target, with ``targets``) by year: the text alternative of a
    trajectory chart. Beyond the chart's WebGL threshold the companies are left to the
    results table, which holds them all."""
    wide = curves.pivot(index=col.YEAR, columns=col.SCENARIO, values=col.INTENSITY)
    wide.columns = [f"{name} ({unit})" for name in wide.columns]
    if aggregate is not None and not aggregate.empty:
        wide = wide.join(
            aggregate.set_index(col.YEAR)[col.INTENSITY].rename(f"Platform aggregate ({unit})"),
            how="outer",
        )
    if quartiles is not None and not quartiles.empty:
        peers = quartiles.set_index(col.YEAR)[[dash.Q1, dash.MEDIAN, dash.Q3]]
        peers.columns = [
            f"Peers' lower quartile ({unit})",
            f"Peers' median ({unit})",
            f"Peers' upper quartile ({unit})",
        ]
        wide = wide.join(peers, how="outer")
    if companies is not None and 0 < companies[col.COMPANY].nunique() <= WEBGL_OVER:
        for value, label in ((col.INTENSITY, ""), (col.TARGET_INTENSITY, ": SDA target")):
            if value == col.TARGET_INTENSITY and not targets:
                continue
            own = companies.pivot(index=col.YEAR, columns=col.COMPANY, values=value)
            own.columns = [f"{name}{label} ({unit})" for name in own.columns]
            wide = wide.join(own, how="outer")
    wide.index.name = "Year"
    return Table("The chart's lines by year", wide.reset_index())


RESULT_TABLE = [
    col.COMPANY,
    col.YEAR,
    col.KIND,
    col.ACTIVITY,
    col.EMISSIONS,
    col.INTENSITY,
    col.SECTOR_INTENSITY,
    col.TARGET_INTENSITY,
    col.GAP,
    col.GAP_PCT,
    col.STATUS,
    col.YEARS_BEHIND,
    col.EXCESS_EMISSIONS,
    col.CUMULATIVE_EXCESS,
    col.BENCHMARK_ALIGNMENT,
    col.REQUIRED_RATE,
    col.NEXT_MILESTONE,
]
TEMPERATURE_TABLE = [
    col.COMPANY,
    col.BASE_YEAR,
    col.END_YEAR,
    col.CUMULATIVE_EMISSIONS,
    col.CUMULATIVE_BUDGET,
    col.BUDGET_RATIO,
    col.IMPLIED_TEMPERATURE,
]
MILESTONE_TABLE = [
    col.COMPANY,
    col.YEAR,
    col.KIND,
    col.INTENSITY,
    col.TARGET_INTENSITY,
    col.GAP,
    col.GAP_PCT,
    col.STATUS,
    col.YEARS_BEHIND,
    col.REQUIRED_RATE,
    col.NEXT_MILESTONE,
    dash.QUARTILE,
]
