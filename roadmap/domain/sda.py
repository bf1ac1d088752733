"""The SDA target and the measures read off it, on whole arrays of company-years.

Rows arrive sorted by company (``series``) then year, each company's rows contiguous and
starting at its base year, so that "the company's base-year value" is an index and "over the
company's years" is a (company x years since base) matrix: no grouping by name.
"""

from __future__ import annotations

import numpy as np


def sda(
    c_b: np.ndarray,
    s_t: np.ndarray,
    s_b: np.ndarray,
    s_n: np.ndarray,
    share: np.ndarray | None = None,
) -> np.ndarray:
    """T = d * p * m + S(N) with d = C(b) - S(N), p = (S(t) - S(N)) / (S(b) - S(N)) (1 where
    S(b) = S(N)); m is ``share`` (1 when None: x * 1.0 is x, so no product is taken)."""
    spread = s_b - s_n
    flat = spread == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.subtract(s_t, s_n)
        if flat.any():
            spread[flat] = 1.0
            p[flat] = 1.0
        p /= spread
    d_p = np.subtract(c_b, s_n)
    d_p *= p
    if share is not None:
        d_p *= share
    d_p += s_n
    return d_p


def start_index(series: np.ndarray) -> np.ndarray:
    """For each row, the index of its company's first (base-year) row."""
    if len(series) == 0:
        return np.empty(0, dtype="int64")
    starts = np.flatnonzero(np.r_[True, series[1:] != series[:-1]])
    return np.repeat(starts, np.diff(np.r_[starts, len(series)]))


def company_runs(start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each company's first row and its number of rows (``start`` as ``start_index`` gives
    it): ``np.repeat(per_company, rows)`` spreads a company's value over its rows."""
    first = np.flatnonzero(start == np.arange(len(start)))
    return first, np.diff(np.r_[first, len(start)])


def company_cells(start: np.ndarray, offset: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """Each row's (company, years since base) cell, and the matrix shape."""
    if len(start) == 0:
        return np.empty(0, dtype="int64"), (0, 1)
    company = np.cumsum(np.r_[True, start[1:] != start[:-1]]) - 1
    return company, (int(company[-1]) + 1, int(offset.max(initial=0)) + 1)


def company_matrix(
    values: np.ndarray, company: np.ndarray, offset: np.ndarray, shape: tuple[int, int]
) -> np.ndarray:
    """Scatter row values into a (company x years since base) matrix padded with NaN."""
    matrix = np.full(shape, np.nan)
    matrix[company, offset] = values
    return matrix


def running_sum(matrix: np.ndarray) -> np.ndarray:
    """Cumulative sum along each row with Kahan's compensation (as pandas' grouped cumsum
    does, so figures stay what they were), NaN from the first NaN on. Loops over years, each
    step over every company at once."""
    out = np.empty_like(matrix)
    total = np.zeros(matrix.shape[0])
    compensation = np.zeros(matrix.shape[0])
    for j in range(matrix.shape[1]):
        y = matrix[:, j] - compensation
        t = total + y
        compensation = (t - total) - y
        total = t
        out[:, j] = t
    return out
