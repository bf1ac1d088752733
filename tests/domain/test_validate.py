"""Checks on trajectory and pathway tables (roadmap.domain.validate).

Each bad input is refused with the exact set of problems: file, row (header = 1, first data
row = 2), column, and what is wrong. Every problem in the file is reported, not only the first.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd
import pytest

from roadmap.domain.errors import InputError, Problem
from roadmap.domain.ingest import read_bytes, read_table
from roadmap.domain.matching import unknown_sector_problems
from roadmap.domain.validate import submission_problems, validate_pathways, validate_trajectories

ROOT = Path(__file__).resolve().parents[2]
PATHWAYS = ROOT / "data" / "pathways"
T = "t.csv"
P = "p.csv"

TRAJECTORY_COLUMNS = [
    "company",
    "sector",
    "region",
    "scope",
    "year",
    "activity",
    "activity_unit",
    "emissions",
    "emissions_unit",
    "kind",
]
WITH_INTENSITY = TRAJECTORY_COLUMNS + ["intensity", "intensity_unit"]
PATHWAY_COLUMNS = [
    "sector",
    "scenario",
    "region",
    "scope",
    "year",
    "intensity",
    "intensity_unit",
    "activity",
    "activity_unit",
]

GOOD_TRAJECTORY = {
    "company": "Alpha Steel",
    "sector": "Steel",
    "region": "Global",
    "scope": "S1S2",
    "year": "2020",
    "activity": "100",
    "activity_unit": "t Steel",
    "emissions": "200",
    "emissions_unit": "t CO2e",
    "kind": "reported",
    "intensity": "",
    "intensity_unit": "",
}
INTENSITY_ONLY = {
    "activity": "",
    "activity_unit": "",
    "emissions": "",
    "emissions_unit": "",
    "intensity": "1.8",
    "intensity_unit": "t CO2e/(t Steel)",
}
GOOD_PATHWAY = {
    "sector": "Steel",
    "scenario": "Test 1.5",
    "region": "Global",
    "scope": "S1S2",
    "year": "2020",
    "intensity": "1.6",
    "intensity_unit": "t CO2e/(t Steel)",
    "activity": "",
    "activity_unit": "",
}


def table(columns: list[str], defaults: dict[str, str], rows: list[dict[str, str]]) -> bytes:
    """CSV bytes: a header of ``columns`` and one line per row (defaults overridden)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        values = {**defaults, **row}
        writer.writerow([values.get(c, "") for c in columns])
    return buffer.getvalue().encode()


def trajectories(*rows: dict[str, str], columns: list[str] = TRAJECTORY_COLUMNS) -> pd.DataFrame:
    data = table(columns, GOOD_TRAJECTORY, list(rows))
    return validate_trajectories(read_bytes(data, suffix=".csv", name=T))


def pathways(*rows: dict[str, str], columns: list[str] = PATHWAY_COLUMNS) -> pd.DataFrame:
    data = table(columns, GOOD_PATHWAY, list(rows))
    return validate_pathways(read_bytes(data, suffix=".csv", name=P))


Expected = list[tuple[int | None, str | None, str]]


def assert_problems(error: InputError, expected: Expected, *, file: str) -> None:
    """``error`` holds exactly one problem per (row, column, message part) in ``expected``."""
    remaining = list(error.problems)
    for row, column, text in expected:
        found = [
            p
            for p in remaining
            if (p.file, p.row, p.column) == (file, row, column) and text in p.message
        ]
        assert found, f"no problem at row {row}, column {column!r} with {text!r}: {remaining}"
        remaining.remove(found[0])
    assert remaining == [], f"unexpected problems: {remaining}"


# --- trajectories: accepted and normalised ---------------------------------------------------


def test_a_good_trajectory_is_returned_typed() -> None:
    typed = trajectories({"year": "2019"}, {"year": "2020", "kind": "planned", "emissions": "0"})
    assert typed["year"].tolist() == [2019, 2020]
    assert typed["year"].dtype == "int64"
    assert typed["activity"].tolist() == [100.0, 100.0]
    assert typed["emissions"].tolist() == [200.0, 0.0]
    assert typed["activity"].dtype == typed["emissions"].dtype == "float64"
    assert typed["kind"].tolist() == ["reported", "planned"]
    assert typed["_row"].tolist() == [2, 3]
    assert typed["intensity"].isna().all()


