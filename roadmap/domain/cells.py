"""Checks on the cells of a text table, each text column read once.

A file of 300,000 rows holds a few thousand distinct names and a handful of units, scopes and
kinds. ``Checks`` factorises each text column the first time it is asked for (roadmap.domain
.keys), so a check on text (missing, too long, a formula, a scope, a unit) runs once per
distinct value and reaches the rows through integer codes; figures are parsed by pandas' C
parser over the whole column. Problems name file, row and column as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import names, units
from roadmap.domain.errors import InputError, Problem
from roadmap.domain.keys import Factor, factorize, group_codes
from roadmap.domain.matching import name_key

MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_TEXT_LENGTH = names.MAX_TEXT_LENGTH
# Plausible magnitudes of a trajectory's figures, in the unit each is given in. Wide enough
# for any company in any unit this tool reads (the world emits about 4e16 g CO2e a year), and
# narrow enough that sums and ratios of stored figures stay finite: 1e-300 t of steel or
# 1e300 t CO2e once made a platform's aggregate infinite. Zero is allowed where it was.
SMALLEST, LARGEST = 1e-9, 1e18
_PLAUSIBLE_WORDS = "between one billionth and a billion billion (10^18) in its unit"


class Checks:
    """Gathers problems for one file; ``flag`` turns a boolean row mask into problems.
    Cells arrive stripped of surrounding blanks (roadmap.domain.ingest), so nothing strips
    again."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.name = str(frame.attrs.get("source", "input"))
        self.problems: list[Problem] = []
        self._factors: dict[str, Factor] = {}

    def flag(self, mask: pd.Series | np.ndarray, column: str | None, message: str) -> None:
        chosen = np.asarray(mask, dtype=bool)
        if not chosen.any():
            return
        rows = self.frame[col.ROW].to_numpy()[chosen]
        self.problems.extend(Problem(self.name, int(r), column, message) for r in rows)

    def flag_row(self, index: int, column: str | None, message: str) -> None:
        """One problem at the row in position ``index``."""
        row = self.frame[col.ROW].to_numpy()[index]
        self.problems.append(Problem(self.name, int(row), column, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def factor(self, column: str) -> Factor:
        """The column's text, factorised once; "" everywhere for a column the file lacks."""
        if column not in self._factors:
            if column in self.frame:
                read = factorize(self.frame[column])
                names = np.array([_as_text(v) for v in read.names], dtype=object)
                self._factors[column] = Factor(read.codes, names)
            else:
                zeros = np.zeros(len(self.frame), dtype="int64")
                self._factors[column] = Factor(zeros, np.array([""], dtype=object))
        return self._factors[column]

    def filled(self, column: str) -> np.ndarray:
        """True where the column has a value (False everywhere if the file lacks it)."""
        if column not in self.frame:
            return np.zeros(len(self.frame), dtype=bool)
        if column in self._factors:
            return per_value(self._factors[column], lambda v: v != "", bool)
        # A column of figures has as many distinct values as rows: compare, do not hash.
        return np.asarray(self.frame[column].to_numpy(dtype=object) != "", dtype=bool)

    def series(self, values: np.ndarray | Factor, dtype: str | None = None) -> pd.Series:
        """A typed column on the frame's index."""
        data = values.values() if isinstance(values, Factor) else values
        return pd.Series(data, index=self.frame.index, dtype=dtype)


def _as_text(value: object) -> object:
    return value if isinstance(value, str) or pd.isna(value) else str(value)


def per_value(factor: Factor, rule: Callable[[Any], object], dtype: type) -> np.ndarray:
    """``rule`` applied to each distinct value, spread to the rows."""
    return np.array([rule(v) for v in factor.names], dtype=dtype)[factor.codes]


def _parse(texts: np.ndarray, given: np.ndarray) -> np.ndarray:
    """Numbers by pandas' C parser where ``given`` (NaN elsewhere and where unreadable)."""
    cells = texts.astype(object)
    cells[~given] = None
    return pd.to_numeric(pd.Series(cells), errors="coerce").to_numpy(dtype="float64")


def text(c: Checks, column: str, *, required: bool = True) -> Factor:
    """A text column, with problems for a missing, over-long or formula-like value."""
    factor = c.factor(column)
    if required:
        c.flag(per_value(factor, lambda v: v == "", bool), column, "value is missing")
    c.flag(
        per_value(factor, lambda v: isinstance(v, str) and len(v) > MAX_TEXT_LENGTH, bool),
        column,
        f"longer than {MAX_TEXT_LENGTH} characters",
    )
    c.flag(
        per_value(factor, lambda v: isinstance(v, str) and v.startswith(names.FORMULA_START), bool),
        column,
        names.FORMULA_MESSAGE,
    )
    return factor


def one_spelling(factor: Factor) -> Factor:
    """Names that differ only in case or blanks ("Steel", "steel ") are one name (``name_key``),
    spelled as first seen, so that a year repeated under another spelling is caught as a
    duplicate. (Names are in order of first appearance, so the first name of a key is the
    spelling of its first row.)"""
    spelling: dict[str, str] = {}
    for name in factor.names:
        spelling.setdefault(name_key(name), name)
    return factor.renamed([spelling[name_key(name)] for name in factor.names])


def scopes(c: Checks) -> Factor:
    """Scopes normalised (``S1+S2`` -> ``S1S2``), with a problem for any other value."""
    given = c.factor(col.SCOPE)
    normal = given.renamed([names.normal_scope(str(s)) for s in given.names])
    valid = per_value(normal, lambda s: s in names.SCOPES, bool)
    c.flag(~valid, col.SCOPE, names.SCOPE_MESSAGE)
    return normal


def years(c: Checks) -> np.ndarray:
    """Years as float (NaN where unreadable; whole numbers once every check has passed)."""
    factor = c.factor(col.YEAR)
    numbers = _parse(factor.names, factor.names != "")[factor.codes]
    empty = per_value(factor, lambda v: v == "", bool)
    c.flag(empty, col.YEAR, "value is missing")
    c.flag(~empty & np.isnan(numbers), col.YEAR, "not a number")
    known = ~np.isnan(numbers)
    with np.errstate(invalid="ignore"):
        whole = known & np.isfinite(numbers) & (numbers == np.floor(numbers))
    c.flag(known & ~whole, col.YEAR, "not a whole year")
    c.flag(
        whole & ((numbers < MIN_YEAR) | (numbers > MAX_YEAR)),
        col.YEAR,
        f"year outside {MIN_YEAR}-{MAX_YEAR}",
    )
    return np.where(whole, numbers, np.nan)


def numbers(c: Checks, column: str, *, present: np.ndarray, positive: bool) -> np.ndarray:
    """Parse ``column`` where ``present``; flag non-numbers and out-of-range values."""
    if column not in c.frame or not present.any():
        return np.full(len(c.frame), np.nan)
    filled = c.filled(column)
    values = _parse(c.frame[column].to_numpy(dtype=object), filled)
    known = ~np.isnan(values)
    finite = np.isfinite(values)
    c.flag(present & filled & ~known, column, "not a number")
    c.flag(present & known & ~finite, column, "not a finite number")
    with np.errstate(invalid="ignore"):
        if positive:
            c.flag(present & (values <= 0), column, "must be greater than zero")
        else:
            c.flag(present & (values < 0), column, "must not be negative")
    return np.where(present & finite, values, np.nan)


def flag_implausible(c: Checks, values: np.ndarray, column: str) -> None:
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        wild = (size != 0) & ((size < SMALLEST) | (size > LARGEST))
    c.flag(
        ~np.isnan(values) & wild,
        column,
        f"implausible magnitude: a figure must lie {_PLAUSIBLE_WORDS}; check it and its unit",
    )


def unit_column(c: Checks, column: str, *, present: np.ndarray, emissions: bool = False) -> Factor:
    """A unit column: each distinct unit parsed once; problems for a missing or unknown unit
    (and, with ``emissions``, one that is not a mass of CO2 or CO2e)."""
    factor = c.factor(column)
    c.flag(present & per_value(factor, lambda v: v == "", bool), column, "unit is missing")
    used = np.zeros(len(factor.names), dtype=bool)
    used[factor.codes[present]] = True
    for code in np.flatnonzero(used):
        unit = factor.names[code]
        if unit == "":
            continue
        rows = present & (factor.codes == code)
        try:
            units.parse_unit(unit)
        except units.UnitError as error:
            c.flag(rows, column, str(error))
            continue
        if emissions and not units.is_emissions_unit(unit):
            c.flag(rows, column, f"'{unit}' is not a mass of CO2 or CO2e (e.g. 't CO2e')")
    return factor


def readable(unit: str) -> bool:
    try:
        units.parse_unit(unit)
    except units.UnitError:
        return False
    return True


def dimension_key(unit: str) -> str:
    try:
        return str(units.parse_unit(unit).dimensionality)
    except units.UnitError:
        return ""


def flag_mixed_units(
    c: Checks,
    series: np.ndarray,
    unit: Factor,
    column: str,
    present: np.ndarray,
    *,
    any_basis: bool = False,
) -> None:
    """Within each series (``series``: a code per row), every unit must measure the same
    thing as the first (with ``any_basis``, CO2 and CO2e count as the same thing: pathways of
    one sector keep their own basis, and the reconciliation decides whether they may meet)."""
    read = units.as_co2e if any_basis else str
    dims = np.array([dimension_key(read(u)) for u in unit.names], dtype=object)
    judged = np.flatnonzero(present & (dims != "")[unit.codes])
    if not len(judged):
        return
    inverse, first = group_codes([series[judged]])
    first_row = judged[first[inverse]]
    dim, first_dim = dims[unit.codes[judged]], dims[unit.codes[first_row]]
    for index, earlier in zip(judged[dim != first_dim], first_row[dim != first_dim], strict=True):
        c.flag_row(
            index,
            column,
            f"mixed units: '{unit.names[unit.codes[index]]}' does not convert to "
            f"'{unit.names[unit.codes[earlier]]}' used earlier for the same series",
        )


def flag_duplicates(c: Checks, key: list[np.ndarray], year: np.ndarray) -> None:
    """A problem for each row whose series (``key``: codes per row) gives a year again."""
    readable = np.flatnonzero(~np.isnan(year))  # an unreadable year is reported already
    if not len(readable):
        return
    year_codes = pd.factorize(year[readable])[0]
    inverse, first = group_codes([k[readable] for k in key] + [year_codes])
    repeated = first[inverse] != np.arange(len(readable))
    row_numbers = c.frame[col.ROW].to_numpy()
    for i in np.flatnonzero(repeated):
        index, earlier = readable[i], readable[first[inverse[i]]]
        c.flag_row(
            index,
            col.YEAR,
            f"duplicate year {int(year[index])}: already given in row {row_numbers[earlier]}",
        )
