"""Hand-computed examples for every formula of DESIGN.md "Reconciliation method".

Alpha (see helpers.py): C(2020) = 2.5, base year b = 2020, N = 2050, S(b) = 2.0, S(N) = 0.0 on
"Test 1.5", so d = 2.5 - 0 = 2.5, p(t) = (S(t) - 0) / (2 - 0) = S(t) / 2 and
T(t) = 2.5 * S(t) / 2 = 1.25 * S(t).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.reconcile import ReconcileParams, reconcile
from tests.domain.helpers import (
    COMPANIES,
    PATHWAYS,
    TRAJECTORY_HEADER,
    pathways,
    row,
    trajectories,
)

approx = pytest.approx


def run(params: ReconcileParams, companies: str = COMPANIES, paths: str = PATHWAYS):
    return reconcile(pathways(paths), trajectories(companies), params)


@pytest.fixture(scope="module")
def sda() -> pd.DataFrame:
    return run(ReconcileParams("Test 1.5")).results


@pytest.mark.parametrize(
    ("year", "intensity", "sector", "target"),
    [
        (2020, 2.5, 2.0, 2.5),  # T(b) = C(b)
        (2021, 2.41, 1.9, 1.25 * 1.9),  # E interpolated: 250 - 9 = 241 -> C = 2.41
        (2025, 2.05, 1.5, 1.25 * 1.5),  # 1.875
        (2030, 1.5, 1.0, 1.25 * 1.0),
        (2040, 1.0, 0.5, 1.25 * 0.5),  # E(2040) = 150 - 100 * 10 / 20 = 100
        (2050, 0.5, 0.0, 0.0),  # T(N) = S(N)
    ],
)
def test_sda_target(sda, year, intensity, sector, target):
    r = row(sda, "Alpha", year)
    assert r[col.INTENSITY] == approx(intensity)
    assert r[col.SECTOR_INTENSITY] == approx(sector)
    assert r[col.TARGET_INTENSITY] == approx(target)


def test_gap_and_status(sda):
    r = row(sda, "Alpha", 2025)
    assert r[col.GAP] == approx(2.05 - 1.875)  # 0.175
    assert r[col.GAP_PCT] == approx(0.175 / 1.875)  # 0.09333...
    assert r[col.STATUS] == "behind"
    base = row(sda, "Alpha", 2020)
    assert (base[col.GAP], base[col.STATUS], base[col.YEARS_BEHIND]) == (0.0, "aligned", 0.0)


def test_gap_pct_is_empty_where_the_target_is_zero(sda):
    r = row(sda, "Alpha", 2050)  # T(2050) = 0, C = 0.5
    assert r[col.GAP] == approx(0.5)
    assert math.isnan(r[col.GAP_PCT])


def test_years_behind_interpolates_the_target(sda):
    # C(2025) = 2.05. T(2023) = 1.25 * 1.7 = 2.125 >= 2.05 > T(2024) = 1.25 * 1.6 = 2.0, so
    # tau = 2023 + (2.125 - 2.05) / (2.125 - 2.0) = 2023.6 and years behind = 2025 - 2023.6.
    assert row(sda, "Alpha", 2025)[col.YEARS_BEHIND] == approx(1.4)
    # C(2030) = 1.5. T(2026) = 1.25 * 1.4 = 1.75, T(2027) = 1.25 * 1.3 = 1.625,
    # T(2028) = 1.25 * 1.2 = 1.5 >= 1.5: tau = 2028, 2 years behind.
    assert row(sda, "Alpha", 2030)[col.YEARS_BEHIND] == approx(2.0)


def test_years_behind_when_no_earlier_target_is_high_enough():
    # Gamma rises above its own base-year intensity: C(2021) = 2.6 > T(2020) = C(b) = 2.5, so
    # no tau in [2020, 2021] has T(tau) >= C(2021): years behind = t - b = 1.
    companies = f"""{TRAJECTORY_HEADER}
