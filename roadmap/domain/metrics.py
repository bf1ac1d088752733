"""Per company-year measures of how far behind a company is (DESIGN.md formulas).

All functions work on whole arrays: rows of many companies at once, or (company x year)
matrices padded with NaN, so their cost grows linearly with the number of companies.
"""

from __future__ import annotations

import numpy as np

from roadmap.domain import columns as col
from roadmap.domain import milestones

# C(t) <= T(t) counts as aligned within this relative rounding (DESIGN.md): the base year,
# where T(b) = C(b) by construction, is always aligned.
ALIGNED_TOLERANCE = 1e-9
# Companies per block in years_behind: bounds the (company x year x year) working set.
_BLOCK = 4096


def is_aligned(current: np.ndarray, target: np.ndarray) -> np.ndarray:
    """True where C(t) <= T(t) + 1e-9 * |T(t)|. NaN (unknown) is never aligned."""
    with np.errstate(invalid="ignore"):
        return current <= target + ALIGNED_TOLERANCE * np.abs(target)


def status(current: np.ndarray, target: np.ndarray) -> np.ndarray:
    """``aligned`` or ``behind`` for each row."""
    return np.where(is_aligned(current, target), col.ALIGNED, col.BEHIND)


def years_behind(target: np.ndarray, current: np.ndarray) -> np.ndarray:
    """Years behind for a (company x year) matrix whose column 0 is the base year b.

    For the company at column j (year t = b + j): t - tau, where tau is the latest
    (fractional) year in [b, t] with T(tau) >= C(t) on T interpolated linearly between years;
    0 where aligned; t - b where no such year exists. NaN where C or T is unknown (padding).
    """
    out = np.full(target.shape, np.nan)
    for start in range(0, target.shape[0], _BLOCK):
        block = slice(start, start + _BLOCK)
        out[block] = _years_behind_block(target[block], current[block])
    return out


def _years_behind_block(target: np.ndarray, current: np.ndarray) -> np.ndarray:
    n, width = target.shape
    j = np.arange(width)
    # latest[c, j]: the latest year k <= j whose target was at least this year's intensity
    # (-1 where none). One pass per k over the years j >= k, every company at once.
    # Year offsets fit in 16 bits (a pathway spans decades): a quarter of the memory traffic
    # of the default integers in the loop below.
    latest = np.full((n, width), -1, dtype=np.int16 if width < 2**15 else np.int64)
    with np.errstate(invalid="ignore"):
        for k in range(width):
            np.copyto(latest[:, k:], k, where=target[:, k : k + 1] >= current[:, k:])
    found = latest >= 0
    latest = np.where(found, latest, width - 1).astype(np.intp)
    rows = np.arange(n)[:, None]
    t_latest = target[rows, latest]
    t_next = target[rows, np.minimum(latest + 1, width - 1)]
    with np.errstate(invalid="ignore", divide="ignore"):
        # T falls from T(latest) >= C to T(latest + 1) < C; tau is where it crosses C.
        tau = latest + np.where(latest < j, (t_latest - current) / (t_latest - t_next), 0.0)
    behind = np.where(found, j - tau, j.astype("float64"))
    known = ~np.isnan(target) & ~np.isnan(current)
    result = np.where(is_aligned(current, target), 0.0, behind)
    return np.where(known, result, np.nan)


def next_milestone_capped(years: np.ndarray, final_year: np.ndarray) -> np.ndarray:
    """The next year on the five-year grid (2025, 2030, ...) after each year, capped at the
    final scenario year; -1 where the year is already the final year or past it."""
    milestone = np.minimum(milestones.next_milestone(years), final_year)
    return np.where(years < final_year, milestone, -1)


def required_rate(
    current: np.ndarray, target_at_milestone: np.ndarray, years: np.ndarray, milestone: np.ndarray
) -> np.ndarray:
    """Constant annual reduction rate taking C(t) to T(m): 1 - (T(m)/C(t)) ** (1/(m - t)).

    A fraction per year (0.05 = 5 %/yr); negative where the company may still rise. 0 where
    C(t) is already 0; NaN where there is no next milestone or T(m) is unknown or negative.
    """
    span = (milestone - years).astype("float64")
    valid = (
        (milestone > 0)
        & (span > 0)
        & ~np.isnan(target_at_milestone)
        & (target_at_milestone >= 0)
        & ~np.isnan(current)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(valid & (current > 0), target_at_milestone / current, 1.0)
        rate = 1.0 - np.power(ratio, 1.0 / np.where(span > 0, span, 1.0))
    return np.where(valid, rate, np.nan)
