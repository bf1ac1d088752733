from __future__ import annotations

import numpy as np
import pytest

from roadmap.domain.errors import InputError
from roadmap.domain.milestones import (
    Milestone,
    check_milestones,
    grid,
    grid_start,
    milestone_years,
    milestones_from_points,
    next_milestone,
    on_grid,
)

FULL = [Milestone(y, 2.0 - 0.05 * (y - 2020)) for y in grid(2020, 2050)]


def problems(rows, base=2020, target=2050):  # type: ignore[no-untyped-def]
    return {
        (p.row, p.column, p.message)
        for p in check_milestones(rows, base_year=base, target_year=target)
    }


def test_grid():
    assert grid(2020, 2050) == [2020, 2025, 2030, 2035, 2040, 2045, 2050]


def test_a_complete_table_passes():
    assert problems(FULL) == set()
    assert problems([*FULL[:1], Milestone(2025, 1.9, 500.0), *FULL[2:]]) == set()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([m for m in FULL if m.year != 2035], {(None, "year", "missing milestone years: 2035")}),
        (
            [*FULL, Milestone(2032, 1.0)],
            {
                (8, "year", "2032 is not a milestone: every 5 years from 2020 to 2050"),
                (8, "year", "2032 comes after 2050; years must increase"),
            },
        ),
        (
            [FULL[1], FULL[0], *FULL[2:]],
            {(2, "year", "2020 comes after 2025; years must increase")},
        ),
        ([*FULL, Milestone(2050, 0.1)], {(8, "year", "2050 is already row 7")}),
        ([Milestone(2020, None), *FULL[1:]], {(1, "intensity", "an intensity is needed")}),
        ([Milestone(2020, -1.0), *FULL[1:]], {(1, "intensity", "must not be negative")}),
        ([Milestone(2020, 2.0, 0.0), *FULL[1:]], {(1, "activity", "must be greater than zero")}),
        (
            [Milestone(None, 2.0), *FULL[1:]],
            {(1, "year", "a year is needed"), (None, "year", "missing milestone years: 2020")},
        ),
    ],
)
def test_each_broken_rule_is_named(rows, expected):
    assert problems(rows) == expected


@pytest.mark.parametrize(
    ("base", "target", "expected"),
    [
        (2019, 2050, {(None, "base_year", "2019 is not on the 5-year grid (e.g. 2020, 2025)")}),
        (2050, 2020, {(None, "target_year", "must come after the base year")}),
        (None, 2050, {(None, "base_year", "a year is needed")}),
    ],
)
def test_the_span_itself(base, target, expected):
    assert problems(FULL, base, target) == expected


def test_import_takes_grid_years_from_an_annual_pathway():
    years = list(range(2019, 2051))
    values = [2.0 - 0.01 * (y - 2019) for y in years]
    rows = milestones_from_points(
        years, values, [None] * len(years), base_year=2020, target_year=2050
    )
    assert [m.year for m in rows] == grid(2020, 2050)
    assert rows[1].intensity == pytest.approx(2.0 - 0.01 * 6)  # 2025
    assert problems(rows) == set()


def test_import_of_a_sparse_file_keeps_every_row_for_the_rule():
    rows = milestones_from_points(
        [2020, 2030, 2032, 2050], [2.0, 1.5, 1.4, 0.1], [None] * 4, base_year=2020, target_year=2050
    )
    assert [m.year for m in rows] == [2020, 2030, 2032, 2050]
    found = problems(rows)
    assert (3, "year", "2032 is not a milestone: every 5 years from 2020 to 2050") in found
    assert (None, "year", "missing milestone years: 2025, 2035, 2040, 2045") in found


def test_import_picks_the_platforms_series_from_a_table():
    from roadmap.domain.ingest import read_bytes
    from roadmap.domain.milestones import milestones_from_table
    from roadmap.domain.validate import validate_pathways

    lines = ["sector,scenario,region,scope,year,intensity,intensity_unit"]
    for scope, start in (("S1", 1.0), ("S1S2", 2.0)):  # S1S2: 2.0, 1.9, ... on the grid
        lines += [
            f"Steel,Mine,Global,{scope},{y},{start - 0.02 * (y - 2020)},t CO2e/(t Steel)"
            for y in range(2020, 2051, 5)
        ]
    table = validate_pathways(read_bytes("\n".join(lines).encode(), suffix=".csv", name="p.csv"))
    imported = milestones_from_table(
        table,
        scenario="mine",
        sector="steel",
        region="Global",
        scope="S1S2",
        base_year=2020,
        target_year=2050,
    )
    assert imported.milestones[1] == Milestone(2025, pytest.approx(1.9), None)
    assert imported.intensity_unit == "t CO2e/(t Steel)"
    with pytest.raises(InputError, match="no Cement rows for scenario 'Mine'"):
        milestones_from_table(
            table,
            scenario="Mine",
            sector="Cement",
            region="Global",
            scope="S1",
            base_year=2020,
            target_year=2050,
        )


def test_milestone_years_and_the_next_one():
    assert milestone_years([2019, 2020, 2021, 2025, 2025, 2033, 2035]) == [2020, 2025, 2035]
    assert next_milestone(2023) == 2025
    assert next_milestone(2025) == 2030  # strictly after
    assert next_milestone(np.array([2019, 2020, 2049])).tolist() == [2020, 2025, 2050]
    assert (on_grid(2030), on_grid(2031), grid_start(2023), grid_start(2020)) == (
        True,
        False,
        2020,
        2020,
    )
