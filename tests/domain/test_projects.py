"""The rules of one project record (roadmap.domain.projects), as a table of cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from roadmap.domain.projects import (
    DATE_COLUMNS,
    ProjectValues,
    parse_date,
    parse_flag,
    parse_number,
    parse_year,
    project_problems,
)
from roadmap.models import PROJECT_STATUS_DATES

TODAY = date(2026, 6, 30)
GOOD = ProjectValues(
    name="Plant",
    technology="scrap EAF",
    status="construction",
    start_year=2028,
    capacity=1.5,
    capacity_unit="Mt Steel",
    dates={"announced": date(2023, 1, 1), "construction": date(2025, 5, 1)},
    expected_intensity=50,
    intensity_unit="kg CO2e/(t Steel)",
    source_url="https://example.org/x",
)


def problems(**changes: object) -> list[tuple[str, str]]:
    return project_problems(
        replace(GOOD, **changes),  # type: ignore[arg-type]
        activity_unit="t Steel",
        intensity_unit="t CO2e/(t Steel)",
        today=TODAY,
    )


def test_the_columns_are_the_tables() -> None:
    assert DATE_COLUMNS == PROJECT_STATUS_DATES


def test_a_good_project_has_no_problem() -> None:
    assert problems() == []
    # The day itself is not after today; kt and kg convert.
    assert problems(dates={"announced": TODAY}, capacity_unit="kt Steel") == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"capacity": 0.0}, [("capacity", "must be greater than zero")]),
        ({"capacity": float("inf")}, [("capacity", "not a finite number")]),
        (
            {"capacity": 1e19},
            [("capacity", "implausible magnitude: between one billionth and 10^18 in its unit")],
        ),
        (
            {"capacity_unit": "tkm"},
            [
                (
                    "capacity_unit",
                    "'tkm' does not convert into the sector's activity unit 't Steel' "
                    "(capacity is per year in it, e.g. 'Mt Steel')",
                )
            ],
        ),
        ({"capacity_unit": "furlongs of"}, [("capacity_unit", "unknown unit 'furlongs of'")]),
        (
            {"expected_intensity": None},
            [("expected_intensity", "give the expected intensity with its unit, or neither")],
        ),
        ({"intensity_unit": ""}, [("intensity_unit", "unit is missing")]),
        ({"start_year": 2201}, [("start_year", "year outside 1900-2200")]),
        (
            {"status": "dreaming"},
            [
                (
                    "status",
                    "must be one of announced, feasibility, final investment decision, "
                    "construction, operating, cancelled",
                )
            ],
        ),
        (
            {"dates": {"announced": date(2026, 7, 1)}},
            [
                (
                    "announced_on",
                    "2026-07-01 is after today: a status date is when the project reached it",
                )
            ],
        ),
        (
            {"dates": {"announced": date(2025, 1, 1), "construction": date(2024, 1, 1)}},
            [
                (
                    "construction_on",
                    "2024-01-01 is before the 'announced' date 2025-01-01: "
                    "the statuses come in order",
                )
            ],
        ),
        (
            {"dates": {"operating": date(2025, 1, 1)}},
            [
                (
                    "operating_on",
                    "the project is at 'construction': a date is only for a status reached "
                    "('operating' is not)",
                )
            ],
        ),
        (
            {"dates": {"cancelled": date(2025, 1, 1)}},
            [("cancelled_on", "a cancellation date needs the status 'cancelled'")],
        ),
        # Cancelled after construction began, but not before it.
        (
            {
                "status": "cancelled",
                "dates": {"construction": date(2025, 5, 1), "cancelled": date(2025, 4, 1)},
            },
            [
                (
                    "cancelled_on",
                    "2025-04-01 is before the 'construction' date 2025-05-01: "
                    "the statuses come in order",
                )
            ],
        ),
        (
            {"name": "@x", "country": "a\tb"},
            [
                (
                    "name",
                    "starts like a spreadsheet formula (=, +, -, @): begin with a letter or digit",
                ),
                ("country", "contains a control character (a tab, line break or NUL)"),
            ],
        ),
        ({"technology": "x" * 101}, [("technology", "longer than 100 characters")]),
        (
            {"source_url": "javascript:alert(1)"},
            [("source_url", "a web address starting with http:// or https://")],
        ),
        (
            {"source_url": "https://"},
            [("source_url", "a web address starting with http:// or https://")],
        ),
    ],
)
def test_each_problem_is_named_by_its_field(changes: dict, expected: list) -> None:
    assert problems(**changes) == expected


def test_cancelled_may_end_any_status() -> None:
    assert (
        problems(
            status="cancelled", dates={"announced": date(2022, 1, 1), "cancelled": date(2024, 1, 1)}
        )
        == []
    )
    assert problems(status="cancelled", dates={}) == []


@pytest.mark.parametrize(
    ("text", "read"),
    [
        (parse_number, "1.5e3"),
        (parse_year, "2030"),
        (parse_date, "2025-02-01T00:00:00"),
        (parse_flag, "Yes"),
    ],
)
def test_cells_read(text, read) -> None:  # type: ignore[no-untyped-def]
    assert text(read) in (1500.0, 2030, date(2025, 2, 1), True)


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_number, "nan"),
        (parse_number, "inf"),
        (parse_number, "1_000"),
        (parse_number, "0x10"),
        (parse_number, "1" * 41),
        (parse_year, "2030.5"),
        (parse_year, "1e400"),
        (parse_date, "2025-02-30"),
        (parse_date, "2025-02-01T10:00:00"),
        (parse_date, "1.5.2025"),
        (parse_flag, "maybe"),
    ],
)
def test_cells_refused(parse, text) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        parse(text)
