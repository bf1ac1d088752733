"""Reading CSV and XLSX tables as text, so that validation sees exactly what the user wrote.

Every cell arrives as a stripped string ("" when empty) and every row keeps the line number a
spreadsheet user sees (header = 1), so a problem can be named by file, row and column.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, Problem

# An .xlsx is a zip: refuse one that would inflate past this (a zip bomb) before opening it.
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024


def read_table(path: str | Path, *, name: str | None = None) -> pd.DataFrame:
    """Read a .csv or .xlsx file into a text DataFrame with lower-case column names and a
    ``_row`` column. ``name`` is how problems refer to the file (default: its file name)."""
    path = Path(path)
    label = name or path.name
    if not path.is_file():
        raise InputError([Problem(label, None, None, "file not found")])
    return read_bytes(path.read_bytes(), suffix=path.suffix, name=label)


def read_bytes(data: bytes, *, suffix: str, name: str, max_rows: int | None = None) -> pd.DataFrame:
    """Read the bytes of an uploaded .csv or .xlsx file (see ``read_table``); more than
    ``max_rows`` data rows are refused."""
    suffix = suffix.lower()
    if suffix == ".csv":
        header, rows = _csv_rows(data, name)
    elif suffix == ".xlsx":
        header, rows = _xlsx_rows(data, name)
    else:
        raise InputError([Problem(name, None, None, "unsupported file type; use .csv or .xlsx")])
    if max_rows is not None and len(rows) > max_rows:
        raise InputError(
            [Problem(name, None, None, f"{len(rows)} rows; at most {max_rows} are accepted")]
        )
    return _frame(header, rows, name)


def table_from_records(
    records: list[dict[str, str]], *, columns: list[str], name: str
) -> pd.DataFrame:
    """A text table from form or JSON rows, numbered from row 1 (the first record), so that
    form and API problems name the record the user sent."""
    rows = [[str(r.get(c, "") if r.get(c) is not None else "") for c in columns] for r in records]
    frame = _frame(columns, rows, name)
    frame[col.ROW] = frame[col.ROW] - 1
    return frame


def _csv_rows(data: bytes, name: str) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            [Problem(name, None, None, f"not UTF-8 text (byte {error.start}); save as CSV UTF-8")]
        ) from error
    if "\x00" in text:
        raise InputError([Problem(name, None, None, "not a text file (it contains NUL bytes)")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [row for row in reader]
    except csv.Error as error:
        raise InputError(
            [Problem(name, reader.line_num, None, f"malformed CSV: {error}")]
        ) from error
    return _split_header(rows, name)


def _xlsx_rows(data: bytes, name: str) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook  # imported here: only XLSX readers pay for it

    _check_inflated_size(data, name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InputError([Problem(name, None, None, "not a readable .xlsx workbook")]) from error
    try:
        sheet = book.worksheets[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _split_header(rows, name)


def _check_inflated_size(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise InputError([Problem(name, None, None, "not a readable .xlsx workbook")]) from error
    if inflated > MAX_XLSX_UNCOMPRESSED:
        raise InputError(
            [Problem(name, None, None, "the workbook inflates to over 200 MB; refused")]
        )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _split_header(rows: list[list[str]], name: str) -> tuple[list[str], list[list[str]]]:
    rows = [row for row in rows]
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()  # trailing blank lines, common in spreadsheets' CSV export
    if not rows:
        raise InputError([Problem(name, None, None, "the file is empty")])
    header = [cell.strip().lower() for cell in rows[0]]
    while header and header[-1] == "":
        header.pop()
    return header, rows[1:]


def _frame(header: list[str], rows: list[list[str]], name: str) -> pd.DataFrame:
    problems = [
        Problem(name, 1, column, "this column appears more than once")
        for column in sorted({c for c in header if header.count(c) > 1 and c})
    ]
    if "" in header:
        problems.append(Problem(name, 1, None, "a column has no name"))
    width = len(header)
    for line, row in enumerate(rows, start=2):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            problems.append(Problem(name, line, None, f"{len(row)} cells but {width} columns"))
    if problems:
        raise InputError(problems)
    cells = [[cell.strip() for cell in (row + [""] * width)[:width]] for row in rows]
    frame = pd.DataFrame(cells, columns=header, dtype=object)
    frame[col.ROW] = range(2, len(rows) + 2)
    blank = frame[header].eq("").all(axis=1)
    frame = frame.loc[~blank].reset_index(drop=True)
    frame.attrs["source"] = name
    return frame


def require_columns(frame: pd.DataFrame, required: Iterable[str], *, name: str) -> list[Problem]:
    """Problems for each required column the table lacks."""
    return [
        Problem(name, 1, column, "missing column")
        for column in required
        if column not in frame.columns
    ]
