"""What a coordinator reads before deciding on a submission: plausibility checks of a new
version against the previous one, and the effect of accepting it on the company's
reconciliation.

Frames are a submission's stored rows (``columns.TRAJECTORY_POINT``: year, kind, activity,
emissions, intensity and their units) or reconciliation results (``columns.RESULT_COLUMNS``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from roadmap.domain import columns as col

# A change of more than 30 % from one year to the next, in intensity or in activity, is rare
# in a heavy-industry sector (a plant opening or closing, a merger) and is more often a typo
# or a unit slip (kg for t); it is flagged for the reviewer, never refused.
JUMP_THRESHOLD = 0.30

JUMP, RESTATED_BASE, RESTATED_REPORTED = "jump", "restated base year", "restated reported year"
CHECK = "check"
OLD, NEW, CHANGE, MESSAGE = "old", "new", "change", "message"
CHECK_COLUMNS = [col.YEAR, CHECK, "column", OLD, NEW, CHANGE, MESSAGE]

_FIGURES = ((col.ACTIVITY, col.ACTIVITY_UNIT), (col.EMISSIONS, col.EMISSIONS_UNIT))


def plausibility_checks(
    new: pd.DataFrame, previous: pd.DataFrame | None, *, threshold: float = JUMP_THRESHOLD
) -> pd.DataFrame:
    """Every finding about ``new`` (one company's version), in ``CHECK_COLUMNS``:

    - ``jump``: between two consecutive calendar years both given in ``new``, intensity
      (emissions / activity, or the intensity given) or activity changes by more than
      ``threshold`` as a share of the earlier year's value (years further apart, such as
      five-yearly plan points, are not compared; an earlier value of 0 is not compared);
    - ``restated base year``: the first reported year of ``previous`` has other figures in
      ``new`` (activity or emissions, compared where both are in the same unit);
    - ``restated reported year``: any later year ``previous`` reported has other figures in
      ``new``.

    ``change`` is (new - old) / old (NaN where old is 0). No previous version: jumps only.
    """
    findings = [_jumps(new, threshold)]
    if previous is not None and not previous.empty:
        findings.append(_restated(new, previous))
    found = pd.concat([f for f in findings if not f.empty] or [_empty()], ignore_index=True)
    return found.sort_values([col.YEAR, CHECK, "column"], kind="stable").reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=CHECK_COLUMNS)


def intensity_of(points: pd.DataFrame) -> pd.Series:
    """Emissions / activity where both are given, else the intensity given (units as stored:
    one submission uses one unit per column)."""
    computed = points[col.EMISSIONS] / points[col.ACTIVITY]
    return computed.where(computed.notna(), points[col.INTENSITY]).astype("float64")


def _jumps(new: pd.DataFrame, threshold: float) -> pd.DataFrame:
    ordered = new.sort_values(col.YEAR)
    years = ordered[col.YEAR].astype(int).to_numpy()
    parts = []
    for column, values in (
        (col.INTENSITY, intensity_of(ordered)),
        (col.ACTIVITY, ordered[col.ACTIVITY].astype("float64")),
    ):
        old, now = values.to_numpy()[:-1], values.to_numpy()[1:]
        with np.errstate(divide="ignore", invalid="ignore"):
            change = (now - old) / old
        # A change of exactly the threshold (2.0 -> 1.4 is -0.30000000000000004 in binary)
        # is not beyond it.
        flagged = (np.diff(years) == 1) & (old > 0) & (np.abs(change) > threshold + 1e-9)
        if not flagged.any():
            continue
        frame = pd.DataFrame(
            {
                col.YEAR: years[1:][flagged],
                CHECK: JUMP,
                "column": column,
                OLD: old[flagged],
                NEW: now[flagged],
                CHANGE: change[flagged],
            }
        )
        frame[MESSAGE] = [
            f"{column} changes by {c:+.0%} from {y - 1} to {y} (more than {threshold:.0%})"
            for y, c in zip(frame[col.YEAR], frame[CHANGE], strict=True)
        ]
        parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else _empty()


def _restated(new: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    reported = previous[previous[col.KIND] == col.REPORTED]
    if reported.empty:
        return _empty()
    base_year = int(reported[col.YEAR].min())
    merged = reported.merge(new, on=col.YEAR, suffixes=("_old", "_new"))
    parts = []
    for column, unit in (*_FIGURES, (col.INTENSITY, col.INTENSITY_UNIT)):
        old, now = merged[f"{column}_old"], merged[f"{column}_new"]
        same_unit = merged[f"{unit}_old"] == merged[f"{unit}_new"]
        differs = same_unit & ~(old.eq(now) | (old.isna() & now.isna()))
        if not differs.any():
            continue
        rows = merged[differs]
        old, now = rows[f"{column}_old"].astype("float64"), rows[f"{column}_new"].astype("float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            change = ((now - old) / old.where(old != 0)).to_numpy()
        checks = np.where(rows[col.YEAR] == base_year, RESTATED_BASE, RESTATED_REPORTED)
        frame = pd.DataFrame(
            {
                col.YEAR: rows[col.YEAR].astype(int).to_numpy(),
                CHECK: checks,
                "column": column,
                OLD: old.to_numpy(),
                NEW: now.to_numpy(),
                CHANGE: change,
            }
        )
        frame[MESSAGE] = [
            f"{check}: {column} in {year} was {o:g}, now {n:g}"
            for check, year, o, n in zip(
                checks, frame[col.YEAR], frame[OLD], frame[NEW], strict=True
            )
        ]
        parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else _empty()


# What a review decides, and whether it needs a message: a request for changes must say what
# to change, a rejection why; an acceptance may say nothing.
DECISIONS_NEEDING_A_MESSAGE = {
    "request_changes": "Say what the member should change.",
    "reject": "Say why the submission is rejected.",
}


def decision_message_problem(decision: str, message: str | None) -> str | None:
    """What is missing from a review decision (``accept``, ``request_changes``, ``reject``)
    with ``message``, for the reviewer to read; None where nothing is. A message of only
    spaces is no message."""
    if (message or "").strip():
        return None
    return DECISIONS_NEEDING_A_MESSAGE.get(decision)


EFFECT_FIGURES = [col.INTENSITY, col.TARGET_INTENSITY, col.GAP, col.STATUS, col.YEARS_BEHIND]


def effect_of_accepting(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """One company's reconciliation now (``before``: its accepted version, may be empty) and
    with the new version accepted (``after``), year by year: each of ``EFFECT_FIGURES`` with
    suffixes ``_before``/``_after`` (NaN where a side lacks the year) and ``changed`` where
    intensity, target, gap, status or years behind differ."""
    keep = [col.YEAR, *EFFECT_FIGURES]
    merged = (
        before.reindex(columns=keep)
        .merge(
            after.reindex(columns=keep), on=col.YEAR, how="outer", suffixes=("_before", "_after")
        )
        .sort_values(col.YEAR)
        .reset_index(drop=True)
    )
    same = pd.Series(True, index=merged.index)
    for name in EFFECT_FIGURES:
        old, new = merged[f"{name}_before"], merged[f"{name}_after"]
        if name == col.STATUS:
            same &= old.eq(new) | (old.isna() & new.isna())
        else:
            old, new = old.astype("float64"), new.astype("float64")
            same &= np.isclose(old, new, rtol=1e-12, atol=0.0) | (old.isna() & new.isna())
    merged["changed"] = ~same
    return merged
