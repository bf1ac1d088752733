"""The catch-up plan (roadmap.domain.catchup), on a case worked on paper."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from roadmap.domain import columns as col
from roadmap.domain.catchup import catch_up_plan
from roadmap.domain.reconcile import ReconcileParams, reconcile
from tests.domain import helpers

# Test 1.5 (helpers): S = 2.0 (2020), 1.0 (2030), 0.0 (2050), so S(2025) = 1.5, S(2035) = 0.75,
# S(2040) = 0.5, S(2045) = 0.25. Base year b = 2020, C(b) = 250/100 = 2.5, S(N) = 0, so
# d = 2.5 and T(t) = 2.5 * S(t) / 2.0:
#   T(2025) = 1.875, T(2030) = 1.25, T(2035) = 0.9375, T(2040) = 0.625, T(2045) = 0.3125,
#   T(2050) = 0.
# Latest reported year 2022, so the milestones to meet are 2025 ... 2050.
#   2025: A 100, E 205, C 2.05 > 1.875  -> E = 1.875 * 100 = 187.5
#   2030: A 100, E 120, C 1.2 <= 1.25   -> unchanged
#   2035: not in the plan; between 2030 (A 100, E 120) and 2050 (A 200, E 100), a quarter of
#         the way: A = 125, E = 115, C = 0.92 <= 0.9375 -> a point at the plan's own figures
#   2040: half way: A = 150, E = 110, C = 0.7333 > 0.625 -> E = 0.625 * 150 = 93.75
#   2045: three quarters: A = 175, E = 105, C = 0.6 > 0.3125 -> E = 0.3125 * 175 = 54.6875
#   2050: A 200, E 100, C 0.5 > 0 -> E = 0
# 2020 and 2022 (reported) and 2027 (planned, between milestones) are kept as they are.
PLAN = f"""{helpers.TRAJECTORY_HEADER}
Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported
Alpha,Steel,Global,S1S2,2022,100,t Steel,240,t CO2e,reported
Alpha,Steel,Global,S1S2,2025,100,t Steel,205,t CO2e,planned
Alpha,Steel,Global,S1S2,2027,100,t Steel,190,t CO2e,planned
Alpha,Steel,Global,S1S2,2030,100,t Steel,120,t CO2e,planned
Alpha,Steel,Global,S1S2,2050,200,t Steel,100,t CO2e,planned
"""
EXPECTED = [
    (2020, "reported", 100.0, 250.0),
    (2022, "reported", 100.0, 240.0),
    (2025, "planned", 100.0, 187.5),
    (2027, "planned", 100.0, 190.0),
    (2030, "planned", 100.0, 120.0),
    (2035, "planned", 125.0, 115.0),
    (2040, "planned", 150.0, 93.75),
    (2045, "planned", 175.0, 54.6875),
    (2050, "planned", 200.0, 0.0),
]


def _plan(text: str = PLAN) -> tuple[pd.DataFrame, pd.DataFrame]:
    points = helpers.trajectories(text)
    results = reconcile(helpers.pathways(), points, ReconcileParams("Test 1.5")).results
    return points, results


def test_catch_up_plan_worked_on_paper() -> None:
    points, results = _plan()
    plan = catch_up_plan(points, results)
    got = [
        (int(r.year), r.kind, r.activity, r.emissions) for r in plan.points.itertuples(index=False)
    ]
    assert [g[:3] for g in got] == [e[:3] for e in EXPECTED]
    assert [g[3] for g in got] == pytest.approx([e[3] for e in EXPECTED], abs=1e-9)
    assert plan.start_year == 2022
    assert list(plan.changes[col.YEAR]) == [2025, 2030, 2035, 2040, 2045, 2050]
    assert list(plan.changes["new_intensity"]) == pytest.approx(
        [1.875, 1.2, 0.92, 0.625, 0.3125, 0.0]
    )
    # Units and labels of the added points come from the plan.
    assert set(plan.points[col.EMISSIONS_UNIT]) == {"t CO2e"}
    assert set(plan.points[col.COMPANY]) == {"Alpha"}


def test_catch_up_plan_is_aligned_at_every_milestone_once_reconciled() -> None:
    points, results = _plan()
    fixed = catch_up_plan(points, results).points
    again = reconcile(helpers.pathways(), fixed, ReconcileParams("Test 1.5")).results
    at = again[again[col.YEAR].isin([2025, 2030, 2035, 2040, 2045, 2050])]
    assert list(at[col.STATUS]) == ["aligned"] * 6
    # The base year, hence every target, is unchanged.
    merged = again.merge(results, on=col.YEAR, suffixes=("", "_before"))
    assert np.allclose(merged[col.TARGET_INTENSITY], merged["target_intensity_before"])


def test_an_aligned_plan_is_left_as_it_is_but_pinned_at_its_milestones() -> None:
    # Delta (helpers): 450 -> 0 over 2020..2050 at 300 t: C = 1.5 - 0.05 (t - 2020); T with
    # C(b) = 1.5: T(2025) = 1.125 < C(2025) = 1.25 -> behind; so take Test 2 instead, where
    # S = 2.0, 1.6 (2030), 1.0 (2050), T(t) = (1.5 - 1.0) * (S(t) - 1.0) / 1.0 + 1.0:
    # T(2025) = 0.5 * 0.8 + 1 = 1.4 >= 1.25, T(2030) = 1.3 >= 1.0, T(2050) = 1.0 >= 0.
    points = helpers.trajectories(
        f"""{helpers.TRAJECTORY_HEADER}
Delta,Steel,Global,S1S2,2020,300,t Steel,450,t CO2e,reported
Delta,Steel,Global,S1S2,2050,300,t Steel,0,t CO2e,planned
"""
    )
    results = reconcile(helpers.pathways(), points, ReconcileParams("Test 2")).results
    plan = catch_up_plan(points, results)
    assert list(plan.points[col.YEAR]) == [2020, 2025, 2030, 2035, 2040, 2045, 2050]
    # 450 - 15 (t - 2020): the plan's own line, unchanged.
    assert list(plan.points[col.EMISSIONS]) == pytest.approx([450, 375, 300, 225, 150, 75, 0])
    assert list(plan.changes["factor"]) == [1.0] * 6


def test_intensity_only_points_change_their_intensity() -> None:
    # C(b) = 2.5 as above; 2030 planned at 1.5 > T(2030) = 1.25 -> 1.25; 2025 added between
    # 2.5 (2020) and 1.5 (2030): 2.0 > 1.875 -> 1.875.
    text = (
        "company,sector,region,scope,year,intensity,intensity_unit,kind\n"
        "Alpha,Steel,Global,S1S2,2020,2.5,t CO2e/(t Steel),reported\n"
        "Alpha,Steel,Global,S1S2,2030,1.5,t CO2e/(t Steel),planned\n"
    )
    points, results = _plan(text)
    plan = catch_up_plan(points, results)
    assert list(plan.points[col.YEAR]) == [2020, 2025, 2030]
    assert list(plan.points[col.INTENSITY]) == pytest.approx([2.5, 1.875, 1.25])


def test_nothing_after_the_latest_reported_year_changes_nothing() -> None:
    text = f"""{helpers.TRAJECTORY_HEADER}
Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported
Alpha,Steel,Global,S1S2,2023,100,t Steel,240,t CO2e,reported
"""
    points, results = _plan(text)
    plan = catch_up_plan(points, results)
    assert list(plan.points[col.EMISSIONS]) == [250.0, 240.0]
    assert plan.changes.empty
