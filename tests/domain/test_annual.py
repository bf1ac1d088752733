from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from roadmap.domain.annual import annual_grid


def grid_frame(points: pd.DataFrame) -> pd.DataFrame:
    grid = annual_grid(points, ["k"])
    return grid.frame.assign(v=grid.interpolate("v"), given=grid.given())


def test_linear_between_given_years_and_never_beyond():
    points = pd.DataFrame(
        {
            "k": ["a", "a", "a", "b", "b"],
            "year": [2020, 2025, 2022, 2019, 2021],
            "v": [10.0, 0.0, 4.0, 1.0, 3.0],
        }
    )
    out = grid_frame(points)
    # a: 10 (2020) -> 4 (2022): 7 in 2021; 4 (2022) -> 0 (2025): 4 - 4/3 per year.
    assert out[out.k == "a"].year.tolist() == [2020, 2021, 2022, 2023, 2024, 2025]
    assert out[out.k == "a"].v.tolist() == pytest.approx([10, 7, 4, 4 - 4 / 3, 4 - 8 / 3, 0])
    assert out[out.k == "b"].v.tolist() == pytest.approx([1, 2, 3])
    assert out.given.tolist() == [True, False, True, False, False, True, True, False, True]


def test_single_point_series_and_nan_values():
    points = pd.DataFrame(
        {"k": ["a", "b", "b"], "year": [2030, 2020, 2022], "v": [5.0, np.nan, np.nan]}
    )
    out = grid_frame(points)
    assert out[out.k == "a"].v.tolist() == [5.0]
    assert out[out.k == "b"].v.isna().all() and len(out[out.k == "b"]) == 3


def test_empty_input():
    out = grid_frame(pd.DataFrame({"k": [], "year": np.array([], dtype="int64"), "v": []}))
    assert out.empty
