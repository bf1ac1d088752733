"""Writing tables (roadmap.files): the CSV is what pandas' to_csv writes, character for
character, and every figure reads back as the float64 that was written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from roadmap.files import csv_text, write_tables

ODD_TEXT = ["x,y", 'say "hi"', "two\nlines", "cr\rin", "", " lead", "tab\tin", "é"]


def frames() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(5)
    figures = rng.standard_normal(400) * 10.0 ** rng.integers(-30, 30, 400)
    figures[::9] = np.nan
    figures[:8] = [0.0, -0.0, 0.1, 1e16, 1e-5, np.inf, -np.inf, 5e-324]
    return {
        "figures and names": pd.DataFrame(
            {
                "company": pd.Series([ODD_TEXT[i % 8] for i in range(400)], dtype="str"),
                "year": np.arange(400, dtype="int64") + 2000,
                "gap": figures,
            }
        ),
        "missing values of every kind": pd.DataFrame(
            {
                "label": pd.Series(["a", None, np.nan, pd.NA, 3, 2.5], dtype=object),
                "next_milestone": pd.Series([2025, pd.NA, 2030, pd.NA, 2050, 2035], dtype=object),
                "text": pd.Series(["p", np.nan, "q", "", "r", "s"], dtype="str"),
                "flag": [True, False, True, True, False, True],
            }
        ),
        "one column": pd.DataFrame({"only": ["", "x", ""]}),
        "no rows": pd.DataFrame(
            {"a": pd.Series([], dtype="float64"), "b": pd.Series([], dtype="str")}
        ),
        "dates (left to pandas)": pd.DataFrame(
            {"day": pd.to_datetime(["2026-01-02", "2026-03-04"]), "v": [1.5, 2.0]}
        ),
    }


@pytest.mark.parametrize("name", list(frames()))
def test_csv_text_is_what_pandas_writes(name: str) -> None:
    frame = frames()[name]
    assert csv_text(frame) == frame.to_csv(index=False, lineterminator="\n")


def test_figures_read_back_exactly(tmp_path: Path) -> None:
    """1/3, 0.1 + 0.2 and 2/7 * 1e300 are written in their shortest exact form ("0.1" stays
    "0.1", not "0.10000000000000001") and read back as the same float64."""
    values = np.array([1 / 3, 0.1 + 0.2, 2 / 7 * 1e300, 0.1, 123456789.125, -2.5e-8])
    frame = pd.DataFrame({"name": ["a"] * len(values), "value": values})
    write_tables({tmp_path / "out.csv": frame})
    written = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert written.splitlines()[1:3] == ["a,0.3333333333333333", "a,0.30000000000000004"]
    assert written.splitlines()[4] == "a,0.1"
    back = [float(line.split(",")[1]) for line in written.splitlines()[1:]]
    assert back == values.tolist()


def test_a_table_written_in_pieces_is_the_same_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of 7 rows (the last one short) join into what pandas writes at once."""
    monkeypatch.setattr("roadmap.files.CHUNK_ROWS", 7)
    frame = frames()["figures and names"].iloc[:52]
    assert csv_text(frame) == frame.to_csv(index=False, lineterminator="\n")