@pytest.mark.parametrize("scope", ["S1+S2", "s1s2", "S1 + S2", " s1+s2 ", "S1S2"])
def test_scope_spellings_are_normalised(scope: str) -> None:
    assert trajectories({"scope": scope})["scope"].tolist() == ["S1S2"]


@pytest.mark.parametrize(
    ("scope", "normalised"), [("s1", "S1"), ("S3", "S3"), ("S1+S2+S3", "S1S2S3"), ("S2S3", "S2S3")]
)
def test_other_scopes_are_accepted(scope: str, normalised: str) -> None:
    assert trajectories({"scope": scope})["scope"].tolist() == [normalised]


@pytest.mark.parametrize(
    ("kind", "normalised"),
    [("Reported", "reported"), ("PLANNED", "planned"), (" planned ", "planned")],
)
def test_kind_is_normalised_to_lower_case(kind: str, normalised: str) -> None:
    assert trajectories({"kind": kind})["kind"].tolist() == [normalised]


def test_a_year_written_as_a_whole_float_is_accepted() -> None:
    assert trajectories({"year": "2020.0"})["year"].tolist() == [2020]


def test_intensity_only_rows_are_accepted() -> None:
    typed = trajectories(
        {**INTENSITY_ONLY, "year": "2020"},
        {**INTENSITY_ONLY, "year": "2025", "intensity": "1.5", "kind": "planned"},
        columns=WITH_INTENSITY,
    )
    assert typed["intensity"].tolist() == [1.8, 1.5]
    assert typed["intensity_unit"].tolist() == ["t CO2e/(t Steel)"] * 2
    assert typed["activity"].isna().all()
    assert typed["emissions"].isna().all()


def test_a_file_with_only_intensity_columns_is_accepted() -> None:
    columns = [
        c
        for c in WITH_INTENSITY
        if c not in ("activity", "activity_unit", "emissions", "emissions_unit")
    ]
    typed = trajectories({**INTENSITY_ONLY}, columns=columns)
    assert typed["intensity"].tolist() == [1.8]
    assert typed["activity"].isna().all()


def test_one_company_absolute_and_another_intensity_only_is_accepted() -> None:
    typed = trajectories(
        {"company": "Alpha Steel"},
        {**INTENSITY_ONLY, "company": "Beta Steel"},
        columns=WITH_INTENSITY,
    )
    assert typed["company"].tolist() == ["Alpha Steel", "Beta Steel"]
    assert typed["activity"].tolist()[0] == 100.0
    assert math.isnan(typed["activity"].tolist()[1])


@pytest.mark.parametrize(
    ("intensity", "unit"),
    [
        ("2", "t CO2e/(t Steel)"),
        ("2.001", "t CO2e/(t Steel)"),  # 0.05 % off: within 0.1 %
        ("1.999", "t CO2e/(t Steel)"),
        ("2000", "kg CO2e/(t Steel)"),
        ("2", "Mt CO2e/(Mt Steel)"),
    ],
)
def test_intensity_beside_activity_and_emissions_that_agrees_is_accepted(
    intensity: str, unit: str
) -> None:
    typed = trajectories({"intensity": intensity, "intensity_unit": unit}, columns=WITH_INTENSITY)
    assert typed["intensity"].tolist() == [float(intensity)]
    assert typed["activity"].tolist() == [100.0]


def test_units_that_convert_may_differ_between_years_of_one_company() -> None:
    typed = trajectories(
        {"year": "2019"},
        {
            "year": "2020",
            "activity": "0.0001",
            "activity_unit": "Mt Steel",
            "emissions_unit": "kt CO2e",
            "emissions": "0.2",
        },
    )
    assert typed["activity_unit"].tolist() == ["t Steel", "Mt Steel"]


# --- trajectories: refused, one table of bad inputs ------------------------------------------


