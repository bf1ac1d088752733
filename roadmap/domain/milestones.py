"""The five-year milestone grid (2020, 2025, ..., 2050), the one place it is defined, and the
milestone rule of a platform roadmap, written once for the milestone form and the CSV import: a
value at every year of the grid from the base year to the target year, years increasing,
nothing off the grid, intensities not negative and sector activity, where given, positive.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, Problem

STEP = 5
Years = TypeVar("Years", int, np.ndarray, pd.Series)


@dataclass(frozen=True)
class Milestone:
    year: int | None
    intensity: float | None
    activity: float | None = None


def on_grid(year: int) -> bool:
    """Whether ``year`` is a milestone year (a multiple of five)."""
    return year % STEP == 0


def grid_start(year: int) -> int:
    """The milestone year at or before ``year``: 2023 -> 2020."""
    return year - year % STEP


def grid(base_year: int, target_year: int) -> list[int]:
    """The milestone years from base to target inclusive (base on the grid)."""
    return list(range(base_year, target_year + 1, STEP))


def next_milestone(years: Years) -> Years:
    """The first milestone year strictly after each year: 2023 -> 2025, 2025 -> 2030 (an int,
    or element-wise for arrays)."""
    return (years // STEP + 1) * STEP  # type: ignore[return-value]


def milestone_years(years: Iterable[int]) -> list[int]:
    """The milestone years among ``years``, in order, each once."""
    return sorted({int(y) for y in years if on_grid(int(y))})


def check_span(
    base_year: int | None, target_year: int | None, *, name: str = "roadmap"
) -> list[Problem]:
    """Problems with the base and target years themselves."""
    problems = []
    for column, year in (("base_year", base_year), ("target_year", target_year)):
        if year is None:
            problems.append(Problem(name, None, column, "a year is needed"))
        elif not on_grid(year):
            problems.append(
                Problem(
                    name, None, column, f"{year} is not on the {STEP}-year grid (e.g. 2020, 2025)"
                )
            )
    if base_year is not None and target_year is not None and target_year <= base_year:
        problems.append(Problem(name, None, "target_year", "must come after the base year"))
    return problems


def check_milestones(
    milestones: Sequence[Milestone],
    *,
    base_year: int | None,
    target_year: int | None,
    name: str = "roadmap",
) -> list[Problem]:
    """Every problem with a milestone table; row n is the n-th milestone (1-based)."""
    problems = check_span(base_year, target_year, name=name)
    if problems or base_year is None or target_year is None:
        return problems
    expected = set(grid(base_year, target_year))
    seen: dict[int, int] = {}
    previous: int | None = None
    for row, m in enumerate(milestones, start=1):
        problems += _check_one(m, row, name, expected, base_year, target_year)
        if m.year is None:
            continue
        if m.year in seen:
            problems.append(Problem(name, row, "year", f"{m.year} is already row {seen[m.year]}"))
        elif previous is not None and m.year < previous:
            problems.append(
                Problem(name, row, "year", f"{m.year} comes after {previous}; years must increase")
            )
        seen.setdefault(m.year, row)
        previous = m.year if previous is None else max(previous, m.year)
    missing = sorted(expected - set(seen))
    if missing:
        problems.append(
            Problem(name, None, "year", "missing milestone years: " + ", ".join(map(str, missing)))
        )
    return problems


def _check_one(
    m: Milestone,
    row: int,
    name: str,
    expected: set[int],
    base_year: int,
    target_year: int,
) -> list[Problem]:
    problems = []
    if m.year is None:
        problems.append(Problem(name, row, "year", "a year is needed"))
    elif m.year not in expected:
        problems.append(
            Problem(
                name,
                row,
                "year",
                f"{m.year} is not a milestone: every {STEP} years from "
                f"{base_year} to {target_year}",
            )
        )
    if m.intensity is None or not math.isfinite(m.intensity):
        problems.append(Problem(name, row, "intensity", "an intensity is needed"))
    elif m.intensity < 0:
        problems.append(Problem(name, row, "intensity", "must not be negative"))
    if m.activity is not None and (not math.isfinite(m.activity) or m.activity <= 0):
        problems.append(Problem(name, row, "activity", "must be greater than zero"))
    return problems


def milestones_from_points(
    years: Sequence[int],
    intensities: Sequence[float],
    activities: Sequence[float | None],
    *,
    base_year: int,
    target_year: int,
) -> list[Milestone]:
    """The milestones of an imported pathway: where the file gives every year of the span
    (an annual pathway such as TPI's), its values at the grid years; otherwise every row in the
    span, for check_milestones to judge."""
    rows = [
        Milestone(y, i, a)
        for y, i, a in zip(years, intensities, activities, strict=True)
        if base_year <= y <= target_year
    ]
    annual = {m.year for m in rows} >= set(range(base_year, target_year + 1))
    if annual:
        rows = [m for m in rows if m.year is not None and on_grid(m.year)]
    return sorted(rows, key=lambda m: m.year or 0)


@dataclass(frozen=True)
class ImportedPathway:
    milestones: list[Milestone]
    intensity_unit: str
    activity_unit: str


def milestones_from_table(
    table: pd.DataFrame,
    *,
    scenario: str,
    sector: str,
    region: str,
    scope: str,
    base_year: int,
    target_year: int,
) -> ImportedPathway:
    """One pathway's milestones from a validated pathway table: the rows of ``scenario`` for
    ``sector`` (names without regard to case), the series for ``region`` and ``scope`` where the
    file has several (else its first), read at the grid years and judged by check_milestones.
    Raises InputError naming the file."""
    name = str(table.attrs.get("source", "pathways"))
    chosen = table[
        (table[col.SCENARIO].str.casefold() == scenario.casefold())
        & (table[col.SECTOR].str.casefold() == sector.casefold())
    ]
    if chosen.empty:
        raise InputError(
            [Problem(name, None, col.SCENARIO, f"no {sector} rows for scenario '{scenario}'")]
        )
    series = list(zip(chosen[col.REGION], chosen[col.SCOPE], strict=True))
    wanted = (region, scope) if (region, scope) in series else series[0]
    chosen = chosen[[s == wanted for s in series]]
    milestones = milestones_from_points(
        chosen[col.YEAR].tolist(),
        chosen[col.INTENSITY].tolist(),
        [None if pd.isna(a) else float(a) for a in chosen[col.ACTIVITY]],
        base_year=base_year,
        target_year=target_year,
    )
    problems = check_milestones(milestones, base_year=base_year, target_year=target_year, name=name)
    if problems:
        raise InputError(problems)
    return ImportedPathway(
        milestones,
        str(chosen[col.INTENSITY_UNIT].iloc[0]),
        str(chosen[col.ACTIVITY_UNIT].iloc[0] or ""),
    )
