"""Writing result tables to .csv or .xlsx, and other files, whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd

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
        frame.to_excel(path, index=False, engine="openpyxl")
    else:
        frame.to_csv(path, index=False, lineterminator="\n")
