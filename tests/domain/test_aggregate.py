"""Platform aggregate, worked by hand on the helpers.py companies against "Test 1.5".

2030: Alpha A = 100, E = 150, T = 1.25 -> fair share 125. Delta A = 300,
E = 450 - 450 * 10 / 30 = 300, C = 1.0, T = 1.5 * S(2030) / S(b) = 1.5 * 1.0 / 2.0 = 0.75 ->
fair share 225.
"""

from __future__ import annotations

import math

import pytest

from roadmap.domain import columns as col
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.reconcile import ReconcileParams, reconcile
from tests.domain.helpers import COMPANIES, pathways, trajectories

approx = pytest.approx


def aggregate(scenario="Test 1.5", companies=COMPANIES):
    outcome = reconcile(pathways(), trajectories(companies), ReconcileParams(scenario))
    return outcome.results, *platform_aggregate(outcome.results)


def test_platform_totals_in_2030():
    results, totals, warnings = aggregate()
    r = totals[totals[col.YEAR] == 2030].iloc[0]
    assert (r[col.SECTOR], r[col.SCENARIO]) == ("Steel", "Test 1.5")
    assert r[col.ACTIVITY] == approx(400)
    assert r[col.EMISSIONS] == approx(450)
    assert r[col.INTENSITY] == approx(450 / 400)
    assert r[col.FAIR_SHARE_EMISSIONS] == approx(125 + 225)
    assert r[col.SECTOR_CURVE_EMISSIONS] == approx(1.0 * 400)  # S(2030) * sum A
    assert r[col.GAP_EMISSIONS] == approx(100)  # Alpha 25 + Delta 75
    assert warnings == ()


def test_company_contributions_add_up_to_the_platform_gap():
    results, totals, _ = aggregate()
    by_year = results.groupby(col.YEAR)[col.EXCESS_EMISSIONS].sum()
    assert totals.set_index(col.YEAR)[col.GAP_EMISSIONS].to_numpy() == approx(
        by_year.to_numpy(), abs=1e-9
    )


def test_base_year_gap_is_zero():
    _, totals, _ = aggregate()
    assert totals[totals[col.YEAR] == 2020][col.GAP_EMISSIONS].iloc[0] == approx(0, abs=1e-9)


def test_coverage_against_sector_activity():
    # Test 1.5 gives sector activity in t Steel: 1000 (2020) -> 2000 (2030).
    # 2020: 400 / 1000 = 0.4; 2025: 400 / 1500.
    _, totals, _ = aggregate()
    coverage = totals.set_index(col.YEAR)[col.COVERAGE]
    assert coverage[2020] == approx(0.4)
    assert coverage[2025] == approx(400 / 1500)
    _, totals, _ = aggregate("Test 2")  # no sector activity: coverage unknown
    assert totals[col.COVERAGE].isna().all()


def test_intensity_only_companies_are_named_and_left_out():
    companies = COMPANIES.replace(
        "company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind",
        "company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind,"
        "intensity,intensity_unit",
    )
    companies = (
        "\n".join(
            line + ",," if line and not line.startswith("company") else line
            for line in companies.splitlines()
        )
        + "\n"
    )
    companies += "Beta,Steel,Global,S1S2,2020,,,,,reported,1.8,t CO2e/(t Steel)\n"
    companies += "Beta,Steel,Global,S1S2,2030,,,,,planned,0.8,t CO2e/(t Steel)\n"
    results, totals, warnings = aggregate(companies=companies)
    assert "Beta" in set(results[col.COMPANY])
    assert totals[totals[col.YEAR] == 2030][col.ACTIVITY].iloc[0] == approx(400)
    assert any("Beta" in w and "only an intensity" in w for w in warnings)
    assert not math.isnan(totals[col.INTENSITY].iloc[0])


def test_activity_share_of_committed_companies():
    from roadmap.domain.aggregate import activity_share

    # Latest reported years: Alpha 100 t (2020), Delta 300 t (2020): Alpha's share is 0.25.
    frame = trajectories()
    assert activity_share(frame, {"Alpha"}) == approx(0.25)
    assert activity_share(frame, set()) == 0.0
    kilo = trajectories(
        COMPANIES.replace(
            "Delta,Steel,Global,S1S2,2020,300,t Steel", "Delta,Steel,Global,S1S2,2020,0.3,kt Steel"
        )
    )
    assert activity_share(kilo, {"Alpha"}) == approx(0.25)  # units converted
    planned_only = frame[frame[col.KIND] == "planned"]
    assert activity_share(planned_only, {"Alpha"}) is None