Gamma,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported
Gamma,Steel,Global,S1S2,2021,100,t Steel,260,t CO2e,reported
"""
    results = run(ReconcileParams("Test 1.5"), companies).results
    assert row(results, "Gamma", 2021)[col.YEARS_BEHIND] == 1.0


def test_excess_and_cumulative_excess(sda):
    # A = 100 each year. C = 2.5, 2.41, 2.32, 2.23, 2.14, 2.05 (2020..2025);
    # T = 2.5, 2.375, 2.25, 2.125, 2.0, 1.875. excess = (C - T) * A = 0, 3.5, 7, 10.5, 14, 17.5.
    excess = [row(sda, "Alpha", y)[col.EXCESS_EMISSIONS] for y in range(2020, 2026)]
    assert excess == approx([0, 3.5, 7, 10.5, 14, 17.5], abs=1e-9)
    assert row(sda, "Alpha", 2025)[col.CUMULATIVE_EXCESS] == approx(52.5)


def test_required_rate_to_the_next_milestone():
    results = run(ReconcileParams("Test 1.5")).results
    r = row(results, "Alpha", 2025)
    # Next milestone 2030: T(2030) = 1.25; C(2025) = 2.05; five years.
    assert r[col.NEXT_MILESTONE] == 2030
    assert r[col.REQUIRED_RATE] == approx(1 - (1.25 / 2.05) ** (1 / 5))  # 0.0942...
    r = row(results, "Alpha", 2027)  # C = 2.05 - 0.11 * 2 = 1.83 (E 183), T(2030) = 1.25
    assert r[col.REQUIRED_RATE] == approx(1 - (1.25 / 1.83) ** (1 / 3))
    assert math.isnan(row(results, "Alpha", 2050)[col.REQUIRED_RATE])


def test_benchmark_alignment_names_the_most_ambitious_scenario_met(sda):
    # 2020: C = 2.5 > 2.0 on both scenarios.
    assert row(sda, "Alpha", 2020)[col.BENCHMARK_ALIGNMENT] == "not aligned"
    # 2030: C = 1.5; Test 1.5 has 1.0 (not met), Test 2 has 1.6 (met).
    assert row(sda, "Alpha", 2030)[col.BENCHMARK_ALIGNMENT] == "Test 2"
    # Delta 2030: C = 1.5 - 1.5 * 10 / 30 = 1.0 <= 1.0 on Test 1.5, the more ambitious one.
    assert row(sda, "Delta", 2030)[col.BENCHMARK_ALIGNMENT] == "Test 1.5"


def test_market_share_variant():
    # m(t) = (A(b)/A_s(b)) / (A(t)/A_s(t)); Alpha's A = 100 flat, A_s: 1000 (2020), 2000 (2030).
    # m(2030) = (100/1000) / (100/2000) = 2; T(2030) = d * p * m + S(N) = 2.5 * 0.5 * 2 = 2.5.
    # m(2025) = (100/1000) / (100/1500) = 1.5; T(2025) = 2.5 * 0.75 * 1.5 = 2.8125.
    results = run(ReconcileParams("Test 1.5", method="sda-market-share")).results
    assert row(results, "Alpha", 2030)[col.TARGET_INTENSITY] == approx(2.5)
    assert row(results, "Alpha", 2025)[col.TARGET_INTENSITY] == approx(2.8125)
    assert row(results, "Alpha", 2020)[col.TARGET_INTENSITY] == approx(2.5)


def test_market_share_needs_sector_activity():
    with pytest.raises(ReconcileError, match="needs sector activity"):
        run(ReconcileParams("Test 2", method="sda-market-share"))


def test_pacta_market_adjusted_scenario():
    # M(b) = (2.5 * 100 + 1.5 * 300) / 400 = 1.75; S'(t) = S(t) * 1.75 / 2.0 on "Test 2":
    # S'(b) = 1.75, S'(2030) = 1.4, S'(N) = 0.875. Alpha: d = 2.5 - 0.875 = 1.625,
    # p(2030) = (1.6 - 1.0) / (2.0 - 1.0) = 0.6, T(2030) = 1.625 * 0.6 + 0.875 = 1.85.
    adjusted = run(ReconcileParams("Test 2", adjust_scenario="market")).results
    assert row(adjusted, "Alpha", 2030)[col.TARGET_INTENSITY] == approx(1.85)
    assert row(adjusted, "Alpha", 2050)[col.TARGET_INTENSITY] == approx(0.875)
    # Unadjusted: d = 2.5 - 1.0 = 1.5, T(2030) = 1.5 * 0.6 + 1.0 = 1.9; T(N) = S(N) = 1.0.
    plain = run(ReconcileParams("Test 2")).results
    assert row(plain, "Alpha", 2030)[col.TARGET_INTENSITY] == approx(1.9)
    assert row(plain, "Alpha", 2050)[col.TARGET_INTENSITY] == approx(1.0)
    # The published curve is still what sector_intensity shows.
    assert row(adjusted, "Alpha", 2030)[col.SECTOR_INTENSITY] == approx(1.6)


def test_flat_scenario_uses_p_equal_to_one():
    flat = PATHWAYS.replace(",1.0,t CO2e/(t Steel),2000", ",2.0,t CO2e/(t Steel),2000").replace(
        ",0.0,t CO2e/(t Steel),2000", ",2.0,t CO2e/(t Steel),2000"
    )
    # S(b) = S(N) = 2.0: p = 1, T(t) = (C(b) - S(N)) * 1 + S(N) = C(b) = 2.5 every year.
    results = run(ReconcileParams("Test 1.5"), paths=flat).results
    assert row(results, "Alpha", 2040)[col.TARGET_INTENSITY] == approx(2.5)


def test_intensity_only_company():
    # Beta gives intensity only: 1.8 (2020), 0.8 (2030). T = (1.8 - 0) * S(t) / 2 = 0.9 S(t).
    # 2030: C = 0.8, T = 0.9: aligned; no activity, so no excess emissions.
    companies = """company,sector,region,scope,year,intensity,intensity_unit,kind
