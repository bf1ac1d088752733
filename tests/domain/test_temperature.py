"""Implied temperature rise by the budget method (DESIGN.md, "Temperature and credibility").

Worked on paper, Alpha against "Test 1.5" (helpers.py): A = 100 t every year; E falls by 9 a
year from 250 (2020) to 205 (2025), by 11 a year to 150 (2030), by 5 a year to 50 (2050).
    sum E 2020-2025 = (250 + 205) * 6 / 2 = 1365
    sum E 2026-2030 = (194 + 150) * 5 / 2 = 860
    sum E 2031-2050 = (145 + 50) * 20 / 2 = 1950          -> cumulative_emissions = 4175 t
T(t) = 1.25 S(t) (test_reconcile.py); S falls by 0.1 a year from 2.0 (2020) to 1.0 (2030),
then by 0.05 a year to 0.0 (2050): sum S = (2.0 + 1.0) * 11 / 2 + (0.95 + 0) * 20 / 2 = 26.
    cumulative_budget = sum T A = 1.25 * 26 * 100 = 3250 t
    budget_ratio = 4175 / 3250 = 1.284615...
    implied_temperature = 1.5 + 396 * (925 / 3250) * 2.2 / 3664 = 1.5 + 0.0676738 = 1.5676738
Delta: A = 300, E from 450 (2020) to 0 (2050), 15 less a year; C(b) = 1.5, T = 0.75 S.
    cumulative_emissions = (450 + 0) * 31 / 2 = 6975; cumulative_budget = 0.75 * 26 * 300 = 5850
The sector: (4175 + 6975) / (3250 + 5850) = 11150 / 9100 = 1.2252747...
    implied_temperature = 1.5 + 396 * (2050 / 9100) * 2.2 / 3664 = 1.5535642
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.domain import columns as col
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.domain.temperature import GLOBAL_BUDGETS, TCRE, implied_temperatures
from tests.domain.helpers import (
    PATHWAY_HEADER,
    PATHWAYS,
    TRAJECTORY_HEADER,
    pathways,
    trajectories,
)

approx = pytest.approx


def scores(scenario: str = "Test 1.5", paths: str = PATHWAYS, companies: str | None = None):
    table = pathways(paths)
    result = reconcile(
        table, trajectories(companies) if companies else trajectories(), ReconcileParams(scenario)
    )
    return implied_temperatures(result.results, table, result.scenario)


def score_row(table: pd.DataFrame, company: str) -> pd.Series:
    return table[table[col.COMPANY] == company].iloc[0]


def test_constants_are_itr_figures():
    assert GLOBAL_BUDGETS == {1.5: 396.0, 1.65: 646.0, 2.0: 1229.0}
    assert approx(6.004366812e-4) == TCRE


def test_company_and_sector_scores_worked_by_hand():
    out = scores()
    assert list(out.table.columns) == col.TEMPERATURE_COLUMNS
    alpha = score_row(out.table, "Alpha")
    assert (alpha[col.LEVEL], alpha[col.BASE_YEAR], alpha[col.END_YEAR]) == ("company", 2020, 2050)
    assert alpha[col.CUMULATIVE_EMISSIONS] == approx(4175)
    assert alpha[col.CUMULATIVE_BUDGET] == approx(3250)
    assert alpha[col.BUDGET_RATIO] == approx(4175 / 3250)
    assert alpha[col.IMPLIED_TEMPERATURE] == approx(1.5676738, abs=1e-7)
    delta = score_row(out.table, "Delta")
    assert (delta[col.CUMULATIVE_EMISSIONS], delta[col.CUMULATIVE_BUDGET]) == (
        approx(6975),
        approx(5850),
    )
    sector = out.table[out.table[col.LEVEL] == "sector"].iloc[0]
    assert sector[col.COMPANY] == "" and sector[col.SECTOR] == "Steel"
    assert sector[col.CUMULATIVE_EMISSIONS] == approx(11150)
    assert sector[col.BUDGET_RATIO] == approx(11150 / 9100)
    assert sector[col.IMPLIED_TEMPERATURE] == approx(1.5535642, abs=1e-7)
    assert out.notes == ()


def test_two_degree_scenario_uses_its_budget():
    # Against "Test 2" (S = 2.0, 1.6 (2030), 1.0 (2050); S(N) = 1.0), Delta: C(b) = 1.5,
    # d = 0.5, p = (S - 1) / (2 - 1) = S - 1, T = 0.5 (S - 1) + 1 = 0.5 S + 0.5.
    # sum S = (2.0 + 1.6) * 11 / 2 + (1.57 + 1.0) * 20 / 2 = 19.8 + 25.7 = 45.5;
    # sum T = 0.5 * 45.5 + 0.5 * 31 = 38.25; budget = 38.25 * 300 = 11475; E = 6975.
    # implied = 2.0 + 1229 * (6975 / 11475 - 1) * TCRE = 2.0 - 481.96 * 6.0044e-4 = 1.710613
    delta = score_row(scores("Test 2").table, "Delta")
    assert delta[col.CUMULATIVE_BUDGET] == approx(11475)
    assert delta[col.IMPLIED_TEMPERATURE] == approx(2.0 + 1229 * (6975 / 11475 - 1) * TCRE)
    assert delta[col.IMPLIED_TEMPERATURE] == approx(1.710613, abs=1e-6)


def with_columns(extra_header: str, values: dict[str, str]) -> str:
    """PATHWAYS with more per-scenario columns: ``values[scenario]`` is appended to its rows."""
    lines = PATHWAYS.strip().splitlines()
    body = [f"{line},{values[line.split(',')[1]]}" for line in lines[1:]]
    return "\n".join([f"{lines[0]},{extra_header}", *body]) + "\n"


def test_a_pathway_global_budget_overrides_the_table():
    # Same sums as the hand-worked Alpha, with G = 500 Gt: 1.5 + 500 * 925/3250 * TCRE.
    paths = with_columns("global_budget", {"Test 1.5": "500", "Test 2": ""})
    alpha = score_row(scores(paths=paths).table, "Alpha")
    assert alpha[col.IMPLIED_TEMPERATURE] == approx(1.5 + 500 * 925 / 3250 * TCRE)


def test_no_temperature_or_no_budget_gives_no_score_and_a_note():
    paths = PATHWAYS.replace(",1.5\n", ",1.75\n")  # 1.75 degC: no budget in the table
    out = scores("Test 1.5", paths=paths)
    assert out.table.empty
    assert out.notes == (
        "Steel: no global CO2 budget for 1.75 degC ('Test 1.5' gives no global_budget column), "
        "so no score",
    )
    bare = (
        PATHWAY_HEADER
        + "\n"
        + "\n".join(",".join(line.split(",")[:9]) for line in PATHWAYS.strip().splitlines()[1:])
    )
    out = scores("Test 1.5", paths=bare + "\n")
    assert out.table.empty
    assert out.notes == ("Steel: 'Test 1.5' gives no benchmark temperature, so no score",)


def test_an_intensity_only_company_is_left_out_of_the_sums_with_a_note():
    companies = """company,sector,region,scope,year,intensity,intensity_unit,kind
