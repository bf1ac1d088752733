"""Plausibility checks and the effect of accepting a version, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from roadmap.domain import columns as col
from roadmap.domain.review import (
    JUMP,
    RESTATED_BASE,
    RESTATED_REPORTED,
    decision_message_problem,
    effect_of_accepting,
    plausibility_checks,
)

T, CO2 = "t Steel", "t CO2e"


def points(rows):  # type: ignore[no-untyped-def]
    """(year, kind, activity, emissions) rows in t Steel and t CO2e."""
    return pd.DataFrame(
        [
            {
                col.YEAR: y,
                col.KIND: k,
                col.ACTIVITY: a,
                col.ACTIVITY_UNIT: T if a == a else "",
                col.EMISSIONS: e,
                col.EMISSIONS_UNIT: CO2,
                col.INTENSITY: np.nan,
                col.INTENSITY_UNIT: "",
            }
            for y, k, a, e in rows
        ],
        columns=col.TRAJECTORY_POINT,
    )


STEADY = [
    (2020, "reported", 100.0, 200.0),  # C = 2.0
    (2021, "reported", 100.0, 190.0),  # C = 1.9: -5 %
    (2022, "reported", 110.0, 198.0),  # C = 1.8: -5.3 %; activity +10 %
    (2030, "planned", 110.0, 55.0),  # 8 years on: not compared, however far it falls
]


def test_a_steady_trajectory_raises_nothing():
    assert plausibility_checks(points(STEADY), None).empty


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # 2021 intensity 190 / 100 = 1.9 -> 2022 260 / 100 = 2.6: (2.6 - 1.9) / 1.9 = +36.8 %
        (
            [(2021, "reported", 100.0, 190.0), (2022, "reported", 100.0, 260.0)],
            [(2022, JUMP, col.INTENSITY, 1.9, 2.6, 0.7 / 1.9)],
        ),
        # activity 100 -> 140 (+40 %) with emissions in step: intensity 2.0 both years
        (
            [(2021, "reported", 100.0, 200.0), (2022, "reported", 140.0, 280.0)],
            [(2022, JUMP, col.ACTIVITY, 100.0, 140.0, 0.4)],
        ),
        # exactly 30 % is not beyond the threshold: 2.0 -> 1.4
        ([(2021, "reported", 100.0, 200.0), (2022, "reported", 100.0, 140.0)], []),
        # a kg slip: 2.0 -> 2000 t/t, +99 900 %, and activity the same
        (
            [(2021, "reported", 100.0, 200.0), (2022, "reported", 100.0, 200000.0)],
            [(2022, JUMP, col.INTENSITY, 2.0, 2000.0, 999.0)],
        ),
    ],
)
def test_year_on_year_jumps(rows, expected):  # type: ignore[no-untyped-def]
    found = plausibility_checks(points(rows), None)
    got = list(found[[col.YEAR, "check", "column", "old", "new"]].itertuples(index=False))
    assert [tuple(g) for g in got] == [e[:5] for e in expected]
    assert found["change"].tolist() == pytest.approx([e[5] for e in expected])


def test_restated_base_and_reported_years_against_the_previous_version():
    previous = points(STEADY)
    # Base year 2020 emissions 200 -> 210 (+5 %); 2021 reported 190 -> 185 (-2.6 %); 2022 the
    # same; the plan for 2030 changes too, but a plan may change freely.
    new = points(
        [
            (2020, "reported", 100.0, 210.0),
            (2021, "reported", 100.0, 185.0),
            (2022, "reported", 110.0, 198.0),
            (2030, "planned", 110.0, 40.0),
        ]
    )
    found = plausibility_checks(new, previous)
    assert found[[col.YEAR, "check", "column"]].values.tolist() == [
        [2020, RESTATED_BASE, col.EMISSIONS],
        [2021, RESTATED_REPORTED, col.EMISSIONS],
    ]
    assert found["change"].tolist() == pytest.approx([10 / 200, -5 / 190])
    assert found["message"].iloc[0] == "restated base year: emissions in 2020 was 200, now 210"


def test_figures_in_another_unit_are_not_compared_across_versions():
    previous = points([(2020, "reported", 100.0, 200.0)])
    new = points([(2020, "reported", 100.0, 200000.0)])
    new[col.EMISSIONS_UNIT] = "kg CO2e"
    assert plausibility_checks(new, previous).empty


def results(rows):  # type: ignore[no-untyped-def]
    return pd.DataFrame(
        rows,
        columns=[
            col.YEAR,
            col.INTENSITY,
            col.TARGET_INTENSITY,
            col.GAP,
            col.STATUS,
            col.YEARS_BEHIND,
        ],
    )


def test_effect_of_accepting_lists_what_changes_year_by_year():
    before = results(
        [(2020, 2.5, 2.5, 0.0, "aligned", 0.0), (2030, 1.5, 1.25, 0.25, "behind", 2.5)]
    )
    # The new version plans 1.2 in 2030: below its target 1.25, so aligned, gap -0.05.
    after = results(
        [
            (2020, 2.5, 2.5, 0.0, "aligned", 0.0),
            (2030, 1.2, 1.25, -0.05, "aligned", 0.0),
            (2040, 0.6, 0.625, -0.025, "aligned", 0.0),
        ]
    )
    effect = effect_of_accepting(before, after)
    assert effect[col.YEAR].tolist() == [2020, 2030, 2040]
    assert effect["changed"].tolist() == [False, True, True]
    assert effect.loc[1, ["status_before", "status_after"]].tolist() == ["behind", "aligned"]
    assert effect.loc[1, "gap_after"] == pytest.approx(-0.05)
    assert np.isnan(effect.loc[2, "gap_before"])


def test_effect_against_no_accepted_version_is_all_new():
    after = results([(2020, 2.5, 2.5, 0.0, "aligned", 0.0)])
    effect = effect_of_accepting(results([]), after)
    assert effect["changed"].tolist() == [True]


@pytest.mark.parametrize(
    ("decision", "message", "expected"),
    [
        ("accept", "", None),
        ("accept", "fine", None),
        ("request_changes", "", "Say what the member should change."),
        ("request_changes", "  \n", "Say what the member should change."),
        ("request_changes", None, "Say what the member should change."),
        ("request_changes", "fix 2023", None),
        ("reject", "", "Say why the submission is rejected."),
        ("reject", "\t", "Say why the submission is rejected."),
        ("reject", "wrong company", None),
    ],
)
def test_which_decisions_need_a_message(decision, message, expected):  # type: ignore[no-untyped-def]
    assert decision_message_problem(decision, message) == expected