BAD_TRAJECTORIES: list[tuple[str, list[dict[str, str]], list[str], Expected]] = [
    (
        "missing-kind-column",
        [{}],
        [c for c in TRAJECTORY_COLUMNS if c != "kind"],
        [(1, "kind", "missing column")],
    ),
    (
        "missing-company-and-year-columns",
        [{}],
        [c for c in TRAJECTORY_COLUMNS if c not in ("company", "year")],
        [(1, "company", "missing column"), (1, "year", "missing column")],
    ),
    (
        "no-activity-column-and-no-intensity",
        [{}],
        [c for c in TRAJECTORY_COLUMNS if c != "activity"],
        [(1, "activity", "missing column")],
    ),
    (
        "activity-not-a-number",
        [{}, {"year": "2021", "activity": "abc"}],
        TRAJECTORY_COLUMNS,
        [(3, "activity", "not a number")],
    ),
    (
        "emissions-not-a-number",
        [{"emissions": "12kt"}],
        TRAJECTORY_COLUMNS,
        [(2, "emissions", "not a number")],
    ),
    (
        "thousands-separator",
        [{"activity": "1,000"}],
        TRAJECTORY_COLUMNS,
        [(2, "activity", "not a number")],
    ),
    (
        "activity-nan-text",
        [{"activity": "nan"}],
        TRAJECTORY_COLUMNS,
        [(2, "activity", "not a number")],
    ),
    (
        "activity-infinite",
        [{"activity": "inf"}],
        TRAJECTORY_COLUMNS,
        [(2, "activity", "not a finite number")],
    ),
    (
        "activity-negative",
        [{"activity": "-5"}],
        TRAJECTORY_COLUMNS,
        [(2, "activity", "must be greater than zero")],
    ),
    (
        "activity-zero",
        [{"activity": "0"}],
        TRAJECTORY_COLUMNS,
        [(2, "activity", "must be greater than zero")],
    ),
    (
        "emissions-negative",
        [{"emissions": "-0.5"}],
        TRAJECTORY_COLUMNS,
        [(2, "emissions", "must not be negative")],
    ),
    (
        "activity-missing",
        [{"activity": ""}],
        TRAJECTORY_COLUMNS,
        [(2, "activity", "value is missing")],
    ),
    (
        "emissions-missing",
        [{"emissions": ""}],
        TRAJECTORY_COLUMNS,
        [(2, "emissions", "value is missing")],
    ),
    (
        "no-figures-at-all",
        [{"activity": "", "activity_unit": "", "emissions": "", "emissions_unit": ""}],
        TRAJECTORY_COLUMNS,
        [(2, "emissions", "give activity and emissions, or an intensity")],
    ),
    (
        "no-figures-in-an-intensity-file",
        [{"activity": "", "activity_unit": "", "emissions": "", "emissions_unit": ""}],
        [c for c in WITH_INTENSITY if c not in TRAJECTORY_COLUMNS[5:9]],
        [(2, "intensity", "give activity and emissions, or an intensity")],
    ),
    (
        "duplicate-company-year",
        [{"year": "2019"}, {"year": "2020"}, {"year": "2020", "emissions": "150"}],
        TRAJECTORY_COLUMNS,
        [(4, "year", "duplicate year 2020: already given in row 3")],
    ),
    (
        "duplicate-hidden-by-scope-spelling",
        [{"scope": "S1S2"}, {"scope": "S1+S2"}],
        TRAJECTORY_COLUMNS,
        [(3, "year", "duplicate year 2020: already given in row 2")],
    ),
    (
        "company-missing",
        [{"company": ""}],
        TRAJECTORY_COLUMNS,
        [(2, "company", "value is missing")],
    ),
    ("region-missing", [{"region": ""}], TRAJECTORY_COLUMNS, [(2, "region", "value is missing")]),
    ("sector-missing", [{"sector": " "}], TRAJECTORY_COLUMNS, [(2, "sector", "value is missing")]),
    (
        "company-too-long",
        [{"company": "x" * 201}],
        TRAJECTORY_COLUMNS,
        [(2, "company", "longer than 200 characters")],
    ),
    (
        "company-hyperlink-formula",
        [{"company": '=HYPERLINK("http://evil.example","Alpha")'}],
        TRAJECTORY_COLUMNS,
        [(2, "company", "starts like a spreadsheet formula")],
    ),
    (
        "company-plus-formula",
        [{"company": "+cmd|'/c calc'!A1"}],
        TRAJECTORY_COLUMNS,
        [(2, "company", "starts like a spreadsheet formula")],
    ),
    (
        "sector-minus-formula",
        [{"sector": "-2+3"}],
        TRAJECTORY_COLUMNS,
        [(2, "sector", "starts like a spreadsheet formula")],
    ),
    (
        "region-at-formula",
        [{"region": "@SUM(A1)"}],
        TRAJECTORY_COLUMNS,
        [(2, "region", "starts like a spreadsheet formula")],
    ),
    (
        "scope-unknown",
        [{"scope": "S4"}],
        TRAJECTORY_COLUMNS,
        [(2, "scope", "scope must be one of S1, S2, S3, S1S2, S1S3, S2S3, S1S2S3")],
    ),
    (
        "scope-missing",
        [{"scope": ""}],
        TRAJECTORY_COLUMNS,
        [(2, "scope", "scope must be one of S1, S2, S3, S1S2, S1S3, S2S3, S1S2S3")],
    ),
    (
        "kind-unknown",
        [{"kind": "forecast"}],
        TRAJECTORY_COLUMNS,
        [(2, "kind", "kind must be 'reported' or 'planned'")],
    ),
    (
        "kind-missing",
        [{"kind": ""}],
        TRAJECTORY_COLUMNS,
        [(2, "kind", "kind must be 'reported' or 'planned'")],
    ),
    ("year-not-whole", [{"year": "2020.5"}], TRAJECTORY_COLUMNS, [(2, "year", "not a whole year")]),
    ("year-not-a-number", [{"year": "FY20"}], TRAJECTORY_COLUMNS, [(2, "year", "not a number")]),
    ("year-missing", [{"year": ""}], TRAJECTORY_COLUMNS, [(2, "year", "value is missing")]),
    (
        "year-too-early",
        [{"year": "1850"}],
        TRAJECTORY_COLUMNS,
        [(2, "year", "year outside 1900-2200")],
    ),
    (
        "year-too-late",
        [{"year": "2201"}],
        TRAJECTORY_COLUMNS,
        [(2, "year", "year outside 1900-2200")],
    ),
    (
        "emissions-unit-is-steel",
        [{"emissions_unit": "t Steel"}],
        TRAJECTORY_COLUMNS,
        [(2, "emissions_unit", "'t Steel' is not a mass of CO2 or CO2e (e.g. 't CO2e')")],
    ),
    (
        "emissions-unit-is-energy",
        [{"emissions_unit": "MWh"}],
        TRAJECTORY_COLUMNS,
        [(2, "emissions_unit", "'MWh' is not a mass of CO2 or CO2e (e.g. 't CO2e')")],
    ),
    (
        "emissions-unit-is-a-mass-without-gas",
        [{"emissions_unit": "t"}],
        TRAJECTORY_COLUMNS,
        [(2, "emissions_unit", "'t' is not a mass of CO2 or CO2e (e.g. 't CO2e')")],
    ),
    (
        "activity-unit-unknown",
        [{"activity_unit": "bananas"}],
        TRAJECTORY_COLUMNS,
        [(2, "activity_unit", "unknown unit 'bananas'")],
    ),
    (
        "emissions-unit-unknown",
        [{"emissions_unit": "t COO"}],
        TRAJECTORY_COLUMNS,
        [(2, "emissions_unit", "unknown unit 't COO'")],
    ),
    (
        "activity-unit-is-a-quantity",
        [{"activity_unit": "5 t Steel"}],
        TRAJECTORY_COLUMNS,
        [(2, "activity_unit", "unknown unit '5 t Steel'")],
    ),
    (
        "activity-unit-missing",
        [{"activity_unit": ""}],
        TRAJECTORY_COLUMNS,
        [(2, "activity_unit", "unit is missing")],
    ),
    (
        "emissions-unit-missing",
        [{"emissions_unit": ""}],
        TRAJECTORY_COLUMNS,
        [(2, "emissions_unit", "unit is missing")],
    ),
    (
        "mixed-activity-units-in-one-company",
        [{"year": "2019"}, {"year": "2020", "activity_unit": "tkm"}],
        TRAJECTORY_COLUMNS,
        [(3, "activity_unit", "mixed units: 'tkm' does not convert to 't Steel'")],
    ),
    (
        "absolute-and-intensity-rows-in-one-company",
        [{"year": "2019"}, {**INTENSITY_ONLY, "year": "2020"}, {"year": "2021"}],
        WITH_INTENSITY,
        [(3, "activity", "gives activity and emissions in some rows and only an intensity")],
    ),
    (
        "intensity-disagrees-by-0.15-percent",
        [{"intensity": "2.003", "intensity_unit": "t CO2e/(t Steel)"}],
        WITH_INTENSITY,
        [(2, "intensity", "disagrees with emissions / activity in the same row")],
    ),
    (
        "intensity-disagrees-after-unit-conversion",
        [{"intensity": "2", "intensity_unit": "kg CO2e/(t Steel)"}],
        WITH_INTENSITY,
        [(2, "intensity", "disagrees with emissions / activity in the same row")],
    ),
    (
        "intensity-unit-does-not-fit-the-row",
        [{"intensity": "2", "intensity_unit": "t CO2e/tkm"}],
        WITH_INTENSITY,
        [(2, "intensity_unit", "does not convert to emissions_unit / activity_unit")],
    ),
    (
        "intensity-only-negative",
        [{**INTENSITY_ONLY, "intensity": "-1"}],
        WITH_INTENSITY,
        [(2, "intensity", "must not be negative")],
    ),
    (
        "intensity-only-not-a-number",
        [{**INTENSITY_ONLY, "intensity": "high"}],
        WITH_INTENSITY,
        [(2, "intensity", "not a number")],
    ),
    (
        "intensity-only-unit-missing",
        [{**INTENSITY_ONLY, "intensity_unit": ""}],
        WITH_INTENSITY,
        [(2, "intensity_unit", "unit is missing")],
    ),
    (
        "intensity-only-unit-unknown",
        [{**INTENSITY_ONLY, "intensity_unit": "t CO2e/(t Stele)"}],
        WITH_INTENSITY,
        [(2, "intensity_unit", "unknown unit 't CO2e/(t Stele)'")],
    ),
    (
        "intensity-only-mixed-units-in-one-company",
        [
            {**INTENSITY_ONLY, "year": "2019"},
            {**INTENSITY_ONLY, "year": "2020", "intensity_unit": "g CO2e/tkm"},
        ],
        WITH_INTENSITY,
        [(3, "intensity_unit", "mixed units: 'g CO2e/tkm' does not convert to")],
    ),
]


