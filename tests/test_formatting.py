"""The one rule for how figures read (roadmap/formatting.py), worked by hand:

- intensity, 3 significant digits: 0.000123456 -> 0.000123 (the digits 1, 2, 3); 1234.5 ->
  1,230 (1.2345e3 to three digits); 0.9996 -> 1.00 (rounding carries into a new digit, still
  three digits);
- emissions: 37,977,712 t = 37.977712 Mt -> 38.0 Mt; 6,509.7 t = 6.5097 kt -> 6.5 kt;
  under a thousand tonnes, 3 significant digits without trailing zeros (17.5 t, 512 t);
- percent: 12.345 (a share) = 1,234.5 %.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import roadmap.formatting as fmt
from roadmap.files import write_tables


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.000123456, "0.000123"),
        (1234.5, "1,230"),
        (2.0, "2.00"),
        (0.9996, "1.00"),
        (1.2345678, "1.23"),
        (-0.0306, "-0.0306"),
        (1e-7, "0.000000100"),
        (1e12, "1,000,000,000,000"),
        (0.0, "0"),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_intensity_to_three_significant_digits(value, expected):  # type: ignore[no-untyped-def]
    assert fmt.intensity(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (37_977_712, "38.0 Mt CO2e"),
        (6_509_655, "6.5 Mt CO2e"),
        (6_509.7, "6.5 kt CO2e"),
        (512.4, "512 t CO2e"),
        (-2_600_000, "-2.6 Mt CO2e"),
        (1e12, "1,000,000.0 Mt CO2e"),
        (17.5, "17.5 t CO2e"),
        (1e-7, "0.0000001 t CO2e"),  # never "1e-07"
    ],
)
def test_emissions_in_t_kt_or_mt_with_the_unit(value, expected):  # type: ignore[no-untyped-def]
    assert fmt.tonnes(value) == expected


def test_headline_emissions_in_mt_and_small_ones_not_zero():
    assert fmt.megatonnes(37_977_712) == "38.0 Mt CO2e"
    assert fmt.megatonnes(211_000_000) == "211.0 Mt CO2e"
    assert fmt.megatonnes(12_345) == "12.3 kt CO2e"  # 0.012 Mt would read as 0.0 Mt
    assert fmt.megatonnes(0) == "0.0 Mt CO2e"


@pytest.mark.parametrize(
    ("write", "value", "expected"),
    [
        (fmt.percent, 12.345, "1,234.5%"),
        (fmt.percent, 0.0933333, "9.3%"),
        (fmt.percent, -0.0001, "0.0%"),  # rounds to zero: never "-0.0%"
        (fmt.degrees, 1.6543, "1.65 °C"),
        (fmt.count, 1234, "1,234"),
        (fmt.year, 2030.0, "2030"),
        (fmt.years, 3.99, "4.0"),
        (fmt.activity, 12_345_678.9, "12,345,679"),
        (fmt.activity, 0.0001234, "0.000123"),
        (fmt.quantity, 70.0, "70"),
        (fmt.quantity, 2.5, "2.5"),
    ],
)
def test_one_rule_per_quantity(write, value, expected):  # type: ignore[no-untyped-def]
    assert write(value) == expected


def test_signed_percent():
    assert fmt.percent(0.0933333, signed=True) == "+9.3%"
    assert fmt.percent(-0.0933333, signed=True) == "-9.3%"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Emissions (t CO2e)", fmt.EMISSIONS),
        ("Cumulative excess emissions (t CO2e)", fmt.EMISSIONS),
        ("Intensity (t CO2e/(t Steel))", fmt.INTENSITY),
        ("TPI 1.5 Degrees (t CO2e/(t Steel))", fmt.INTENSITY),
        ("Gap to target (% of target)", fmt.PERCENT),
        ("Reduction needed to next milestone (% a year)", fmt.PERCENT),
        ("Years behind (years)", fmt.DURATION),
        ("Next milestone (year)", fmt.YEAR),
        ("Year", fmt.YEAR),
        ("Companies", fmt.COUNT),
        ("Peer quartile (1 = lowest intensity)", fmt.COUNT),
        ("Activity (t Steel)", fmt.ACTIVITY),
        ("Target (plants)", fmt.QUANTITY),
        ("Implied temperature (°C)", fmt.DEGREES),
        ("Status", fmt.TEXT),
        ("gap_pct", fmt.FRACTION),
        ("excess_emissions", fmt.EMISSIONS),
        ("target_intensity", fmt.INTENSITY),
    ],
)
def test_kind_of_header(header, kind):  # type: ignore[no-untyped-def]
    assert fmt.kind_of_header(header) == kind


def test_cells_follow_their_header():
    assert fmt.cell(37_977_712.4, "Emissions (t CO2e)") == "37,977,712"  # the header says t
    assert fmt.cell(9.333333333333323, "Gap to target (% of target)") == "9.3"
    assert fmt.cell(0.175, "Gap to target (t CO2e/(t Steel))") == "0.175"
    assert fmt.cell(2030, "Year") == "2030" and fmt.cell(2030.0, "Next milestone (year)") == "2030"
    assert fmt.cell("behind", "Status") == "behind" and fmt.cell(None, "Year") == ""


def test_a_table_is_written_column_by_column_as_its_cells_are():
    """``table_rows`` (one kind per column) writes what ``cell`` writes for each cell, a
    nullable integer column and a missing value included."""
    frame = pd.DataFrame(
        {
            "Company": ["Alpha", "Beta"],
            "Year": pd.array([2030, None], dtype="Int64"),
            "Emissions (t CO2e)": [37_977_712.4, 0.0],
            "Gap to target (% of target)": [9.333333333333323, float("nan")],
            "Intensity (t CO2e/(t Steel))": [0.000123456, 1234.5],
        }
    )
    assert fmt.table_rows(frame) == [
        ["Alpha", "2030", "37,977,712", "9.3", "0.000123"],
        ["Beta", "", "0", "", "1,230"],
    ]
    by_cell = [
        [fmt.cell(value, name) for value, name in zip(row, frame.columns, strict=True)]
        for row in frame.itertuples(index=False)
    ]
    assert fmt.table_rows(frame) == by_cell
    assert fmt.table_rows(frame.head(0)) == []


def test_d3_formats_never_use_an_exponent():
    # d3's "e", "g" and "s" (SI) types may write 1e-7 as an exponent or as "100n".
    for spec in [*fmt.D3_FORMATS.values(), fmt.D3_AXIS]:
        assert re.fullmatch(r"[+]?,?(\.\d+)?~?[rf%d]", spec), spec
    assert fmt.D3_FORMATS[fmt.INTENSITY] == ",.3r"  # 3 significant digits, as intensity()


@pytest.mark.parametrize(
    ("kind", "value", "number_format"),
    [
        (fmt.INTENSITY, 0.175, "#,##0.000"),
        (fmt.INTENSITY, 0.000123456, "#,##0.000000"),
        (fmt.INTENSITY, 1234.5, "#,##0"),
        (fmt.EMISSIONS, 37_977_712.3, "#,##0"),
        (fmt.FRACTION, 0.0933, "0.0%"),
        (fmt.PERCENT, 9.33, "#,##0.0"),
        (fmt.YEAR, 2030, "0"),
        (fmt.TEXT, "x", None),
    ],
)
def test_xlsx_formats(kind, value, number_format):  # type: ignore[no-untyped-def]
    assert fmt.xlsx_format(kind, value) == number_format


def test_written_xlsx_keeps_full_values_with_a_display_format(tmp_path: Path):
    frame = pd.DataFrame(
        {
            "company": ["Alpha"],
            "year": [2025],
            "emissions": [37_977_712.345678],
            "gap": [0.175123456789012],
            "gap_pct": [0.09333333333333323],
        }
    )
    path = tmp_path / "results.xlsx"
    write_tables({path: frame})
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    row = {h.value: c for h, c in zip(sheet[1], sheet[2], strict=True)}
    assert row["emissions"].value == 37_977_712.345678  # bit for bit
    assert row["emissions"].number_format == "#,##0"
    # Every digit is kept (openpyxl writes 16 significant digits); three are shown.
    assert row["gap"].value == 0.175123456789012 and row["gap"].number_format == "#,##0.000"
    assert row["gap_pct"].value == 0.09333333333333323
    assert row["gap_pct"].number_format == "0.0%"
    assert row["year"].number_format == "0" and row["company"].number_format == "General"


def test_fixed_decimals_are_what_babel_writes_in_english():
    """``_fixed`` writes with Python's grouping where babel's ``format_decimal`` was the
    rule: the same text for every magnitude, sign, half and number of decimals."""
    from decimal import ROUND_HALF_UP, Decimal

    from babel.numbers import format_decimal

    values = [0.0, -0.0, 0.5, -0.5, 2.5, 0.125, 0.0049999, 999.995, -999.995, 1e-9, 1e15, -1e15]
    values += [sign * 1.37**k for k in range(-60, 120, 7) for sign in (1, -1)]
    for value in values:
        for decimals in range(7):
            rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            expected = format_decimal(abs(rounded) if rounded == 0 else rounded, pattern, "en")
            assert fmt._fixed(value, decimals) == expected, (value, decimals)