Beta,Steel,Global,S1S2,2020,1.8,t CO2e/(t Steel),reported
Beta,Steel,Global,S1S2,2030,0.8,t CO2e/(t Steel),planned
"""
    results = run(ReconcileParams("Test 1.5"), companies).results
    r = row(results, "Beta", 2025)
    assert r[col.INTENSITY] == approx(1.3)  # interpolated intensity
    assert r[col.TARGET_INTENSITY] == approx(0.9 * 1.5)
    r = row(results, "Beta", 2030)
    assert (r[col.STATUS], r[col.YEARS_BEHIND]) == ("aligned", 0.0)
    assert r[col.GAP] == approx(-0.1)
    assert math.isnan(r[col.EXCESS_EMISSIONS])
    assert results[col.YEAR].max() == 2030  # years beyond the submission are not invented


def test_units_are_converted():
    # The same company in kilotonnes and kg CO2e per tonne gives the same figures.
    kilo = COMPANIES.replace(",100,t Steel,250,t CO2e", ",0.1,kt Steel,0.25,kt CO2e")
    results = run(ReconcileParams("Test 1.5"), kilo).results
    assert row(results, "Alpha", 2020)[col.INTENSITY] == approx(2.5)
    per_kg = (
        PATHWAYS.replace("t CO2e/(t Steel)", "kg CO2e/(t Steel)")
        .replace(",2.0,kg", ",2000,kg")
        .replace(",1.0,kg", ",1000,kg")
        .replace(",1.6,kg", ",1600,kg")
    )
    results = run(ReconcileParams("Test 1.5"), paths=per_kg).results
    r = row(results, "Alpha", 2030)
    assert r[col.INTENSITY] == approx(1500)  # 150 t / 100 t = 1.5 t/t = 1500 kg/t
    assert r[col.TARGET_INTENSITY] == approx(1250)
    assert r[col.EXCESS_EMISSIONS] == approx((1.5 - 1.25) * 100)  # t CO2e, whatever the unit


def test_company_without_base_year_is_left_out_with_a_warning():
    late = COMPANIES + "Omega,Steel,Global,S1S2,2022,100,t Steel,200,t CO2e,reported\n"
    late += "Omega,Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned\n"
    outcome = run(ReconcileParams("Test 1.5"), late)
    assert set(outcome.results[col.COMPANY]) == {"Alpha", "Delta"}
    assert any("Omega" in w and "base year 2020" in w for w in outcome.warnings)


def test_base_year_option_and_interpolated_company_base():
    # Base year 2022 for both: Alpha's C(2022) = 2.32 (E interpolated), S(2022) = 1.8.
    # T(2030) = (2.32 - 0) * (1.0 - 0) / (1.8 - 0) = 1.2888...
    results = run(ReconcileParams("Test 1.5", base_year=2022)).results
    assert results[col.YEAR].min() == 2022
    assert row(results, "Alpha", 2030)[col.TARGET_INTENSITY] == approx(2.32 / 1.8)


def test_base_year_outside_the_pathway_is_refused():
    with pytest.raises(ReconcileError, match="never extrapolated"):
        run(ReconcileParams("Test 1.5", base_year=2015))


def test_rows_stop_at_the_scenario_final_year():
    longer = COMPANIES + "Alpha,Steel,Global,S1S2,2055,100,t Steel,40,t CO2e,planned\n"
    results = run(ReconcileParams("Test 1.5"), longer).results
    assert row(results, "Alpha", 2050)[col.TARGET_INTENSITY] == 0.0
    assert results[col.YEAR].max() == 2050


def test_output_order_and_columns(sda):
    assert list(sda.columns[: len(col.RESULT_COLUMNS)]) == col.RESULT_COLUMNS
    ordered = sda.sort_values([col.COMPANY, col.YEAR]).reset_index(drop=True)
    pd.testing.assert_frame_equal(sda, ordered)
    assert len(sda) == 31 + 31  # Alpha 2020..2050, Delta 2020..2050


def test_region_falls_back_to_global_with_a_warning():
    europe = COMPANIES.replace("Alpha,Steel,Global", "Alpha,Steel,Europe")
    outcome = run(ReconcileParams("Test 1.5"), europe)
    assert row(outcome.results, "Alpha", 2030)[col.TARGET_INTENSITY] == approx(1.25)
    assert any("Europe" in w and "Global" in w for w in outcome.warnings)


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        (("Steel,Global,S1S2", "Glass,Global,S1S2"), "sector", "unknown sector 'Glass'"),
        (("Steel,Global,S1S2", "Steel,Global,S1"), "scope", "no Steel pathway for scope S1"),
    ],
)
def test_unmatched_company_names_row_and_column(change, column, message):
    with pytest.raises(InputError) as caught:
        run(ReconcileParams("Test 1.5"), COMPANIES.replace(*change))
    problems = caught.value.problems
    assert {(p.file, p.row, p.column) for p in problems} == {
        ("companies.csv", r, column) for r in range(2, 8)
    }
    assert message in problems[0].message


def test_unknown_scenario_lists_the_known_ones():
    with pytest.raises(InputError, match="no scenario named 'Nope'.*'Test 1.5', 'Test 2'"):
        run(ReconcileParams("Nope"))


def test_scenario_and_sector_names_ignore_case():
    lower = COMPANIES.replace(",Steel,", ",steel,")
    results = run(ReconcileParams("test 1.5"), lower).results
    assert set(results[col.SECTOR]) == {"Steel"}
    assert set(results[col.SCENARIO]) == {"Test 1.5"}


def test_no_loop_grows_with_years_behind_blocks():
    """years_behind works block by block; a result across a block edge is unchanged."""
    from roadmap.domain import metrics

    target = np.array([[2.0, 1.5, 1.0]] * 5000)
    current = np.array([[2.0, 1.75, 1.5]] * 5000)
    # Row: t = b+1: C = 1.75, T(b) = 2.0 >= 1.75 > T(b+1) = 1.5: tau = b + 0.25/0.5 = b + 0.5.
    # t = b+2: C = 1.5 = T(b+1): tau = b + 1, 1 year behind.
    out = metrics.years_behind(target, current)
    assert out[0].tolist() == approx([0.0, 0.5, 1.0])
    assert out[4999].tolist() == approx([0.0, 0.5, 1.0])