@pytest.mark.parametrize(
    ("rows", "columns", "expected"),
    [case[1:] for case in BAD_TRAJECTORIES],
    ids=[case[0] for case in BAD_TRAJECTORIES],
)
def test_bad_trajectories_are_refused_naming_row_and_column(
    rows: list[dict[str, str]], columns: list[str], expected: Expected
) -> None:
    with pytest.raises(InputError) as info:
        trajectories(*rows, columns=columns)
    assert_problems(info.value, expected, file=T)


def test_every_problem_in_a_trajectory_file_is_reported() -> None:
    with pytest.raises(InputError) as info:
        trajectories(
            {"year": "2019", "activity": "abc"},
            {"year": "2020", "emissions": "-1", "kind": "guess"},
            {"year": "2021"},
            {"year": "2022", "company": "=1+1", "activity_unit": "bananas", "scope": "S9"},
            {"year": "2021"},
        )
    assert_problems(
        info.value,
        [
            (2, "activity", "not a number"),
            (3, "emissions", "must not be negative"),
            (3, "kind", "kind must be 'reported' or 'planned'"),
            (5, "company", "starts like a spreadsheet formula"),
            (5, "activity_unit", "unknown unit 'bananas'"),
            (5, "scope", "scope must be one of S1, S2, S3"),
            (6, "year", "duplicate year 2021: already given in row 4"),
        ],
        file=T,
    )
    assert [p.row for p in info.value.problems] == [2, 3, 3, 5, 5, 5, 6]


