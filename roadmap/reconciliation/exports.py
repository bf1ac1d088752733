"""Downloads: a figure as PNG or SVG (rendered by kaleido in the system's Chromium, with the
plotly.js of the installed plotly package and no MathJax, so nothing is fetched from the
network) and a table as CSV or XLSX with its units in the headers."""

from __future__ import annotations

import io
import shutil
import threading
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from roadmap.domain.errors import Problem
from roadmap.files import format_numbers

IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
TABLE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WIDTH = 1100  # pixels; the height is the figure's own
_lock = threading.Lock()
_started = False


class ExportUnavailable(RuntimeError):
    """Images cannot be drawn on this machine (no Chromium); the message says what to do."""


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _ensure_server() -> None:
    """Start kaleido's long-lived browser once per process: one image then costs about 0.2 s
    instead of the 2-3 s of a fresh browser."""
    global _started
    if _started:
        return
    if chromium_path() is None:
        raise ExportUnavailable(
            "Chart images need Chromium on the server (Debian: apt-get install chromium); "
            "the table downloads work without it."
        )
    import kaleido

    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    _started = True


def figure_bytes(figure: go.Figure, kind: str) -> bytes:
    """``figure`` as a PNG or SVG file."""
    if kind not in IMAGE_TYPES:
        raise ValueError(f"unknown image type {kind!r}")
    import kaleido

    options = {
        "format": kind,
        "width": WIDTH,
        "height": figure.layout.height or 500,
        "scale": 2 if kind == "png" else 1,  # sharp on high-density screens and in print
    }
    with _lock:
        _ensure_server()
        return bytes(kaleido.calc_fig_sync(figure.to_plotly_json(), opts=options))


def table_bytes(frame: pd.DataFrame, kind: str, *, title: str) -> bytes:
    """``frame`` as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
    units' characters right; every value unrounded, it is data) or as an XLSX workbook with
    one sheet (full values, shown by the display rule of each column's kind)."""
    frame = _defused(frame)
    if kind == "csv":
        return frame.to_csv(index=False).encode("utf-8-sig")
    if kind == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            sheet = _sheet_name(title)
            frame.to_excel(writer, index=False, sheet_name=sheet)
            worksheet = writer.sheets[sheet]
            format_numbers(worksheet, frame)
            for column in worksheet.columns:
                width = max(len(str(cell.value or "")) for cell in column[:200])
                worksheet.column_dimensions[column[0].column_letter].width = min(width + 2, 60)
            worksheet.freeze_panes = "A2"
        return buffer.getvalue()
    raise ValueError(f"unknown table type {kind!r}")


def problems_csv(problems: Iterable[Problem]) -> bytes:
    """Problems as CSV, one a row: the file, its row (empty for a whole file or column), the
    column and what is wrong."""
    frame = pd.DataFrame(
        [(p.file, p.row, p.column or "", p.message) for p in problems],
        columns=["file", "row", "column", "problem"],
    ).astype({"row": "Int64"})
    return table_bytes(frame, "csv", title="Problems")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _defused(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (a company named "=HYPERLINK(..)")
    are written with a leading apostrophe, so they stay text (OWASP, CSV injection)."""
    frame = frame.copy()
    for name in frame.columns:
        values = frame[name].tolist()
        if any(isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in values):
            frame[name] = [
                "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
                for v in values
            ]
    return frame


def _sheet_name(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return cleaned[:31] or "Table"
