"""The milestone rule of a platform roadmap, written once for the milestone form and the CSV
import: a value at every year of the five-year grid from the base year to the target year
(e.g. 2020, 2025, ..., 2050), years increasing, nothing off the grid, intensities not negative
and sector activity, where given, positive.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, Problem

STEP = 5


@dataclass(frozen=True)
class Milestone:
    year: int | None
    intensity: float | None
    activity: float | None = None


def grid(base_year: int, target_year: int, step: int = STEP) -> list[int]:
    """The milestone years from base to target inclusive."""
    return list(range(base_year, target_year + 1, step))


def check_span(
    base_year: int | None, target_year: int | None, *, name: str = "roadmap", step: int = STEP
) -> list[Problem]:
    """Problems with the base and target years themselves."""
    problems = []
    for column, year in (("base_year", base_year), ("target_year", target_year)):
        if year is None:
            problems.append(Problem(name, None, column, "a year is needed"))
        elif year % step:
            problems.append(
                Problem(
                    name, None, column, f"{year} is not on the {step}-year grid (e.g. 2020, 2025)"
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
    step: int = STEP,
) -> list[Problem]:
    """Every problem with a milestone table; row n is the n-th milestone (1-based)."""
    problems = check_span(base_year, target_year, name=name, step=step)
    if problems or base_year is None or target_year is None:
        return problems
    expected = set(grid(base_year, target_year, step))
    seen: dict[int, int] = {}
    previous: int | None = None
    for row, m in enumerate(milestones, start=1):
        problems += _check_one(m, row, name, expected, step, base_year, target_year)
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
    step: int,
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
                f"{m.year} is not a milestone: every {step} years from "
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
    step: int = STEP,
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
        on_grid = set(grid(base_year, target_year, step))
        rows = [m for m in rows if m.year in on_grid]
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