Iota,Steel,Global,S1S2,2020,2.0,t CO2e/(t Steel),reported
Iota,Steel,Global,S1S2,2030,1.0,t CO2e/(t Steel),planned
"""
    out = scores(companies=companies)
    assert out.table.empty
    assert out.notes == ("Iota (Steel) gives only an intensity: no emissions to sum, so no score",)


def test_extend_flat_holds_a_short_plan_to_the_final_year():
    # Kappa: A = 100, E = 200 (2020) and 100 (2030), then nothing. C(b) = 2.0 = S(b), so
    # T = S. Without extension: years 2020-2030, E sum = (200 + 100) * 11 / 2 = 1650, budget
    # sum S * 100 = 16.5 * 100 = 1650: ratio 1, score 1.5. Held flat to 2050: E adds
    # 20 * 100 = 2000 (3650), the budget adds 9.5 * 100 = 950 (2600): ratio 3650 / 2600.
    companies = f"""{TRAJECTORY_HEADER}
Kappa,Steel,Global,S1S2,2020,100,t Steel,200,t CO2e,reported
Kappa,Steel,Global,S1S2,2030,100,t Steel,100,t CO2e,planned
"""
    table = pathways()
    short = reconcile(table, trajectories(companies), ReconcileParams("Test 1.5"))
    assert short.results[col.YEAR].max() == 2030
    kappa = score_row(implied_temperatures(short.results, table, "Test 1.5").table, "Kappa")
    assert (kappa[col.END_YEAR], kappa[col.BUDGET_RATIO]) == (2030, approx(1.0))
    held = reconcile(table, trajectories(companies), ReconcileParams("Test 1.5", extend="flat"))
    last = held.results[held.results[col.YEAR] == 2050].iloc[0]
    assert (last[col.EMISSIONS], last[col.ACTIVITY], last[col.KIND]) == (100, 100, "planned")
    kappa = score_row(implied_temperatures(held.results, table, "Test 1.5").table, "Kappa")
    assert (kappa[col.END_YEAR], kappa[col.CUMULATIVE_EMISSIONS]) == (2050, approx(3650))
    assert kappa[col.CUMULATIVE_BUDGET] == approx(2600)
    assert kappa[col.IMPLIED_TEMPERATURE] == approx(1.5 + 396 * (3650 / 2600 - 1) * TCRE)


# Property tests: a company of any size and base intensity.
YEARS = list(range(2020, 2051))
KINDS = ["reported"] + ["planned"] * 30
base_intensity = st.floats(min_value=0.05, max_value=10.0, allow_nan=False)
activities = st.lists(
    st.floats(min_value=1.0, max_value=1e6, allow_nan=False), min_size=31, max_size=31
)


def company_text(emissions: list[float], activity: list[float]) -> str:
    rows = [
        f"P,Steel,Global,S1S2,{y},{a!r},t Steel,{e!r},t CO2e,{kind}"
        for y, a, e, kind in zip(YEARS, activity, emissions, KINDS, strict=True)
    ]
    return TRAJECTORY_HEADER + "\n" + "\n".join(rows) + "\n"


def sda_target(c_b: float, scenario: str) -> np.ndarray:
    """T(t) by the SDA on the helpers' pathways, every year 2020-2050."""
    s_points = {"Test 1.5": (2.0, 1.0, 0.0), "Test 2": (2.0, 1.6, 1.0)}[scenario]
    s = np.interp(YEARS, [2020, 2030, 2050], s_points)
    return (c_b - s[-1]) * (s - s[-1]) / (s[0] - s[-1]) + s[-1]


