"""Reading CSV and XLSX tables as text, so that validation sees exactly what the user wrote.

Every cell arrives as a stripped string ("" when empty) and every row keeps the line number a
spreadsheet user sees (header = 1), so a problem can be named by file, row and column.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, Problem
from roadmap.domain.keys import factorize, run_heads

# An .xlsx is a zip: refuse one that would inflate past this (a zip bomb) before opening it.
# A workbook of 10,000 rows of the data contract inflates to about 6 MB; openpyxl parses the
# shared strings whole before the first row, so this bound is also a bound on that time.
MAX_XLSX_UNCOMPRESSED = 32 * 1024 * 1024
# The data contract has 16 columns; a file with far more is not one of ours, and every check
# below stays linear in the size of what is read.
MAX_COLUMNS = 100
# What a damaged or hostile workbook raises while its sheet is read: a zip member cut short or
# failing its checksum, XML that is not well formed, or (with defusedxml, which openpyxl uses
# when it is installed) a document type or entity declaration.
_WORKBOOK_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    OSError,
    SyntaxError,  # xml.etree's ParseError is one
)


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
        text = _csv_text(data, name)
        fast = _csv_frame(data, text, name, max_rows)
        if fast is not None:
            return fast
        header, rows = _csv_rows(text, name, max_rows)
    elif suffix == ".xlsx":
        header, rows = _xlsx_rows(data, name, max_rows)
    else:
        raise InputError([Problem(name, None, None, "unsupported file type; use .csv or .xlsx")])
    return _frame(header, rows, name)


def _bounded(rows: Iterator[list[str]], name: str, max_rows: int | None) -> list[list[str]]:
    """The header and data rows, reading no further than one row past ``max_rows``: a file
    of a million rows is refused after reading max_rows + 2 of them."""
    if max_rows is None:
        return list(rows)
    kept = list(islice(rows, max_rows + 2))
    while len(kept) > max_rows + 1 and not any(cell.strip() for cell in kept[-1]):
        # A blank last row may be a spreadsheet's trailing line; look one further.
        following = next(rows, None)
        if following is None:
            kept.pop()
            break
        kept[-1] = following
    if len(kept) > max_rows + 1:
        _too_many(name, max_rows)
    return kept


def table_from_records(
    records: list[dict[str, str]], *, columns: list[str], name: str
) -> pd.DataFrame:
    """A text table from form or JSON rows, numbered from row 1 (the first record), so that
    form and API problems name the record the user sent."""
    rows = [[str(r.get(c, "") if r.get(c) is not None else "") for c in columns] for r in records]
    frame = _frame(columns, rows, name)
    frame[col.ROW] = frame[col.ROW] - 1
    return frame


def _csv_text(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            [Problem(name, None, None, f"not UTF-8 text (byte {error.start}); save as CSV UTF-8")]
        ) from error
    if "\x00" in text:
        raise InputError([Problem(name, None, None, "not a text file (it contains NUL bytes)")])
    return text


def _csv_rows(text: str, name: str, max_rows: int | None) -> tuple[list[str], list[list[str]]]:
    """The header and rows by Python's csv module: the reference reading, used where the fast
    one (``_csv_frame``) leaves a file to it to say exactly what is wrong."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = _bounded(reader, name, max_rows)
    except csv.Error as error:
        raise InputError(
            [Problem(name, reader.line_num, None, f"malformed CSV: {error}")]
        ) from error
    return _split_header(rows, name)


