"""String columns as integer codes, so that the work after one factorisation is numpy indexing.

Hashing 300,000 strings costs milliseconds each time pandas groups, merges or maps on them;
the reconciliation therefore reads each key column (company, sector, region, scope) once,
into a ``Factor``, and carries integer codes through the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Factor:
    """``names[codes]`` gives back the column: ``codes`` (int64, one per row) index
    ``names`` (the distinct values, object array, in order of first appearance)."""

    codes: np.ndarray
    names: np.ndarray

    def values(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The column as an object array (of the rows at ``rows`` when given)."""
        return self.names.take(self.codes if rows is None else self.codes[rows])

    def ranks(self) -> np.ndarray:
        """Each name's place in sorted order (Python's string order, as pandas sorts)."""
        order = np.argsort(self.names, kind="stable")
        ranks = np.empty(len(order), dtype="int64")
        ranks[order] = np.arange(len(order))
        return ranks

    def renamed(self, names: list[str]) -> Factor:
        """The same rows with each name replaced; names that become equal share one code."""
        codes, distinct = pd.factorize(np.asarray(names, dtype=object))
        return Factor(codes.astype("int64")[self.codes], np.asarray(distinct, dtype=object))


def factorize(values: pd.Series | np.ndarray) -> Factor:
    """Factorise a column of strings (the one pass over its text). A missing value is a
    name of its own, never a code of -1.

    Tables hold each company's rows together, so a column is mostly runs of one value: only
    the first row of each run is hashed (comparing neighbours is cheaper than hashing)."""
    text = np.asarray(values, dtype=object)
    if len(text) < _RUNS_FROM:
        codes, names = pd.factorize(text, use_na_sentinel=False)
        return Factor(codes.astype("int64"), np.asarray(names, dtype=object))
    heads = run_heads(text)
    codes, names = pd.factorize(text[heads], use_na_sentinel=False)
    lengths = np.diff(np.r_[heads, len(text)])
    return Factor(np.repeat(codes.astype("int64"), lengths), np.asarray(names, dtype=object))


def first_seen(values: pd.Series | np.ndarray) -> list:
    """The distinct values in order of first appearance (hashed, not iterated in Python)."""
    return pd.unique(np.asarray(values, dtype=object)).tolist()


def run_heads(text: np.ndarray) -> np.ndarray:
    """The first row of each run of equal neighbours."""
    new = np.empty(len(text), dtype=bool)
    new[:1] = True
    try:
        np.not_equal(text[1:], text[:-1], out=new[1:])
    except TypeError:  # a value whose comparison is not a bool (pd.NA): every row a run
        new[1:] = True
    return np.flatnonzero(new)


# Below this many rows, hashing every row costs less than finding the runs first.
_RUNS_FROM = 1000


def combine(codes: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """One int64 code per row for a tuple of codes (mixed radix); ordering the tuples
    lexicographically orders the combined codes the same way."""
    out = np.zeros(len(codes[0]) if codes else 0, dtype="int64")
    for part, size in zip(codes, sizes, strict=True):
        out = out * max(size, 1) + part
    return out


def distinct(code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(inverse, first, uniques)``: a dense code per row in order of first appearance, the
    first row of each, and the distinct input codes."""
    if len(code) < _RUNS_FROM:
        inverse, uniques = pd.factorize(code)
        inverse = inverse.astype("int64")
        return inverse, _first_appearances(inverse), np.asarray(uniques)
    # Rows come in runs of one code (a company's years): only each run's head is hashed.
    heads = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    inverse, uniques = pd.factorize(code[heads])
    inverse = inverse.astype("int64")
    first = heads[_first_appearances(inverse)]
    return np.repeat(inverse, np.diff(np.r_[heads, len(code)])), first, np.asarray(uniques)


def _first_appearances(inverse: np.ndarray) -> np.ndarray:
    """Where each code first appears, for codes numbered in order of first appearance: a row
    holds a new code exactly where its code exceeds every earlier one."""
    seen = np.maximum.accumulate(np.r_[-1, inverse[:-1]]) if len(inverse) else inverse
    return np.flatnonzero(inverse > seen)


def group_codes(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Dense group codes for rows keyed by several non-negative code arrays, in order of first
    appearance, and the first row of each group. Codes are made dense after each column, so
    the combined code never outgrows the number of rows."""
    code = parts[0].astype("int64")
    for part in parts[1:]:
        size = int(part.max(initial=0)) + 1
        code = pd.factorize(code * size + part)[0].astype("int64")
    inverse, first_rows, _ = distinct(code)
    return inverse, first_rows
