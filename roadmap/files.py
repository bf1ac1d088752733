"""Writing result tables to .csv or .xlsx, and other files, whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

import roadmap.formatting as fmt

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
        frame.to_csv(path, index=False, lineterminator="\n")


def format_numbers(worksheet: Worksheet, frame: pd.DataFrame) -> None:
    """Give each number cell of a sheet written from ``frame`` (headers in row 1) the display
    format of its column's kind (``roadmap.formatting``); the cell keeps the full value."""
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