@settings(max_examples=12, deadline=None)
@given(base_intensity, activities, st.sampled_from(["Test 1.5", "Test 2"]))
def test_a_company_on_its_sda_target_scores_the_benchmark_temperature(c_b, activity, scenario):
    emissions = [float(e) for e in sda_target(c_b, scenario) * np.array(activity)]
    out = scores(scenario, companies=company_text(emissions, activity))
    theta = {"Test 1.5": 1.5, "Test 2": 2.0}[scenario]
    assert score_row(out.table, "P")[col.IMPLIED_TEMPERATURE] == approx(theta, abs=1e-9)


@settings(max_examples=12, deadline=None)
@given(base_intensity, activities, st.lists(st.floats(0.2, 3.0), min_size=31, max_size=31))
def test_doubling_every_emission_raises_the_score(c_b, activity, wobble):
    """On "Test 2" (S(N) = 1.0 > 0) the target grows less than the emissions when they double:
    T' = (2 C(b) - S(N)) p + S(N) = 2 T - S(N) (1 - p) < 2 T where p < 1. (Where S(N) = 0,
    as on "Test 1.5", T doubles with C(b) and the ratio, hence the score, stays the same.)"""
    emissions = [
        float(e) for e in sda_target(c_b, "Test 2") * np.array(activity) * np.array(wobble)
    ]
    once = score_row(scores("Test 2", companies=company_text(emissions, activity)).table, "P")
    doubled = [2 * e for e in emissions]
    twice = score_row(scores("Test 2", companies=company_text(doubled, activity)).table, "P")
    assert twice[col.IMPLIED_TEMPERATURE] > once[col.IMPLIED_TEMPERATURE]
    same = score_row(scores("Test 1.5", companies=company_text(doubled, activity)).table, "P")
    base = score_row(scores("Test 1.5", companies=company_text(emissions, activity)).table, "P")
    assert same[col.IMPLIED_TEMPERATURE] == approx(base[col.IMPLIED_TEMPERATURE])
    assert not math.isnan(twice[col.IMPLIED_TEMPERATURE])