def test_problems_name_the_file_they_were_read_from(tmp_path: Path) -> None:
    path = tmp_path / "acme submission.csv"
    path.write_bytes(table(TRAJECTORY_COLUMNS, GOOD_TRAJECTORY, [{"activity": "-1"}]))
    with pytest.raises(InputError) as info:
        validate_trajectories(read_table(path))
    assert info.value.problems == [
        Problem("acme submission.csv", 2, "activity", "must be greater than zero")
    ]
    assert str(info.value) == (
        "acme submission.csv, row 2, column 'activity': must be greater than zero"
    )


def test_two_unreadable_years_are_not_reported_as_a_duplicate_year() -> None:
    with pytest.raises(InputError) as info:
        trajectories({"year": "FY20"}, {"year": "2020.5"})
    assert_problems(
        info.value, [(2, "year", "not a number"), (3, "year", "not a whole year")], file=T
    )


def test_a_disagreeing_intensity_is_reported_beside_other_problems() -> None:
    with pytest.raises(InputError) as info:
        trajectories(
            {"year": "2019", "intensity": "2.5", "intensity_unit": "t CO2e/(t Steel)"},
            {"year": "2020", "emissions": "-1"},
            columns=WITH_INTENSITY,
        )
    assert_problems(
        info.value,
        [
            (2, "intensity", "disagrees with emissions / activity in the same row"),
            (3, "emissions", "must not be negative"),
        ],
        file=T,
    )


