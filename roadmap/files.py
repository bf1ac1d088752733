"""Writing result tables to .csv or .xlsx, and other files, whole or not at all."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

WRITABLE_SUFFIXES = (".csv", ".xlsx")


def write_tables(tables: dict[Path, pd.DataFrame]) -> None:
    """Write each table to its path (format by suffix), all or none (see ``_staged``)."""
    _staged({path: partial(_write, frame) for path, frame in tables.items()})


def write_files(files: dict[Path, bytes]) -> None:
    """Write each file's bytes to its path, all or none (see ``_staged``)."""
    _staged({path: partial(_write_bytes, data) for path, data in files.items()})


def _write_bytes(data: bytes, path: Path) -> None:
    path.write_bytes(data)


def _staged(writers: dict[Path, Callable[[Path], None]]) -> None:
    """Every file is first written beside its destination under a temporary name and only
    renamed into place once all are written, so a failure leaves no partial output."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, write in writers.items():
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix
            )
            os.close(handle)
            staged.append((Path(temporary), path))
            write(Path(temporary))
        for temporary, path in staged:
            os.replace(temporary, path)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def _write(frame: pd.DataFrame, path: Path) -> None:
    if path.suffix.lower() == ".xlsx":
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False)
            format_numbers(writer.sheets[next(iter(writer.sheets))], frame)
    else:
        with path.open("w", encoding="utf-8", newline="") as out:
            out.writelines(csv_chunks(frame))


def csv_text(frame: pd.DataFrame) -> str:
    """What ``frame.to_csv(index=False, lineterminator="\n")`` writes, character for
    character (see ``csv_chunks``)."""
    return "".join(csv_chunks(frame))


# Rows per piece of CSV text: bounds the text held at once (a figure's text is ~60 bytes).
CHUNK_ROWS = 10_000


def csv_chunks(frame: pd.DataFrame) -> Iterator[str]:
    """The CSV of ``frame``, as pandas' to_csv(index=False, lineterminator="\n") writes it,
    in pieces of CHUNK_ROWS rows, built a column at a time: figures in Python's shortest
    round-trip form (the exact float64, as pandas writes it), text escaped by the csv module
    once per distinct value, NaN and missing values empty. A frame with a column of another
    kind (dates, categories, nullable integers), or of a single column (where an empty row is
    quoted), is written by pandas itself."""
    cells = [_csv_cells(frame.iloc[:, j]) for j in range(frame.shape[1])]
    if frame.shape[1] < 2 or any(c is None for c in cells):
        yield frame.to_csv(index=False, lineterminator="\n")
        return
    escape = _Escaper()
    yield ",".join(escape(str(name)) for name in frame.columns) + "\n"
    for start in range(0, len(frame), CHUNK_ROWS):
        rows = slice(start, start + CHUNK_ROWS)
        columns = [column(rows) for column in cells if column is not None]
        yield "\n".join(map(",".join, zip(*columns, strict=True))) + "\n"


def _csv_cells(column: pd.Series) -> Callable[[slice], list[str]] | None:
    """A function giving the column's cells as CSV text for a slice of rows, or None for a
    kind of column left to pandas."""
    values = column.to_numpy()
    if values.dtype == np.float64:
        return partial(_figures, values)
    if values.dtype == np.int64 or values.dtype == np.bool_:
        return lambda rows: list(map(str, values[rows].tolist()))
    if values.dtype == object:
        codes, names = pd.factorize(values, use_na_sentinel=False)
        escape = _Escaper()
        written = np.array([("" if _missing(v) else escape(str(v))) for v in names], dtype=object)
        return lambda rows: written[codes[rows]].tolist()
    return None


def _figures(values: np.ndarray, rows: slice) -> list[str]:
    chosen = values[rows]
    text = list(map(float.__repr__, chosen.tolist()))
    for index in np.flatnonzero(np.isnan(chosen)).tolist():
        text[index] = ""
    return text


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


class _Escaper:
    """A value as the csv module writes it in a row of several fields (quoted where it holds
    a comma, a quote or a line break)."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")

    def __call__(self, value: str) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow([value, ""])
        return self.buffer.getvalue()[:-2]


def format_numbers(worksheet: Worksheet, frame: pd.DataFrame) -> None:
    """Give each number cell of a sheet written from ``frame`` (headers in row 1) the display
    format of its column's kind (``roadmap.formatting``); the cell keeps the full value."""
    import roadmap.formatting as fmt  # imported here: only workbooks pay for babel

    for position, header in enumerate(frame.columns, start=1):
        kind = fmt.kind_of_header(header)
        if kind == fmt.TEXT:
            continue
        for (cell,) in worksheet.iter_rows(
            min_row=2, max_row=len(frame) + 1, min_col=position, max_col=position
        ):
            number_format = fmt.xlsx_format(kind, cell.value)
            if number_format is not None:
                cell.number_format = number_format
