"""A company's status in a round, and the publication rule."""

from __future__ import annotations

import pytest

from roadmap.domain import columns as col
from roadmap.domain.rounds import (
    ACCEPTED,
    CHANGES_REQUESTED,
    NOT_STARTED,
    REJECTED,
    SUBMITTED,
    changed_companies,
    publication_refusal,
    round_status,
)
from tests.domain.helpers import COMPANIES, TRAJECTORY_HEADER, trajectories


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], NOT_STARTED),
        (["pending"], SUBMITTED),
        (["changes_requested"], CHANGES_REQUESTED),
        (["changes_requested", "pending"], SUBMITTED),  # resubmitted: waiting again
        (["changes_requested", "accepted"], ACCEPTED),
        (["accepted", "rejected"], ACCEPTED),  # the accepted version still counts
        (["accepted", "pending"], SUBMITTED),
        (["rejected"], REJECTED),
    ],
)
def test_round_status(statuses, expected):  # type: ignore[no-untyped-def]
    assert round_status(statuses) == expected


GAMMA = f"""{TRAJECTORY_HEADER}
Gamma,Steel,Global,S1S2,2020,50,t Steel,100,t CO2e,reported
Gamma,Steel,Global,S1S2,2050,50,t Steel,0,t CO2e,planned
"""


def test_changed_companies_compares_every_figure_and_unit():
    before = trajectories(COMPANIES)  # Alpha and Delta
    same = trajectories(COMPANIES)
    assert changed_companies(before, same) == []
    # Alpha's 2030 emissions 150 -> 140; Gamma is new; Delta is unchanged.
    after = trajectories(
        COMPANIES.replace("2030,100,t Steel,150", "2030,100,t Steel,140") + GAMMA.split("\n", 1)[1]
    )
    assert changed_companies(before, after) == ["Alpha", "Gamma"]
    # Delta no longer there counts as changed; a unit that differs too (150 t vs 150 kg).
    kg = COMPANIES.replace("2030,100,t Steel,150,t CO2e", "2030,100,t Steel,150,kg CO2e")
    only_alpha = "\n".join(line for line in kg.splitlines() if not line.startswith("Delta"))
    assert changed_companies(before, trajectories(only_alpha + "\n")) == ["Alpha", "Delta"]


def test_changed_companies_reads_rows_in_year_order_and_counts_them():
    before = trajectories(COMPANIES)
    # The same rows in another order are the same figures; missing intensities (none was
    # given) are equal on both sides.
    lines = COMPANIES.splitlines()
    shuffled = trajectories("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    assert before[col.INTENSITY].isna().all()
    assert changed_companies(before, shuffled) == []
    # One year more for Delta (2040 between its 2020 and 2050) is a change of Delta only.
    delta = next(line for line in lines if line.startswith("Delta") and ",2050," in line)
    extra = COMPANIES + delta.replace(",2050,", ",2040,") + "\n"
    assert changed_companies(before, trajectories(extra)) == ["Delta"]
    assert changed_companies(trajectories(extra), before) == ["Delta"]


@pytest.mark.parametrize(
    ("changed", "refused"),
    [
        ([], "No company's accepted figures differ"),
        (["A"], "Only one company's accepted figures differ"),
        (["A", "B"], "Only 2 companies' accepted figures differ"),
        (["A", "B", "C"], None),
    ],
)
def test_publication_needs_three_changed_companies(changed, refused):  # type: ignore[no-untyped-def]
    reason = publication_refusal(changed, min_changed=3)
    if refused is None:
        assert reason is None
    else:
        assert reason is not None and reason.startswith(refused)
        assert "at least 3" in reason
