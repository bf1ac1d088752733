"""What a what-if plan changes (roadmap.domain.whatif), with hand-computed numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from roadmap.domain import columns as col
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.domain.whatif import milestone_comparison, own_gap, platform_gap_with
from tests.domain import helpers


def _alpha(emissions_2030: int) -> pd.DataFrame:
    text = helpers.COMPANIES.replace("2030,100,t Steel,150", f"2030,100,t Steel,{emissions_2030}")
    results = reconcile(
        helpers.pathways(), helpers.trajectories(text), ReconcileParams("Test 1.5")
    ).results
    return results[results[col.COMPANY] == "Alpha"]


def test_milestone_comparison_sets_both_plans_side_by_side() -> None:
    # T(2030) = 2.5 * S(2030) / S(2020) = 1.25. Submitted C(2030) = 150/100 = 1.5, gap 0.25;
    # the sandbox's 120/100 = 1.2, gap -0.05, aligned.
    table = milestone_comparison(_alpha(150), _alpha(120), also=(2020,))
    assert list(table[col.YEAR]) == [2020, 2025, 2030, 2035, 2040, 2045, 2050]
    at = table.set_index(col.YEAR).loc[2030]
    assert at["gap_submitted"] == pytest.approx(0.25)
    assert at["gap_sandbox"] == pytest.approx(-0.05)
    assert (at["status_submitted"], at["status_sandbox"]) == ("behind", "aligned")
    assert at["years_behind_sandbox"] == 0
    # Required rate from 2030 to T(2035) = 0.9375: 1 - (0.9375 / 1.2) ** (1/5).
    assert at["required_rate_sandbox"] == pytest.approx(1 - (0.9375 / 1.2) ** 0.2)


def test_milestone_comparison_without_a_submitted_plan() -> None:
    sandbox = _alpha(120)
    table = milestone_comparison(sandbox.iloc[0:0], sandbox)
    assert table["intensity_submitted"].isna().all()
    assert list(table[col.YEAR]) == [2020, 2025, 2030, 2035, 2040, 2045, 2050]


def test_platform_gap_with_the_sandbox_in_place_of_the_company() -> None:
    # Alpha's part in 2030: E - T A = 150 - 1.25 * 100 = 25; the sandbox's 120 - 125 = -5. A
    # platform gap of 40 in 2030 becomes 40 - 25 - 5 = 10. In 2025 (E 205, T 1.875) the part
    # is 205 - 187.5 = 17.5 in both. 2055: no row of either: unchanged.
    assert own_gap(_alpha(150)).loc[2030] == pytest.approx(25)
    totals = pd.DataFrame({col.YEAR: [2025, 2030, 2055], col.GAP_EMISSIONS: [30.0, 40.0, 7.0]})
    table = platform_gap_with(totals, _alpha(150), _alpha(120))
    assert list(table["gap_with_sandbox"]) == pytest.approx([30.0, 10.0, 7.0])
    assert list(table["counted"]) == pytest.approx([17.5, 25.0, 0.0])


def test_platform_gap_with_a_company_not_yet_counted() -> None:
    totals = pd.DataFrame({col.YEAR: [2030], col.GAP_EMISSIONS: [40.0]})
    table = platform_gap_with(totals, _alpha(150).iloc[0:0], _alpha(120))
    assert list(table["gap_with_sandbox"]) == pytest.approx([35.0])
