"""Reading CSV and XLSX files as text tables (roadmap.domain.ingest).

Every cell arrives as a stripped string, every row keeps the number a spreadsheet shows (header
= row 1, first data row = row 2), and a file that cannot be read is refused whole with a
Problem naming it.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from roadmap.domain.errors import InputError, Problem
from roadmap.domain.ingest import MAX_XLSX_UNCOMPRESSED, read_bytes, read_table, require_columns

NAME = "t.csv"
MB = 1 << 20


def read_csv(text: str | bytes, *, name: str = NAME) -> pd.DataFrame:
    data = text.encode() if isinstance(text, str) else text
    return read_bytes(data, suffix=".csv", name=name)


def csv_problems(text: str | bytes) -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_csv(text)
    return info.value.problems


def xlsx_bytes(*sheets: list[list[object]]) -> bytes:
    """A workbook with one sheet per argument, each a list of rows of cell values."""
    book = Workbook()
    book.remove(book.active)
    for index, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Sheet{index + 1}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_problems(data: bytes, name: str = "t.xlsx") -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_bytes(data, suffix=".xlsx", name=name)
    return info.value.problems


def zip_of_zeros(member_megabytes: list[int]) -> bytes:
    """A valid zip whose members really inflate to the given sizes (MB of zero bytes), built by
    hand in milliseconds: deflate output after a full flush does not depend on what came
    before, so one compressed megabyte of zeros can be repeated."""
    chunk = bytes(MB)
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflater.compress(chunk) + deflater.flush(zlib.Z_FULL_FLUSH)
    again = deflater.compress(chunk) + deflater.flush(zlib.Z_FULL_FLUSH)
    final = deflater.flush()
    local, central = io.BytesIO(), io.BytesIO()
    for index, megabytes in enumerate(member_megabytes):
        name = f"xl/worksheets/sheet{index + 1}.xml".encode()
        body = first + again * (megabytes - 1) + final
        crc = 0
        for _ in range(megabytes):
            crc = zlib.crc32(chunk, crc)
        # version, flags, method (8 = deflate), time, date, crc, sizes, name length, extra
        common = (20, 0, 8, 0, 0x21, crc, len(body), megabytes * MB, len(name), 0)
        offset = local.tell()
        local.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *common) + name + body)
        # ... then comment length, disk, attributes and the local header's offset
        entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *common, 0, 0, 0, 0, offset)
        central.write(entry + name)
    directory = central.getvalue()
    count, at = len(member_megabytes), local.tell()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), at, 0)
    return local.getvalue() + directory + end


# --- CSV: header, cells and row numbers ------------------------------------------------------


def test_header_names_are_stripped_and_lower_cased() -> None:
    frame = read_csv(" Company ,SECTOR,\tYear\nAlpha,Steel,2020\n")
    assert list(frame.columns) == ["company", "sector", "year", "_row"]


def test_cells_are_stripped_text_and_never_parsed() -> None:
    frame = read_csv("company,year,activity\n  Alpha Steel  , 2020 ,007\n")
    assert frame.loc[0, ["company", "year", "activity"]].tolist() == [
        "Alpha Steel",
        "2020",
        "007",
    ]
    assert frame["year"].dtype == object


def test_the_file_name_is_kept_as_the_source() -> None:
    assert read_csv("a\n1\n", name="upload.csv").attrs["source"] == "upload.csv"


@pytest.mark.parametrize(
    "tail",
    [
        "\n",
        "\n\n\n",
        "\r\n\r\n",
        ",,\n,,\n",
        " , ,  \n",
        ",,",
    ],
    ids=["one-blank-line", "several-blank-lines", "crlf", "empty-cells", "spaces", "no-newline"],
)
def test_blank_trailing_lines_are_ignored(tail: str) -> None:
    frame = read_csv("a,b,c\n1,2,3\n" + tail)
    assert frame[["a", "b", "c"]].to_numpy().tolist() == [["1", "2", "3"]]
    assert frame["_row"].tolist() == [2]


def test_row_numbers_start_at_two_and_skip_blank_rows_without_renumbering() -> None:
    frame = read_csv("a,b\n1,x\n\n2,y\n,\n3,z\n")
    assert frame["a"].tolist() == ["1", "2", "3"]
    assert frame["_row"].tolist() == [2, 4, 6]


def test_a_quoted_line_break_stays_in_one_row_as_a_spreadsheet_shows_it() -> None:
    frame = read_csv('a,b\n"two\nlines",1\nnext,2\n')
    assert frame["a"].tolist() == ["two\nlines", "next"]
    assert frame["_row"].tolist() == [2, 3]


def test_short_rows_are_padded_with_empty_cells() -> None:
    frame = read_csv("a,b,c\n1\n")
    assert frame.loc[0, ["a", "b", "c"]].tolist() == ["1", "", ""]


def test_empty_cells_beyond_the_header_are_accepted() -> None:
    frame = read_csv("a,b\n1,2,,\n3,4, \n")
    assert frame[["a", "b"]].to_numpy().tolist() == [["1", "2"], ["3", "4"]]


def test_empty_header_cells_at_the_end_are_dropped() -> None:
    frame = read_csv("a,b,,\n1,2,,\n")
    assert list(frame.columns) == ["a", "b", "_row"]


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column_name() -> None:
    frame = read_csv(b"\xef\xbb\xbfcompany,year\nAlpha,2020\n")
    assert list(frame.columns) == ["company", "year", "_row"]


# --- CSV: refused files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "year,company,Year\n2020,A,2021\n",
            [Problem(NAME, 1, "year", "this column appears more than once")],
        ),
        (
            " Sector ,sector,a,A\n",
            [
                Problem(NAME, 1, "a", "this column appears more than once"),
                Problem(NAME, 1, "sector", "this column appears more than once"),
            ],
        ),
        ("a,,b\n1,2,3\n", [Problem(NAME, 1, None, "a column has no name")]),
        ("a,b\n1,2\n1,2,3\n", [Problem(NAME, 3, None, "3 cells but 2 columns")]),
        (
            "a,b\n1,2,x\n3,4\n5,6,,y\n",
            [
                Problem(NAME, 2, None, "3 cells but 2 columns"),
                Problem(NAME, 4, None, "4 cells but 2 columns"),
            ],
        ),
        ("", [Problem(NAME, None, None, "the file is empty")]),
        ("\n\n", [Problem(NAME, None, None, "the file is empty")]),
        (" , ,\n", [Problem(NAME, None, None, "the file is empty")]),
        (b"\xef\xbb\xbf", [Problem(NAME, None, None, "the file is empty")]),
        (
            b"company,year\nCaf\xe9 Steel,2020\n",
            [Problem(NAME, None, None, "not UTF-8 text (byte 16); save as CSV UTF-8")],
        ),
        (
            b"a,b\n1,\x002\n",
            [Problem(NAME, None, None, "not a text file (it contains NUL bytes)")],
        ),
    ],
    ids=[
        "duplicate-column-by-case",
        "two-duplicated-columns",
        "unnamed-column",
        "extra-cell",
        "extra-cells-in-two-rows",
        "empty",
        "blank-lines-only",
        "empty-cells-only",
        "byte-order-mark-only",
        "latin-1",
        "nul-byte",
    ],
)
def test_unreadable_csv_is_refused_naming_file_and_row(
    text: str | bytes, expected: list[Problem]
) -> None:
    assert csv_problems(text) == expected


def test_malformed_quoting_is_refused_at_its_line() -> None:
    [problem] = csv_problems('a,b\n1,2\n"x"y,3\n')
    assert (problem.file, problem.row, problem.column) == (NAME, 3, None)
    assert problem.message.startswith("malformed CSV: ")


@pytest.mark.parametrize("suffix", [".txt", ".xls", ".json", ".tsv", ""])
def test_unsupported_file_types_are_refused(suffix: str) -> None:
    with pytest.raises(InputError) as info:
        read_bytes(b"a,b\n1,2\n", suffix=suffix, name="upload")
    assert info.value.problems == [
        Problem("upload", None, None, "unsupported file type; use .csv or .xlsx")
    ]


def test_the_suffix_is_matched_without_regard_to_case() -> None:
    frame = read_bytes(b"a\n1\n", suffix=".CSV", name="T.CSV")
    assert frame["a"].tolist() == ["1"]


# --- read_table ------------------------------------------------------------------------------


def test_read_table_names_problems_by_file_name(tmp_path: Path) -> None:
    path = tmp_path / "trajectories.csv"
    path.write_text("a,b\n1,2,3\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_table(path)
    assert info.value.problems == [Problem("trajectories.csv", 2, None, "3 cells but 2 columns")]


def test_read_table_uses_the_given_name(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    assert read_table(path, name="upload.csv").attrs["source"] == "upload.csv"
    assert read_table(path).attrs["source"] == "x.csv"


@pytest.mark.parametrize("make", ["missing", "directory"])
def test_read_table_refuses_a_path_that_is_not_a_file(tmp_path: Path, make: str) -> None:
    path = tmp_path / "input.csv"
    if make == "directory":
        path.mkdir()
    with pytest.raises(InputError) as info:
        read_table(path)
    assert info.value.problems == [Problem("input.csv", None, None, "file not found")]


def test_require_columns_names_each_missing_column_in_row_one() -> None:
    frame = read_csv("company,year\nA,2020\n")
    assert require_columns(frame, ["company", "sector", "year", "kind"], name=NAME) == [
        Problem(NAME, 1, "sector", "missing column"),
        Problem(NAME, 1, "kind", "missing column"),
    ]


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_cells_are_read_as_the_text_a_csv_would_hold() -> None:
    data = xlsx_bytes(
        [
            [" Company ", "YEAR", "activity", "emissions", "flag", "date", "note"],
            ["  Alpha Steel ", 2020, 100.0, 2.5, True, dt.datetime(2021, 3, 4), None],
        ]
    )
    frame = read_bytes(data, suffix=".xlsx", name="t.xlsx")
    assert list(frame.columns) == [
        "company",
        "year",
        "activity",
        "emissions",
        "flag",
        "date",
        "note",
        "_row",
    ]
    assert frame.iloc[0].tolist() == [
        "Alpha Steel",
        "2020",
        "100",
        "2.5",
        "True",
        "2021-03-04T00:00:00",
        "",
        2,
    ]
    assert frame.attrs["source"] == "t.xlsx"


def test_xlsx_rows_keep_their_sheet_row_numbers_and_blank_rows_are_skipped() -> None:
    data = xlsx_bytes([["a", "b"], [1, "x"], [None, None], [2, "y"], [None, None], [None, None]])
    frame = read_bytes(data, suffix=".xlsx", name="t.xlsx")
    assert frame["a"].tolist() == ["1", "2"]
    assert frame["_row"].tolist() == [2, 4]


def test_xlsx_reads_the_first_sheet_only() -> None:
    data = xlsx_bytes([["a"], ["first"]], [["a"], ["second"]])
    assert read_bytes(data, suffix=".xlsx", name="t.xlsx")["a"].tolist() == ["first"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["a", "b"], [1, 2, 3]], [Problem("t.xlsx", 2, None, "3 cells but 2 columns")]),
        ([["a", "A"], [1, 2]], [Problem("t.xlsx", 1, "a", "this column appears more than once")]),
        ([], [Problem("t.xlsx", None, None, "the file is empty")]),
        ([[None, None], [None]], [Problem("t.xlsx", None, None, "the file is empty")]),
    ],
    ids=["extra-cell", "duplicate-column", "empty-sheet", "blank-rows-only"],
)
def test_bad_xlsx_tables_are_refused_like_csv(
    rows: list[list[object]], expected: list[Problem]
) -> None:
    assert xlsx_problems(xlsx_bytes(rows)) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"company,year\nAlpha,2020\n",
        b"",
        b"PK\x03\x04 truncated",
    ],
    ids=["csv-named-xlsx", "empty", "truncated-zip"],
)
def test_a_file_that_is_not_a_zip_is_refused_as_xlsx(data: bytes) -> None:
    assert xlsx_problems(data) == [Problem("t.xlsx", None, None, "not a readable .xlsx workbook")]


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert xlsx_problems(buffer.getvalue()) == [
        Problem("t.xlsx", None, None, "not a readable .xlsx workbook")
    ]


def test_a_truncated_workbook_is_refused() -> None:
    data = xlsx_bytes([["a"], [1]])
    assert xlsx_problems(data[: len(data) // 2]) == [
        Problem("t.xlsx", None, None, "not a readable .xlsx workbook")
    ]


@pytest.mark.parametrize("members", [[40], [17, 17]], ids=["one-member", "two-members-adding-up"])
def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_inflating(members: list[int]) -> None:
    data = zip_of_zeros(members)
    assert len(data) < MB  # small on disk ...
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # ... but honestly declares its size
        assert sum(m.file_size for m in archive.infolist()) == sum(members) * MB
    assert sum(members) * MB > MAX_XLSX_UNCOMPRESSED
    # The message comes from the check of declared sizes, made before anything is inflated.
    assert xlsx_problems(data, name="bomb.xlsx") == [
        Problem("bomb.xlsx", None, None, "the workbook inflates to over 32 MB; refused")
    ]


def test_the_zip_bomb_helper_builds_a_zip_that_really_inflates() -> None:
    data = zip_of_zeros([3, 2])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every CRC matches the inflated bytes
        assert [len(archive.read(m)) for m in archive.namelist()] == [3 * MB, 2 * MB]


# --- bounds: every check linear in what is read, and reading stops at the limits -----------


def test_a_header_of_thousands_of_columns_is_refused_in_one_problem() -> None:
    """28,000 columns (a 185 KB header), once quadratic to check, is one clear problem."""
    header = ",".join(f"c{i}" for i in range(28_000))
    assert csv_problems(header + "\n" + "1," * 27_999 + "1\n") == [
        Problem(
            NAME,
            1,
            None,
            "more than 100 columns; the data contract's files have fewer "
            "than 20 (README, Data contract)",
        )
    ]


def test_repeated_columns_are_each_named_once() -> None:
    assert csv_problems("b,a,b,a,b,c\n1,2,3,4,5,6\n") == [
        Problem(NAME, 1, "a", "this column appears more than once"),
        Problem(NAME, 1, "b", "this column appears more than once"),
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_rows_past_the_limit_are_refused_without_reading_the_rest(suffix: str) -> None:
    rows = [["a", "b"]] + [[i, i] for i in range(1, 51)]
    data = (
        xlsx_bytes(rows)
        if suffix == ".xlsx"
        else "\n".join(",".join(map(str, r)) for r in rows).encode()
    )
    with pytest.raises(InputError) as info:
        read_bytes(data, suffix=suffix, name="big" + suffix, max_rows=10)
    assert info.value.problems == [
        Problem("big" + suffix, None, None, "more than 10 rows; at most 10 are accepted")
    ]
    exactly = read_bytes(data, suffix=suffix, name="ok" + suffix, max_rows=50)
    assert len(exactly) == 50


def test_blank_lines_after_the_last_row_do_not_count_against_the_limit() -> None:
    data = b"a,b\n1,1\n2,2\n\n\n\n"
    assert len(read_bytes(data, suffix=".csv", name=NAME, max_rows=2)) == 2


def test_a_wide_workbook_is_refused_after_reading_101_columns() -> None:
    data = xlsx_bytes([[f"c{i}" for i in range(500)], list(range(500))])
    assert xlsx_problems(data) == [
        Problem(
            "t.xlsx",
            1,
            None,
            "more than 100 columns; the data contract's files have "
            "fewer than 20 (README, Data contract)",
        )
    ]


def _with_sheet(data: bytes, sheet_xml: bytes) -> bytes:
    """The workbook ``data`` with its first sheet's XML replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            body = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                body = sheet_xml
            target.writestr(member, body)
    return out.getvalue()


def test_a_workbook_declaring_entities_is_refused() -> None:
    """A sheet with an entity declaration (the start of a "billion laughs") is not read."""
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    data = _with_sheet(xlsx_bytes([["a"], [1]]), laughs)
    assert xlsx_problems(data) == [Problem("t.xlsx", None, None, "not a readable .xlsx workbook")]


def test_a_sheet_that_is_not_well_formed_xml_is_refused() -> None:
    data = _with_sheet(xlsx_bytes([["a"], [1]]), b"<worksheet><sheetData><row>")
    assert xlsx_problems(data) == [Problem("t.xlsx", None, None, "not a readable .xlsx workbook")]
