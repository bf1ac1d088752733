"""Annualised scenario curves S(t) (and sector activity A_s(t)) addressable by integer code.

Reconciling 10,000 companies means looking up S(t) for 300,000 company-years; a padded array
per curve turns each look-up into numpy indexing instead of a string-keyed merge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import units
from roadmap.domain.annual import annual_grid
from roadmap.domain.matching import pathway_region

CURVE_KEY = [col.SECTOR, col.SCENARIO, col.REGION, col.SCOPE]


@dataclass(frozen=True)
class Curves:
    """Every pathway in the table, annualised. Row ``i`` of ``keys`` describes curve ``i``;
    ``intensity[i, year - first_year[i]]`` is S(t) in the sector's ``unit`` (NaN outside the
    curve's years), and ``activity`` is A_s(t) in the pathway's own ``activity_unit``."""

    keys: pd.DataFrame  # CURVE_KEY + intensity_unit (the sector's) + activity_unit
    first_year: np.ndarray
    last_year: np.ndarray
    intensity: np.ndarray
    activity: np.ndarray

    def at(self, codes: np.ndarray, years: np.ndarray, *, what: str = "intensity") -> np.ndarray:
        """Values of curves ``codes`` at ``years`` (arrays of one length); NaN where a year
        lies outside its curve or a code is -1."""
        table = self.intensity if what == "intensity" else self.activity
        codes = np.asarray(codes, dtype="int64")
        width = table.shape[1]
        missing = codes < 0
        any_missing = bool(missing.any())
        safe = np.where(missing, 0, codes) if any_missing else codes
        offset = np.asarray(years, dtype="int64") - self.first_year.take(safe)
        # 0 <= offset < width in one comparison: a negative offset read unsigned is huge.
        inside = offset.view(np.uint64) < width
        if any_missing:
            inside &= ~missing
        # One flat look-up; a cell past the table's end holds the NaN for "outside".
        flat = np.append(table.ravel(), np.nan)
        return flat.take(np.where(inside, safe * width + offset, flat.size - 1))

    def find(self, sector: str, scenario: str, region: str, scope: str) -> int:
        """Code of the curve for these names (region falls back to Global), or -1."""
        keys = self.keys
        same = (
            (keys[col.SECTOR] == sector)
            & (keys[col.SCENARIO] == scenario)
            & (keys[col.SCOPE] == scope)
        )
        found = pathway_region(keys.loc[same, col.REGION], region)
        if found is None:
            return -1
        return int(np.flatnonzero(same & (keys[col.REGION] == found))[0])


def build_curves(pathways: pd.DataFrame, sector_units: dict[str, str]) -> Curves:
    """Annualise every pathway of a validated pathway table and convert its intensities to
    ``sector_units[sector]`` (sectors missing from the mapping keep their first unit). A
    pathway on the other basis (CO2 vs CO2e) is relabelled here; the reconciliation compares
    a company with such a curve only where the user allowed it."""
    grid = annual_grid(pathways, CURVE_KEY)
    points = grid.points
    target = points[col.SECTOR].map(lambda s: sector_units.get(s) or _first_unit(pathways, s))
    factor = (
        pd.Series(
            [
                units.conversion_factor(units.as_co2e(u), units.as_co2e(t))
                for u, t in zip(points[col.INTENSITY_UNIT], target, strict=True)
            ],
            index=points.index,
        )
        if len(points)
        else pd.Series(dtype="float64")
    )
    points = points.assign(**{col.INTENSITY: points[col.INTENSITY] * factor})
    grid = type(grid)(grid.frame, points, grid.before, grid.after, grid.weight)
    series = grid.frame["series"].to_numpy()
    keys = (
        points.groupby(CURVE_KEY, sort=True).first().reset_index()[CURVE_KEY + [col.ACTIVITY_UNIT]]
    )
    keys.insert(
        4,
        col.INTENSITY_UNIT,
        keys[col.SECTOR].map(lambda s: sector_units.get(s) or _first_unit(pathways, s)),
    )
    first = grid.frame.groupby("series")[col.YEAR].min().to_numpy()
    last = grid.frame.groupby("series")[col.YEAR].max().to_numpy()
    width = int((last - first).max()) + 1 if len(first) else 0
    intensity = np.full((len(first), width), np.nan)
    activity = np.full((len(first), width), np.nan)
    offset = grid.frame[col.YEAR].to_numpy() - first[series]
    intensity[series, offset] = grid.interpolate(col.INTENSITY)
    activity[series, offset] = grid.interpolate(col.ACTIVITY)
    return Curves(keys, first, last, intensity, activity)


def _first_unit(pathways: pd.DataFrame, sector: str) -> str:
    return str(pathways.loc[pathways[col.SECTOR] == sector, col.INTENSITY_UNIT].iloc[0])