# --- pathways --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tpi.csv", "oecm.csv"])
def test_the_shipped_pathway_files_are_valid(name: str) -> None:
    frame = read_table(PATHWAYS / name)
    typed = validate_pathways(frame)
    assert len(typed) == len(frame)
    assert typed["year"].dtype == "int64"
    assert typed["intensity"].notna().all()


def test_a_good_pathway_is_returned_typed() -> None:
    typed = pathways(
        {"year": "2020", "activity": "1.0", "activity_unit": "dimensionless"},
        {
            "year": "2050",
            "intensity": "0.05",
            "activity": "1.2",
            "activity_unit": "dimensionless",
            "scope": "s1+s2",
        },
    )
    assert typed["year"].tolist() == [2020, 2050]
    assert typed["intensity"].tolist() == [1.6, 0.05]
    assert typed["activity"].tolist() == [1.0, 1.2]
    assert typed["scope"].tolist() == ["S1S2", "S1S2"]
    assert typed["_row"].tolist() == [2, 3]


def test_a_pathway_without_activity_columns_is_accepted() -> None:
    typed = pathways({}, columns=PATHWAY_COLUMNS[:7])
    assert typed["activity"].isna().all()
    assert typed["activity_unit"].tolist() == [""]


def test_intensity_units_that_convert_may_differ_within_a_sector() -> None:
    typed = pathways(
        {"scenario": "A"},
        {"scenario": "B", "intensity": "1600", "intensity_unit": "kg CO2e/(t Steel)"},
    )
    assert typed["intensity_unit"].tolist() == ["t CO2e/(t Steel)", "kg CO2e/(t Steel)"]


def test_the_same_year_in_other_scenarios_regions_and_scopes_is_no_duplicate() -> None:
    typed = pathways({}, {"scenario": "Other"}, {"region": "Europe"}, {"scope": "S1"})
    assert len(typed) == 4


