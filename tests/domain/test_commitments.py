"""Credible targets, worked by hand on the helpers' "Test 1.5" scenario.

S = 2.0 (2020), 1.0 (2030), 0.0 (2050), so p(t) = S(t) / 2 and T(t) = C(b) * S(t) / 2.
Alpha: C(b) = 250 / 100 = 2.5, so T(2030) = 2.5 * 1.0 / 2 = 1.25; its plan C(2030) = 1.5.
Delta: C(b) = 450 / 300 = 1.5, so T(2030) = 0.75; its emissions fall linearly 450 -> 0 over
2020-2050, so E(2030) = 300 and C(2030) = 300 / 300 = 1.0.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from roadmap.domain import commitments as cm
from roadmap.domain.reconcile import ReconcileParams, reconcile
from tests.domain import helpers

UNIT = "t CO2e/(t Steel)"


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    return reconcile(
        helpers.pathways(), helpers.trajectories(), ReconcileParams("Test 1.5")
    ).results


def targets(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([(i, *r) for i, r in enumerate(rows, start=1)], columns=cm.TARGET_COLUMNS)


def one(assessed: pd.DataFrame) -> pd.Series:
    assert len(assessed) == 1
    return assessed.iloc[0]


@pytest.mark.parametrize(
    ("target", "assessment", "stated", "gap", "gap_pct"),
    [
        # 1.2 <= T = 1.25: aligned; say-do gap 1.2 - 1.5 = -0.3, -0.3 / 1.5 = -20 %.
        (("Alpha", 2030, "intensity", 1.2, "S1S2"), "aligned", 1.2, -0.3, -0.2),
        # 1.3 > 1.25: not aligned; 1.3 - 1.5 = -0.2, -0.2 / 1.5 = -13.33 %.
        (("Alpha", 2030, "intensity", 1.3, "S1S2"), "not aligned", 1.3, -0.2, -0.2 / 1.5),
        # Exactly at its SDA target counts as aligned.
        (("Alpha", 2030, "intensity", 1.25, "S1S2"), "aligned", 1.25, -0.25, -0.25 / 1.5),
        # A target laxer than its own plan: 1.6 - 1.5 = +0.1 (+6.67 %), and above T.
        (("Alpha", 2030, "intensity", 1.6, "S1S2"), "not aligned", 1.6, 0.1, 0.1 / 1.5),
        # Absolute: (1 - 0.5) * E(b) 450 = 225 t over A(2030) 300 t = 0.75 = T(2030): aligned;
        # say-do 0.75 - 1.0 = -0.25 (-25 %).
        (("Delta", 2030, "absolute reduction", 0.5, "S1S2"), "aligned", 0.75, -0.25, -0.25),
        # A 40 % cut: 0.6 * 450 / 300 = 0.9 > 0.75: not aligned; 0.9 - 1.0 = -0.1 (-10 %).
        (("Delta", 2030, "absolute reduction", 0.4, "S1S2"), "not aligned", 0.9, -0.1, -0.1),
    ],
)
def test_targets_against_sda_target_and_plan(results, target, assessment, stated, gap, gap_pct):
    got = one(cm.assess_targets(targets(target), results, unit=UNIT))
    assert got[cm.ASSESSMENT] == assessment
    assert got[cm.REASON] == ""
    assert got[cm.STATED_INTENSITY] == pytest.approx(stated)
    assert got[cm.SAY_DO_GAP] == pytest.approx(gap)
    assert got[cm.SAY_DO_GAP_PCT] == pytest.approx(gap_pct)


def test_sda_target_and_plan_are_the_companys_own(results):
    assessed = cm.assess_targets(
        targets(
            ("Alpha", 2030, "intensity", 1.0, "S1S2"), ("Delta", 2030, "intensity", 1.0, "S1S2")
        ),
        results,
        unit=UNIT,
    )
    assert list(assessed[cm.SDA_TARGET]) == pytest.approx([1.25, 0.75])
    assert list(assessed[cm.PLAN_INTENSITY]) == pytest.approx([1.5, 1.0])
    # The same 1.0 t/t is aligned for Alpha (1.0 <= 1.25), not for Delta (1.0 > 0.75).
    assert list(assessed[cm.ASSESSMENT]) == ["aligned", "not aligned"]


def test_a_target_in_another_unit_is_converted(results):
    """1,200 kg CO2e per tonne is 1.2 t: aligned, as above."""
    got = one(
        cm.assess_targets(
            targets(("Alpha", 2030, "intensity", 1200.0, "S1S2")),
            results,
            unit="kg CO2e/(t Steel)",
        )
    )
    assert (got[cm.ASSESSMENT], got[cm.STATED_INTENSITY]) == ("aligned", pytest.approx(1.2))


@pytest.mark.parametrize(
    ("target", "unit", "reason"),
    [
        (
            ("Alpha", 2055, "intensity", 1.0, "S1S2"),
            UNIT,
            "2055 lies outside Alpha's reconciled years (2020-2050)",
        ),
        (
            ("Alpha", 2015, "intensity", 1.0, "S1S2"),
            UNIT,
            "2015 lies outside Alpha's reconciled years (2020-2050)",
        ),
        (
            ("Gamma", 2030, "intensity", 1.0, "S1S2"),
            UNIT,
            "Gamma has no reconciled figures (no accepted submission, or it could not be "
            "reconciled against this scenario)",
        ),
        (
            ("Alpha", 2030, "intensity", 1.0, "S1"),
            UNIT,
            "the target is for scope S1, the company's figures for S1S2",
        ),
        (
            ("Alpha", 2030, "intensity", 1.0, "S1S2"),
            "t CO2e/tkm",
            "the target's unit t CO2e/tkm does not convert to the figures' unit t CO2e/(t Steel)",
        ),
    ],
)
def test_what_cannot_be_assessed_says_why(results, target, unit, reason):
    got = one(cm.assess_targets(targets(target), results, unit=unit))
    assert (got[cm.ASSESSMENT], got[cm.REASON]) == ("cannot assess", reason)
    assert math.isnan(got[cm.SDA_TARGET]) and math.isnan(got[cm.SAY_DO_GAP])


def test_an_absolute_reduction_needs_emissions():
    text = (
        "company,sector,region,scope,year,intensity,intensity_unit,kind\n"
        "Iota,Steel,Global,S1S2,2020,2.0,t CO2e/(t Steel),reported\n"
        "Iota,Steel,Global,S1S2,2040,1.0,t CO2e/(t Steel),planned\n"
    )
    results = reconcile(
        helpers.pathways(), helpers.trajectories(text), ReconcileParams("Test 1.5")
    ).results
    assessed = cm.assess_targets(
        targets(
            ("Iota", 2030, "absolute reduction", 0.5, "S1S2"),
            ("Iota", 2030, "intensity", 0.9, "S1S2"),
        ),
        results,
        unit=UNIT,
    )
    # The intensity target is judged as usual: C(b) = 2.0, T(2030) = 2.0 * 1.0 / 2 = 1.0, and
    # 0.9 <= 1.0; its plan C(2030) = 2.0 - 10 * (1.0 / 20) = 1.5, say-do 0.9 - 1.5 = -0.6.
    assert list(assessed[cm.ASSESSMENT]) == ["cannot assess", "aligned"]
    assert assessed[cm.REASON].iloc[0] == (
        "an absolute reduction needs the company's emissions and activity; it gave intensities only"
    )
    assert assessed[cm.SDA_TARGET].iloc[1] == pytest.approx(1.0)
    assert assessed[cm.SAY_DO_GAP].iloc[1] == pytest.approx(-0.6)


def test_no_targets_and_no_results_make_no_error():
    empty = cm.assess_targets(targets(), pd.DataFrame(columns=["company"]), unit=UNIT)
    assert list(empty.columns) == cm.ASSESSED_COLUMNS and empty.empty


@pytest.mark.parametrize(
    ("assessment", "validation", "counts"),
    [
        ("aligned", "third-party verified", True),
        ("aligned", "SBTi-validated", True),
        ("aligned", "self-declared", False),
        ("not aligned", "SBTi-validated", False),
        ("cannot assess", "third-party verified", False),
    ],
)
def test_only_aligned_verified_targets_count_for_the_gate(assessment, validation, counts):
    got = cm.counts_for_gate(pd.Series([assessment]), pd.Series([validation]))
    assert list(got) == [counts]


def test_assurance_shares_of_reconciled_activity(results):
    """Latest reported year 2020 for both: Alpha 100 t, Delta 300 t, 400 t in all. Alpha under
    limited assurance: 100 / 400 = 25 %; Delta self-reported: 75 %; reasonable: none."""
    table = cm.assurance_shares(results, {"Alpha": "limited assurance", "Delta": "self-reported"})
    assert list(table["level"]) == list(cm.ASSURANCE_LEVELS)
    assert list(table["share"]) == pytest.approx([0.75, 0.25, 0.0])
    assert list(table["activity"]) == pytest.approx([300.0, 100.0, 0.0])
    assert list(table["companies"]) == [1, 1, 0]


def test_assessment_years_say_which_lie_outside_the_plan(results):
    """Alpha: T(2025) = 2.5 * 1.5 / 2 = 1.875, C(2025) = 2.05, gap 0.175; T(2035) = 2.5 * 0.75
    / 2 = 0.9375, C(2035) = 125 / 100 = 1.25, gap 0.3125; 2050: T = 0, C = 0.5, gap 0.5. A plan
    cut at 2030 has no 2035 or 2050."""
    alpha = results[results["company"] == "Alpha"]
    table = cm.at_assessment_years(alpha)
    assert list(table["year"]) == [2025, 2030, 2035, 2050]
    assert list(table["in_plan"]) == [True, True, True, True]
    assert list(table["gap"]) == pytest.approx([0.175, 0.25, 0.3125, 0.5])
    short = cm.at_assessment_years(alpha[alpha["year"] <= 2030])
    assert list(short["in_plan"]) == [True, True, False, False]
    assert short["gap"].iloc[2:].isna().all()
