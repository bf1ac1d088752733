"""Implied temperature rise of companies and sectors, by the budget method (DESIGN.md,
"Temperature and credibility"; after os-climate ITR).

For a company reconciled against scenario s (benchmark temperature theta_s, global CO2 budget
G_s), over its reconciled years t = b .. min(last, N) on the annual grid:

    cumulative_emissions = sum E(t)          (t CO2e)
    cumulative_budget    = sum T(t) A(t)     (t CO2e, its SDA fair share)
    budget_ratio         = cumulative_emissions / cumulative_budget
    implied_temperature  = theta_s + G_s (budget_ratio - 1) TCRE   (degC)

so a company exactly on its SDA target scores theta_s. A sector's score uses the sums over its
scored companies, each over its own years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain.benchmarks import scenario_temperatures

# Global CO2 budgets (Gt CO2) of the benchmark temperatures, as os-climate ITR gives them.
GLOBAL_BUDGETS = {1.5: 396.0, 1.65: 646.0, 2.0: 1229.0}
# Transient climate response to cumulative emissions: degC per Gt CO2.
TCRE = 2.2 / 3664


@dataclass(frozen=True)
class TemperatureScores:
    """``table``: col.TEMPERATURE_COLUMNS, company rows then sector rows, sorted by sector and
    company. ``notes``: why a company or sector has no score (never an error)."""

    table: pd.DataFrame
    notes: tuple[str, ...]


def scenario_budgets(pathways: pd.DataFrame) -> dict[tuple[str, str], float]:
    """{(sector, scenario): G_s in Gt CO2}: the pathway's ``global_budget`` where given, else
    GLOBAL_BUDGETS at its temperature; scenarios with neither are absent."""
    out = {
        key: GLOBAL_BUDGETS[round(t, 2)]
        for key, t in scenario_temperatures(pathways).items()
        if round(t, 2) in GLOBAL_BUDGETS
    }
    if col.GLOBAL_BUDGET in pathways:
        given = pathways[pathways[col.GLOBAL_BUDGET].notna()]
        for sector, scenario, budget in (
            given[[col.SECTOR, col.SCENARIO, col.GLOBAL_BUDGET]]
            .drop_duplicates([col.SECTOR, col.SCENARIO])
            .itertuples(index=False)
        ):
            out[(sector, scenario)] = float(budget)
    return out


def implied_temperatures(
    results: pd.DataFrame, pathways: pd.DataFrame, scenario: str
) -> TemperatureScores:
    """Scores of the companies in reconciliation ``results`` (against ``scenario``, as in the
    ``pathways`` table it was reconciled with) and of their sectors.

    A sector whose scenario has no temperature, or no budget (neither the pathway's
    ``global_budget`` nor one of GLOBAL_BUDGETS), and a company that gives only an intensity
    (no emissions to sum) get no score and a note.
    """
    thetas, budgets = scenario_temperatures(pathways), scenario_budgets(pathways)
    notes: list[str] = []
    sectors = sorted(results[col.SECTOR].unique())
    theta = {s: thetas.get((s, scenario), np.nan) for s in sectors}
    budget = {s: budgets.get((s, scenario), np.nan) for s in sectors}
    for s in sectors:
        if np.isnan(theta[s]):
            notes.append(f"{s}: '{scenario}' gives no benchmark temperature, so no score")
        elif np.isnan(budget[s]):
            notes.append(
                f"{s}: no global CO2 budget for {theta[s]:g} degC ('{scenario}' gives no "
                "global_budget column), so no score"
            )
    scored = [s for s in sectors if not np.isnan(budget[s] + theta[s])]
    rows = results[results[col.SECTOR].isin(scored)]  # per sector, not per row
    groups = rows.groupby([col.SECTOR, col.COMPANY], sort=True)
    sums = groups.agg(**{col.BASE_YEAR: (col.YEAR, "min"), col.END_YEAR: (col.YEAR, "max")})
    positions = [groups.indices[key] for key in sums.index]
    sums[col.CUMULATIVE_EMISSIONS] = _whole_sums(positions, rows[col.EMISSIONS])
    sums[col.CUMULATIVE_BUDGET] = _whole_sums(positions, rows[col.FAIR_SHARE_EMISSIONS])
    unknown = sums[col.CUMULATIVE_EMISSIONS].isna() | sums[col.CUMULATIVE_BUDGET].isna()
    notes += [
        f"{company} ({sector}) gives only an intensity: no emissions to sum, so no score"
        for sector, company in sums.index[unknown]
    ]
    companies = sums[~unknown].reset_index()
    totals = (
        companies.groupby(col.SECTOR, sort=True)
        .agg(
            **{
                col.BASE_YEAR: (col.BASE_YEAR, "min"),
                col.END_YEAR: (col.END_YEAR, "max"),
                col.CUMULATIVE_EMISSIONS: (col.CUMULATIVE_EMISSIONS, "sum"),
                col.CUMULATIVE_BUDGET: (col.CUMULATIVE_BUDGET, "sum"),
            }
        )
        .reset_index()
    )
    table = pd.concat(
        [
            companies.assign(**{col.LEVEL: col.LEVEL_COMPANY}),
            totals.assign(**{col.LEVEL: col.LEVEL_SECTOR, col.COMPANY: ""}),
        ],
        ignore_index=True,
    )
    table[col.SCENARIO] = scenario
    table = _score(table, theta, budget)
    return TemperatureScores(table[col.TEMPERATURE_COLUMNS], tuple(notes))


def _whole_sums(positions: list[np.ndarray], values: pd.Series) -> list[float]:
    """Per group (its rows' positions, in row order), the sum of ``values``, NaN where any
    is missing: ``v.sum(min_count=len(v))`` of each group, NumPy's pairwise sum of its values
    in row order, without a call through pandas per group."""
    numbers = values.to_numpy(dtype="float64")
    out = []
    for rows in positions:
        part = numbers[rows]
        out.append(float("nan") if np.isnan(part).any() else float(part.sum()))
    return out


def _score(table: pd.DataFrame, theta: dict[str, float], budget: dict[str, float]) -> pd.DataFrame:
    """budget_ratio and implied_temperature; NaN where the budget sums to zero."""
    fair = table[col.CUMULATIVE_BUDGET].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(
            fair > 0, table[col.CUMULATIVE_EMISSIONS] / np.where(fair > 0, fair, 1), np.nan
        )
    t_s = table[col.SECTOR].map(theta).to_numpy(dtype="float64")
    g_s = table[col.SECTOR].map(budget).to_numpy(dtype="float64")
    return table.assign(
        **{
            col.BUDGET_RATIO: ratio,
            col.IMPLIED_TEMPERATURE: t_s + g_s * (ratio - 1.0) * TCRE,
            col.BASE_YEAR: table[col.BASE_YEAR].astype("int64"),
            col.END_YEAR: table[col.END_YEAR].astype("int64"),
        }
    )