BAD_PATHWAYS: list[tuple[str, list[dict[str, str]], list[str], Expected]] = [
    *[
        (
            f"missing-{c}-column",
            [{}],
            [k for k in PATHWAY_COLUMNS if k != c],
            [(1, c, "missing column")],
        )
        for c in PATHWAY_COLUMNS[:7]
    ],
    (
        "intensity-negative",
        [{"intensity": "-0.1"}],
        PATHWAY_COLUMNS,
        [(2, "intensity", "must not be negative")],
    ),
    (
        "intensity-missing",
        [{"intensity": ""}],
        PATHWAY_COLUMNS,
        [(2, "intensity", "value is missing")],
    ),
    (
        "intensity-not-a-number",
        [{"intensity": "n/a"}],
        PATHWAY_COLUMNS,
        [(2, "intensity", "not a number")],
    ),
    (
        "activity-zero",
        [{"activity": "0", "activity_unit": "Mt Steel"}],
        PATHWAY_COLUMNS,
        [(2, "activity", "must be greater than zero")],
    ),
    (
        "activity-negative",
        [{"activity": "-3", "activity_unit": "Mt Steel"}],
        PATHWAY_COLUMNS,
        [(2, "activity", "must be greater than zero")],
    ),
    (
        "activity-without-unit",
        [{"activity": "3"}],
        PATHWAY_COLUMNS,
        [(2, "activity_unit", "unit is missing")],
    ),
    (
        "intensity-unit-missing",
        [{"intensity_unit": ""}],
        PATHWAY_COLUMNS,
        [(2, "intensity_unit", "unit is missing")],
    ),
    (
        "intensity-unit-unknown",
        [{"intensity_unit": "t CO2e/(t Steal)"}],
        PATHWAY_COLUMNS,
        [(2, "intensity_unit", "unknown unit 't CO2e/(t Steal)'")],
    ),
    (
        "duplicate-year",
        [{"year": "2019"}, {"year": "2020"}, {"year": "2019", "intensity": "1.7"}],
        PATHWAY_COLUMNS,
        [(4, "year", "duplicate year 2019: already given in row 2")],
    ),
    ("year-not-whole", [{"year": "2030.5"}], PATHWAY_COLUMNS, [(2, "year", "not a whole year")]),
    (
        "scope-unknown",
        [{"scope": "scope 1"}],
        PATHWAY_COLUMNS,
        [(2, "scope", "scope must be one of S1, S2, S3, S1S2, S1S3, S2S3, S1S2S3")],
    ),
    (
        "scenario-missing",
        [{"scenario": ""}],
        PATHWAY_COLUMNS,
        [(2, "scenario", "value is missing")],
    ),
    (
        "scenario-formula",
        [{"scenario": "=A1"}],
        PATHWAY_COLUMNS,
        [(2, "scenario", "starts like a spreadsheet formula")],
    ),
    (
        "source-formula",
        [{"source": '=HYPERLINK("x")'}],
        [*PATHWAY_COLUMNS, "source"],
        [(2, "source", "starts like a spreadsheet formula")],
    ),
    (
        "intensity-units-of-one-sector-do-not-convert",
        [{"scenario": "A"}, {"scenario": "B", "intensity_unit": "t CO2e/tkm"}],
        PATHWAY_COLUMNS,
        [(3, "intensity_unit", "mixed units: 't CO2e/tkm' does not convert to 't CO2e/(t Steel)'")],
    ),
    (
        "activity-units-of-one-series-do-not-convert",
        [
            {"year": "2020", "activity": "1", "activity_unit": "Mt Steel"},
            {"year": "2030", "activity": "1", "activity_unit": "dimensionless"},
        ],
        PATHWAY_COLUMNS,
        [(3, "activity_unit", "mixed units: 'dimensionless' does not convert to 'Mt Steel'")],
    ),
]


@pytest.mark.parametrize(
    ("rows", "columns", "expected"),
    [case[1:] for case in BAD_PATHWAYS],
    ids=[case[0] for case in BAD_PATHWAYS],
)
def test_bad_pathways_are_refused_naming_row_and_column(
    rows: list[dict[str, str]], columns: list[str], expected: Expected
) -> None:
    with pytest.raises(InputError) as info:
        pathways(*rows, columns=columns)
    assert_problems(info.value, expected, file=P)


