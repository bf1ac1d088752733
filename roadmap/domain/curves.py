"""Annualised scenario curves S(t) (and sector activity A_s(t)) addressable by integer code.

Reconciling 10,000 companies means looking up S(t) for 300,000 company-years; a padded array
per curve turns each look-up into numpy indexing instead of a string-keyed merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import units
from roadmap.domain.annual import annual_grid
from roadmap.domain.keys import combine, factorize
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
        regions = self._codes.get((sector, scenario, scope), {})
        found = pathway_region(regions, region)
        return -1 if found is None else regions[found]

    @cached_property
    def _codes(self) -> dict[tuple[str, str, str], dict[str, int]]:
        """{(sector, scenario, scope): {region: first curve code}}, regions in order."""
        index: dict[tuple[str, str, str], dict[str, int]] = {}
        keys = self.keys
        for code, (sector, scenario, region, scope) in enumerate(
            zip(
                keys[col.SECTOR], keys[col.SCENARIO], keys[col.REGION], keys[col.SCOPE], strict=True
            )
        ):
            index.setdefault((sector, scenario, scope), {}).setdefault(region, code)
        return index


def build_curves(pathways: pd.DataFrame, sector_units: dict[str, str]) -> Curves:
    """Annualise every pathway of a validated pathway table and convert its intensities to
    ``sector_units[sector]`` (sectors missing from the mapping keep their first unit). A
    pathway on the other basis (CO2 vs CO2e) is relabelled here; the reconciliation compares
    a company with such a curve only where the user allowed it."""
    # One integer code per curve, numbered in sorted order of its names: the grid sorts and
    # groups integers, not four text columns.
    parts = [factorize(pathways[k]) for k in CURVE_KEY]
    code = combine([f.ranks()[f.codes] for f in parts], [len(f.names) for f in parts])
    grid = annual_grid(pathways.assign(_curve=code), ["_curve"])
    points = grid.points
    unit_of: dict[str, str] = {}  # each sector's unit, read once

    def target(sector: str) -> str:
        if sector not in unit_of:
            unit_of[sector] = sector_units.get(sector) or _first_unit(pathways, sector)
        return unit_of[sector]

    factors: dict[tuple[str, str], float] = {}  # one conversion per (unit, target) pair
    per_point = []
    for pair in zip(points[col.INTENSITY_UNIT], map(target, points[col.SECTOR]), strict=True):
        if pair not in factors:
            factors[pair] = units.conversion_factor(units.as_co2e(pair[0]), units.as_co2e(pair[1]))
        per_point.append(factors[pair])
    factor = pd.Series(per_point, index=points.index, dtype="float64")
    points = points.assign(**{col.INTENSITY: points[col.INTENSITY] * factor})
    grid = type(grid)(grid.frame, points, grid.before, grid.after, grid.weight)
    series = grid.frame["series"].to_numpy()
    # Points are sorted by curve then year: each curve's first and last rows.
    curve_of_point = points["_curve"].to_numpy()
    new_curve = np.r_[True, curve_of_point[1:] != curve_of_point[:-1]][: len(points)]
    starts = np.flatnonzero(new_curve)
    ends = np.r_[starts[1:], len(points)][: len(starts)] - 1
    keys = points[CURVE_KEY + [col.ACTIVITY_UNIT]].iloc[starts].reset_index(drop=True)
    # A curve's activity unit is its first one given (a row without activity has none).
    unit = points[col.ACTIVITY_UNIT]
    given = np.flatnonzero(unit.notna().to_numpy())
    curve_number = np.cumsum(new_curve) - 1
    with_unit, first_given = np.unique(curve_number[given], return_index=True)
    keys.loc[with_unit, col.ACTIVITY_UNIT] = unit.to_numpy()[given[first_given]]
    keys.insert(4, col.INTENSITY_UNIT, keys[col.SECTOR].map(target))
    years = points[col.YEAR].to_numpy(dtype="int64")
    first, last = years[starts], years[ends]
    width = int((last - first).max()) + 1 if len(first) else 0
    intensity = np.full((len(first), width), np.nan)
    activity = np.full((len(first), width), np.nan)
    offset = grid.frame[col.YEAR].to_numpy() - first[series]
    intensity[series, offset] = grid.interpolate(col.INTENSITY)
    activity[series, offset] = grid.interpolate(col.ACTIVITY)
    return Curves(keys, first, last, intensity, activity)


def _first_unit(pathways: pd.DataFrame, sector: str) -> str:
    return str(pathways.loc[pathways[col.SECTOR] == sector, col.INTENSITY_UNIT].iloc[0])
