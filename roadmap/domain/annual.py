"""Linear interpolation to every year, for many series at once (no loop over series).

DESIGN.md: pathways and trajectories are annualised by linear interpolation between the years
given, never extrapolated. ``AnnualGrid`` holds, for each series and each year between its
first and last given year, the given points before and after it, so that any number of value
columns can be interpolated with the same weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from roadmap.domain import columns as col


@dataclass(frozen=True)
class AnnualGrid:
    """One row per series and year. ``points`` is the input sorted by series then year;
    ``before``/``after`` index the given points around each grid year and ``weight`` is the
    share of the way from ``before`` to ``after`` (0 on a given year)."""

    frame: pd.DataFrame  # the series key columns, ``year`` and ``series`` (a 0-based code)
    points: pd.DataFrame
    before: np.ndarray
    after: np.ndarray
    weight: np.ndarray

    @property
    def every_year_given(self) -> bool:
        """Each grid year is a given point (no gap in any series): the grid is ``points``."""
        return len(self.before) == len(self.points)

    def interpolate(self, column: str) -> np.ndarray:
        """``column`` of ``points`` interpolated to every grid year; NaN stays NaN."""
        values = self.points[column].to_numpy(dtype="float64")
        if self.every_year_given and not np.isinf(values).any():
            # low + (high - low) * 0 with low = high: the value itself (an infinite one
            # would give NaN, so those take the formula)
            return values.copy()
        low, high = values[self.before], values[self.after]
        return low + (high - low) * self.weight

    def given(self) -> np.ndarray:
        """True on the years that were given, False on interpolated ones."""
        return self.before == self.after

    def both(self, column: str, value: object) -> np.ndarray:
        """True where the given points on both sides have ``column == value``."""
        matches = self.points[column].to_numpy() == value
        if self.every_year_given:
            return np.asarray(matches, dtype=bool)
        return matches[self.before] & matches[self.after]


def annual_grid(points: pd.DataFrame, by: list[str]) -> AnnualGrid:
    """Build the annual grid of each series (rows sharing ``by``) in ``points``.

    ``points`` needs ``by`` and an int ``year`` column with no year repeated within a series
    (validation guarantees it). Series appear in sorted order of ``by``.
    """
    if all(pd.api.types.is_integer_dtype(points[k]) for k in by):
        # Integer keys (codes): numpy's stable lexsort, no hashing.
        keys = [points[k].to_numpy() for k in by]
        year_values = points[col.YEAR].to_numpy()
        if _in_order([*keys, year_values]):
            # Tables come company by company, year by year: the stable sort would keep
            # every row where it is, so it is not made.
            ordered = points.reset_index(drop=True)
            sorted_keys = keys
        else:
            order = np.lexsort([year_values, *reversed(keys)])
            ordered = points.take(order).reset_index(drop=True)
            sorted_keys = [k[order] for k in keys]
        change = np.zeros(len(ordered), dtype=bool)
        change[:1] = True
        for sorted_key in sorted_keys:
            change[1:] |= sorted_key[1:] != sorted_key[:-1]
        codes = np.cumsum(change) - 1
    else:
        ordered = points.sort_values(by + [col.YEAR], kind="stable").reset_index(drop=True)
        codes = ordered.groupby(by, sort=False, dropna=False).ngroup().to_numpy()
    years = ordered[col.YEAR].to_numpy(dtype="int64")
    n_points = len(ordered)
    if n_points == 0:
        empty = np.empty(0, dtype="int64")
        frame = ordered[by].iloc[:0].assign(year=empty, series=empty)
        return AnnualGrid(frame, ordered, empty, empty, np.empty(0))
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], n_points] - 1
    first_year, last_year = years[starts], years[ends]
    lengths = last_year - first_year + 1
    if int(lengths.sum()) == n_points:
        # No series skips a year (years are distinct within a series): the grid is the
        # points themselves, each year its own before and after.
        every = np.arange(n_points)
        frame = ordered[by].reset_index(drop=True)
        frame[col.YEAR] = years
        frame["series"] = codes
        return AnnualGrid(frame, ordered, every, every, np.zeros(n_points))
    offsets = np.r_[0, np.cumsum(lengths)[:-1]]
    series = np.repeat(np.arange(len(starts)), lengths)
    grid_years = first_year[series] + np.arange(lengths.sum()) - offsets[series]
    marker = np.full(len(series), -1, dtype="int64")
    marker[offsets[codes] + years - first_year[codes]] = np.arange(n_points)
    # Every series starts and ends on a given year, so the running max/min never crosses
    # from one series into the next.
    before = np.maximum.accumulate(marker)
    after = np.minimum.accumulate(np.where(marker >= 0, marker, n_points)[::-1])[::-1]
    span = years[after] - years[before]
    weight = np.divide(grid_years - years[before], span, out=np.zeros(len(series)), where=span > 0)
    frame = ordered[by].iloc[starts[series]].reset_index(drop=True)
    frame[col.YEAR] = grid_years
    frame["series"] = series
    return AnnualGrid(frame, ordered, before, after, weight)


def _in_order(columns: list[np.ndarray]) -> bool:
    """Whether the rows are already in the order of ``columns`` (first column first): no row
    comes before the one above it."""
    if len(columns[0]) < 2:
        return True
    tied = np.ones(len(columns[0]) - 1, dtype=bool)
    for values in columns:
        below, above = values[1:], values[:-1]
        if (tied & (below < above)).any():
            return False
        tied &= below == above
    return True


def hold_last(points: pd.DataFrame, by: list[str], until: pd.Series) -> pd.DataFrame:
    """Hold each series flat from its last given year to ``until`` (a year per row of
    ``points``): one more point at that year with the last point's values and kind
    ``planned``, so that interpolation keeps them level (TPI's convention for a plan that ends
    early). Series already reaching ``until`` are left as they are."""
    last = points.assign(_until=until).sort_values(by + [col.YEAR]).groupby(by).tail(1)
    short = last[last[col.YEAR] < last["_until"]]
    held = short.assign(**{col.YEAR: short["_until"].astype("int64"), col.KIND: col.PLANNED})
    out = pd.concat([points, held.drop(columns="_until")], ignore_index=True)
    out.attrs = points.attrs
    return out