def test_every_problem_in_a_pathway_file_is_reported() -> None:
    with pytest.raises(InputError) as info:
        pathways(
            {"year": "2020", "intensity": "-1"},
            {"year": "2021", "activity": "0", "activity_unit": "bananas"},
            {"year": "2020", "scope": "S7"},
        )
    assert_problems(
        info.value,
        [
            (2, "intensity", "must not be negative"),
            (3, "activity", "must be greater than zero"),
            (3, "activity_unit", "unknown unit 'bananas'"),
            (4, "scope", "scope must be one of S1, S2, S3"),
        ],
        file=P,
    )


# --- every problem of a file at once -------------------------------------------------------


def _submission_check(typed: pd.DataFrame) -> list:
    return submission_problems(
        typed, company="Alpha Steel", sector="Steel", intensity_unit="t CO2e/(t Steel)"
    )


def test_a_sector_typo_is_reported_with_the_row_problems() -> None:
    """Row 2 has a non-number and row 3 the sector 'Stel': both come in one list, and the
    unreadable row 2 is not also blamed for its units (the row checks judge it)."""
    data = table(
        TRAJECTORY_COLUMNS,
        GOOD_TRAJECTORY,
        [{"year": "2020", "activity": "abc"}, {"year": "2021", "sector": "Stel"}],
    )
    with pytest.raises(InputError) as info:
        validate_trajectories(read_bytes(data, suffix=".csv", name=T), also=_submission_check)
    assert_problems(
        info.value,
        [
            (2, "activity", "not a number"),
            (3, "sector", "this platform is for the Steel sector"),
        ],
        file=T,
    )


def test_the_pathways_unknown_sector_is_reported_with_the_row_problems() -> None:
    """The CLI's check (unknown to the pathway file) runs beside a bad year in row 2."""
    known = pathways({"year": "2020"}, {"year": "2050", "intensity": "0.1"})
    data = table(
        TRAJECTORY_COLUMNS,
        GOOD_TRAJECTORY,
        [{"year": "20x0"}, {"year": "2021", "sector": "Glass"}],
    )
    with pytest.raises(InputError) as info:
        validate_trajectories(
            read_bytes(data, suffix=".csv", name=T),
            also=lambda typed: unknown_sector_problems(known, typed, p_name=P),
        )
    assert_problems(
        info.value,
        [(2, "year", "not a number"), (3, "sector", f"unknown sector 'Glass': {P} has pathways")],
        file=T,
    )


def test_a_valid_submission_passes_the_extra_check() -> None:
    data = table(TRAJECTORY_COLUMNS, GOOD_TRAJECTORY, [{"year": "2020"}, {"year": "2030"}])
    typed = validate_trajectories(read_bytes(data, suffix=".csv", name=T), also=_submission_check)
    assert typed["year"].tolist() == [2020, 2030]


# --- magnitudes ------------------------------------------------------------------------------


def test_implausible_magnitudes_are_refused_naming_row_and_column() -> None:
    """Activity 1e-300 and emissions 1e300 once passed and made a platform's aggregate
    infinite; every figure must lie between 1e-9 and 1e18 in its unit (zero emissions stay)."""
    with pytest.raises(InputError) as info:
        trajectories(
            {"year": "2019", "activity": "1e-300"},
            {"year": "2020", "emissions": "1e300"},
            {"year": "2021", "emissions": "0"},
        )
    assert_problems(
        info.value,
        [(2, "activity", "implausible magnitude"), (3, "emissions", "implausible magnitude")],
        file=T,
    )


def test_an_implausible_intensity_is_refused() -> None:
    with pytest.raises(InputError) as info:
        trajectories({**INTENSITY_ONLY, "intensity": "2e18"}, columns=WITH_INTENSITY)
    assert_problems(info.value, [(2, "intensity", "implausible magnitude")], file=T)


def test_large_and_small_figures_of_real_companies_are_accepted() -> None:
    """A shipping line's 1e12 tkm, a giant's 1e9 t CO2e, an intensity of 1e-9 t/t."""
    typed = trajectories(
        {"year": "2019", "activity": "1e12", "emissions": "1e9"},
        {"year": "2020", "activity": "1e-9", "emissions": "1e-9"},
    )
    assert typed["activity"].tolist() == [1e12, 1e-9]
    assert typed["emissions"].tolist() == [1e9, 1e-9]
