"""Reporting rounds: a company's status in a round, and the publication rule.

A total read before and after a publication differs by the figures of the companies whose
accepted figures changed in between; where one or two changed, the difference is their own
figures. So a round may be published only when at least ``min_changed`` companies' figures
differ from the previous publication (a new company, or one no longer there, counts as changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from roadmap.domain import columns as col

NOT_STARTED, SUBMITTED, CHANGES_REQUESTED, ACCEPTED, REJECTED = (
    "not started",
    "submitted",
    "changes requested",
    "accepted",
    "rejected",
)

_COMPARED = [
    col.REGION,
    col.SCOPE,
    col.YEAR,
    col.KIND,
    col.ACTIVITY,
    col.ACTIVITY_UNIT,
    col.EMISSIONS,
    col.EMISSIONS_UNIT,
    col.INTENSITY,
    col.INTENSITY_UNIT,
]


def round_status(statuses: Sequence[str]) -> str:
    """A company's status in a round from its versions' review statuses there, oldest first
    ("pending", "accepted", "changes_requested", "rejected"): not started without any; else
    submitted while the newest waits for review; else accepted once any version was accepted
    (that one counts); else the newest's decision."""
    if not statuses:
        return NOT_STARTED
    newest = statuses[-1]
    if newest == "pending":
        return SUBMITTED
    if "accepted" in statuses:
        return ACCEPTED
    return CHANGES_REQUESTED if newest == "changes_requested" else REJECTED


def changed_companies(previous: pd.DataFrame, current: pd.DataFrame) -> list[str]:
    """The companies (sorted) whose rows differ between two trajectory tables
    (``columns.TRAJECTORY_COLUMNS``): a figure, unit, kind, year, region or scope not the same,
    a row more or fewer, or the company in one table only. Two missing figures are the same.
    Rows are compared in year order, whole tables at once (no loop over companies)."""
    names = sorted(set(previous[col.COMPANY]) | set(current[col.COMPANY]))
    pairs = _in_order(previous).merge(
        _in_order(current),
        on=[col.COMPANY, _POSITION],
        how="outer",
        suffixes=("_before", "_after"),
        indicator=True,
    )
    differs = pairs["_merge"] != "both"
    for name in _COMPARED:
        differs |= _plain(pairs[f"{name}_before"]) != _plain(pairs[f"{name}_after"])
    changed = set(pairs.loc[differs, col.COMPANY])
    return [name for name in names if name in changed]


_POSITION = "_position"


def _in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The compared columns of each company's rows in year order, numbered 0, 1, ... within
    the company."""
    rows = frame[[col.COMPANY, *_COMPARED]].sort_values([col.COMPANY, col.YEAR], kind="stable")
    return rows.assign(**{_POSITION: rows.groupby(col.COMPANY, sort=False).cumcount()})


def _plain(values: pd.Series) -> pd.Series:
    """Values as Python objects, a missing one as "" (so that two missing ones are equal)."""
    return values.astype(object).where(values.notna(), "")


def publication_refusal(changed: Sequence[str], *, min_changed: int) -> str | None:
    """Why a publication with these companies' figures changed is refused, or None."""
    if len(changed) >= min_changed:
        return None
    if not changed:
        lead = "No company's accepted figures differ"
    elif len(changed) == 1:
        lead = "Only one company's accepted figures differ"
    else:
        lead = f"Only {len(changed)} companies' accepted figures differ"
    return (
        f"{lead} from the previous publication; publishing needs "
        f"at least {min_changed}, or the difference between the two publications would be "
        "those companies' own figures."
    )


def round_problems(
    *, reported_up_to: int, plan_to: int, opens_on: date, deadline: date
) -> dict[str, str]:
    """What is wrong with a round's request, by field: the plan must reach beyond the last
    reported year, and the deadline cannot come before the opening."""
    problems = {}
    if plan_to <= reported_up_to:
        problems["plan_to"] = (
            f"The plan must reach beyond the last reported year ({reported_up_to})."
        )
    if deadline < opens_on:
        problems["deadline"] = f"The deadline cannot come before the opening ({opens_on})."
    return problems