def _csv_frame(data: bytes, text: str, name: str, max_rows: int | None) -> pd.DataFrame | None:
    """The table read by pandas' C parser, as ``_csv_rows`` and ``_frame`` would give it, or
    None for a file that needs the reference reading: one that is empty, malformed, has cells
    beyond its header, or ends in blank lines right at the row limit. The C parser is lenient
    with stray quotes, so a file holding a quote is first checked by the csv module, which
    only reads (no cell is kept)."""
    if '"' in text:
        _check_quoting(text, name, max_rows)
    limit = None if max_rows is None else max_rows + 2
    try:
        raw = pd.read_csv(
            io.BytesIO(data),
            encoding="utf-8-sig",
            header=None,
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            nrows=limit,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    columns = [_stripped(raw[j].to_numpy(dtype=object)) for j in raw.columns]
    header = [str(cell).lower() for cell in (c[0] for c in columns)]
    while header and header[-1] == "":
        header.pop()
    if not header:
        return None  # blank: the reference reading says the file is empty
    if len(header) > MAX_COLUMNS:
        _split_header([header], name)
    if any((c[1:] != "").any() for c in columns[len(header) :]):
        return None  # cells beyond the header: the reference reading names each row
    blank = np.logical_and.reduce([c[1:] == "" for c in columns[: len(header)]])
    if limit is not None and len(raw) == limit:
        if blank[-1]:
            return None  # blank lines at the limit: are there rows after them?
        _too_many(name, max_rows)
    _check_header(header, name)
    keep = np.flatnonzero(~blank)
    rows = slice(1, None) if len(keep) == len(blank) else keep + 1
    frame = pd.DataFrame(
        {column: c[rows] for column, c in zip(header, columns, strict=False)}, dtype=object
    )
    frame[col.ROW] = keep + 2
    frame.attrs["source"] = name
    return frame


def _stripped(cells: np.ndarray) -> np.ndarray:
    """Each cell without surrounding blanks; a column of few distinct values is stripped once
    per value."""
    if len(run_heads(cells)) * 4 < len(cells):
        factor = factorize(cells)
        return np.array([v.strip() for v in factor.names], dtype=object)[factor.codes]
    return np.array([v.strip() for v in cells], dtype=object)


def _check_quoting(text: str, name: str, max_rows: int | None) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for _ in islice(reader, None if max_rows is None else max_rows + 2):
            pass
    except csv.Error as error:
        raise InputError(
            [Problem(name, reader.line_num, None, f"malformed CSV: {error}")]
        ) from error


def _too_many(name: str, max_rows: int | None) -> None:
    raise InputError(
        [Problem(name, None, None, f"more than {max_rows} rows; at most {max_rows} are accepted")]
    )


def _xlsx_rows(data: bytes, name: str, max_rows: int | None) -> tuple[list[str], list[list[str]]]:
    """The first sheet, streamed (openpyxl's read-only mode): reading stops at the row limit,
    and cells past MAX_COLUMNS + 1 are never read."""
    from openpyxl import load_workbook  # imported here: only XLSX readers pay for it

    _check_inflated_size(data, name)
    unreadable = InputError([Problem(name, None, None, "not a readable .xlsx workbook")])
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _WORKBOOK_ERRORS as error:
        raise unreadable from error
    try:
        sheet = book.worksheets[0]
        cells = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        rows = _bounded((_sheet_row(row) for row in cells), name, max_rows)
    except InputError:
        raise
    except _WORKBOOK_ERRORS as error:
        raise unreadable from error
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
            [
                Problem(
                    name,
                    None,
                    None,
                    f"the workbook inflates to over {MAX_XLSX_UNCOMPRESSED >> 20} MB; refused",
                )
            ]
        )


def _sheet_row(values: tuple[object, ...]) -> list[str]:
    """A sheet row's cells as text, without the empty cells a bounded read pads it with."""
    cells = [_cell_text(value) for value in values]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


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
    if len(header) > MAX_COLUMNS:
        raise InputError(
            [
                Problem(
                    name,
                    1,
                    None,
                    f"more than {MAX_COLUMNS} columns; the data contract's files have "
                    "fewer than 20 (README, Data contract)",
                )
            ]
        )
    return header, rows[1:]


def _header_problems(header: list[str], name: str) -> list[Problem]:
    problems = [
        Problem(name, 1, column, "this column appears more than once")
        for column, times in sorted(Counter(header).items())
        if times > 1 and column
    ]
    if "" in header:
        problems.append(Problem(name, 1, None, "a column has no name"))
    return problems


def _check_header(header: list[str], name: str) -> None:
    problems = _header_problems(header, name)
    if problems:
        raise InputError(problems)


def _frame(header: list[str], rows: list[list[str]], name: str) -> pd.DataFrame:
    problems = _header_problems(header, name)
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
