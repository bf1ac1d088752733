"""The checks on pathway and trajectory tables, written once for the CLI, uploads and the API.

Each ``validate_*`` takes the text table from ``ingest`` and returns a typed table (years as
int, figures as float) or raises InputError listing every problem by row and column.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import conversion, names, units
from roadmap.domain.errors import InputError, Problem
from roadmap.domain.ingest import read_table, require_columns
from roadmap.domain.matching import name_key, name_keys, resolve_scenario, unknown_sector_problems

MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_TEXT_LENGTH = names.MAX_TEXT_LENGTH
# Intensity given beside activity and emissions must agree with their ratio this closely.
INTENSITY_TOLERANCE = 1e-3
# A benchmark temperature (degC above pre-industrial) outside this range is a typing error.
MIN_TEMPERATURE, MAX_TEMPERATURE = 0.5, 6.0

TEXT_KEYS_PATHWAY = [col.SECTOR, col.SCENARIO, col.REGION]
TEXT_KEYS_TRAJECTORY = [col.COMPANY, col.SECTOR, col.REGION]


# Cells arrive stripped of surrounding blanks (roadmap.domain.ingest), so no check strips again.


class _Collector:
    """Gathers problems for one file; ``flag`` turns a boolean row mask into problems."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.name = str(frame.attrs.get("source", "input"))
        self.problems: list[Problem] = []

    def flag(self, mask: pd.Series | np.ndarray, column: str | None, message: str) -> None:
        rows = self.frame.loc[np.asarray(mask, dtype=bool), col.ROW]
        self.problems.extend(Problem(self.name, int(r), column, message) for r in rows)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def _text(c: _Collector, column: str, *, required: bool = True) -> pd.Series:
    values = c.frame[column].astype(str)
    if required:
        c.flag(values.eq(""), column, "value is missing")
    c.flag(values.str.len() > MAX_TEXT_LENGTH, column, f"longer than {MAX_TEXT_LENGTH} characters")
    c.flag(names.starts_like_formula(values), column, names.FORMULA_MESSAGE)
    return values


def _refuse_empty(c: _Collector) -> None:
    if c.frame.empty:
        raise InputError([Problem(c.name, None, None, "the file has no data rows")])


def _one_spelling(values: pd.Series) -> pd.Series:
    """Names that differ only in case or blanks ("Steel", "steel ") are one name (``name_key``),
    spelled as first seen, so that a year repeated under another spelling is caught as a
    duplicate."""
    return values.groupby(name_keys(values), sort=False).transform("first")


def _years(c: _Collector) -> pd.Series:
    text = c.frame[col.YEAR].astype(str)
    numbers = pd.to_numeric(text.where(text.ne("")), errors="coerce")
    c.flag(text.eq(""), col.YEAR, "value is missing")
    c.flag(text.ne("") & numbers.isna(), col.YEAR, "not a number")
    whole = numbers.notna() & np.isfinite(numbers) & (numbers == np.floor(numbers))
    c.flag(numbers.notna() & ~whole, col.YEAR, "not a whole year")
    c.flag(
        whole & ((numbers < MIN_YEAR) | (numbers > MAX_YEAR)),
        col.YEAR,
        f"year outside {MIN_YEAR}-{MAX_YEAR}",
    )
    return numbers.where(whole)  # NaN where unreadable; int once every check has passed


def _numbers(c: _Collector, column: str, *, present: pd.Series, positive: bool) -> pd.Series:
    """Parse ``column`` where ``present``; flag non-numbers and out-of-range values."""
    text = c.frame[column].astype(str) if column in c.frame else pd.Series("", index=c.frame.index)
    numbers = pd.to_numeric(text.where(text.ne("")), errors="coerce").astype("float64")
    c.flag(present & text.ne("") & numbers.isna(), column, "not a number")
    c.flag(present & numbers.notna() & ~np.isfinite(numbers), column, "not a finite number")
    if positive:
        c.flag(present & (numbers <= 0), column, "must be greater than zero")
    else:
        c.flag(present & (numbers < 0), column, "must not be negative")
    return numbers.where(present & np.isfinite(numbers))


# Plausible magnitudes of a trajectory's figures, in the unit each is given in. Wide enough
# for any company in any unit this tool reads (the world emits about 4e16 g CO2e a year), and
# narrow enough that sums and ratios of stored figures stay finite: 1e-300 t of steel or
# 1e300 t CO2e once made a platform's aggregate infinite. Zero is allowed where it was.
PLAUSIBLE = (col.ACTIVITY, col.EMISSIONS, col.INTENSITY)
SMALLEST, LARGEST = 1e-9, 1e18
_PLAUSIBLE_WORDS = "between one billionth and a billion billion (10^18) in its unit"


def _flag_implausible(c: _Collector, numbers: pd.Series, column: str) -> None:
    size = numbers.abs()
    c.flag(
        numbers.notna() & (size != 0) & ((size < SMALLEST) | (size > LARGEST)),
        column,
        f"implausible magnitude: a figure must lie {_PLAUSIBLE_WORDS}; check it and its unit",
    )


def _scopes(c: _Collector) -> pd.Series:
    given = c.frame[col.SCOPE].astype(str)
    normal = {s: names.normal_scope(s) for s in given.unique()}
    scopes = given.map(normal)
    c.flag(~scopes.isin(names.SCOPES), col.SCOPE, names.SCOPE_MESSAGE)
    return scopes


def _units(c: _Collector, column: str, *, present: pd.Series, emissions: bool = False) -> pd.Series:
    text = c.frame[column].astype(str) if column in c.frame else pd.Series("", index=c.frame.index)
    c.flag(present & text.eq(""), column, "unit is missing")
    for unit in text[present & text.ne("")].unique():
        rows = present & text.eq(unit)
        try:
            units.parse_unit(unit)
        except units.UnitError as error:
            c.flag(rows, column, str(error))
            continue
        if emissions and not units.is_emissions_unit(unit):
            c.flag(rows, column, f"'{unit}' is not a mass of CO2 or CO2e (e.g. 't CO2e')")
    return text


def _readable(unit: str) -> bool:
    try:
        units.parse_unit(unit)
    except units.UnitError:
        return False
    return True


def _dimension_key(unit: str) -> str:
    try:
        return str(units.parse_unit(unit).dimensionality)
    except units.UnitError:
        return ""


def _flag_mixed_units(
    c: _Collector,
    by: list[str],
    unit: pd.Series,
    column: str,
    present: pd.Series,
    *,
    any_basis: bool = False,
) -> None:
    """Within each group of ``by``, every unit must measure the same thing as the first
    (with ``any_basis``, CO2 and CO2e count as the same thing: pathways of one sector keep
    their own basis, and the reconciliation decides whether they may meet)."""
    frame = pd.DataFrame({k: c.frame[k] for k in by})
    frame["unit"] = unit
    read = units.as_co2e if any_basis else str
    # Parsed once per distinct unit: a file has a handful of units but many rows.
    frame["dim"] = unit.map({u: _dimension_key(read(u)) for u in unit.unique()})
    frame = frame[present & frame["dim"].ne("")]
    first = frame.groupby(by, sort=False)[["unit", "dim"]].transform("first")
    mixed = frame["dim"].ne(first["dim"])
    for index in frame.index[mixed]:
        c.flag(
            c.frame.index == index,
            column,
            f"mixed units: '{unit[index]}' does not convert to '{first.at[index, 'unit']}' "
            "used earlier for the same series",
        )


def _flag_duplicates(c: _Collector, key: list[str], typed: pd.DataFrame) -> None:
    typed = typed[typed[col.YEAR].notna()]  # an unreadable year is reported already
    duplicated = typed.duplicated(key, keep="first")
    if not duplicated.any():
        return
    first_rows = typed.groupby(key, sort=False)[col.ROW].transform("first")
    for index in typed.index[duplicated]:
        c.flag(
            c.frame.index == index,
            col.YEAR,
            f"duplicate year {int(typed.at[index, col.YEAR])}: already given in row "
            f"{first_rows[index]}",
        )


def validate_pathways(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a pathway table (DESIGN.md data contract) and return it typed.

    Returns columns sector, scenario, region, scope, year (int), intensity (float),
    intensity_unit, activity (float, NaN where not given), activity_unit, source, licence,
    release_date, temperature (degC) and global_budget (Gt CO2) (floats, NaN where not given)
    and ``_row``. Raises InputError naming each bad cell: a missing column or value, a
    non-number, a negative intensity, a zero or negative activity, a repeated year, an unknown
    unit, units that do not convert within one sector, a temperature outside 0.5-6 degC or a
    budget not above zero, or a scenario with two temperatures (or budgets).
    """
    c = _Collector(frame)
    c.problems += require_columns(frame, col.PATHWAY_REQUIRED, name=c.name)
    c.raise_if_any()
    _refuse_empty(c)
    everywhere = pd.Series(True, index=frame.index)
    typed = pd.DataFrame({k: _one_spelling(_text(c, k)) for k in TEXT_KEYS_PATHWAY})
    typed[col.SCOPE] = _scopes(c)
    typed[col.YEAR] = _years(c)
    typed[col.INTENSITY] = _numbers(c, col.INTENSITY, present=everywhere, positive=False)
    c.flag(frame[col.INTENSITY].astype(str).eq(""), col.INTENSITY, "value is missing")
    typed[col.INTENSITY_UNIT] = _units(c, col.INTENSITY_UNIT, present=everywhere)
    has_activity = (
        frame[col.ACTIVITY].astype(str).ne("")
        if col.ACTIVITY in frame
        else pd.Series(False, index=frame.index)
    )
    typed[col.ACTIVITY] = _numbers(c, col.ACTIVITY, present=has_activity, positive=True)
    typed[col.ACTIVITY_UNIT] = _units(c, col.ACTIVITY_UNIT, present=has_activity)
    for optional in (col.SOURCE, col.LICENCE, col.RELEASE_DATE):
        typed[optional] = _text(c, optional, required=False) if optional in frame else ""
    typed[col.TEMPERATURE] = _scenario_number(c, typed, col.TEMPERATURE)
    typed[col.GLOBAL_BUDGET] = _scenario_number(c, typed, col.GLOBAL_BUDGET)
    typed[col.ROW] = frame[col.ROW]
    series = [col.SECTOR, col.SCENARIO, col.REGION, col.SCOPE]
    _flag_duplicates(c, series + [col.YEAR], typed)
    # Intensities of one sector share one unit (any scenario, region or scope).
    _flag_mixed_units(
        c, [col.SECTOR], typed[col.INTENSITY_UNIT], col.INTENSITY_UNIT, everywhere, any_basis=True
    )
    _flag_mixed_units(c, series, typed[col.ACTIVITY_UNIT], col.ACTIVITY_UNIT, has_activity)
    c.raise_if_any()
    return _named(typed, c.name)


def _scenario_number(c: _Collector, typed: pd.DataFrame, column: str) -> pd.Series:
    """An optional per-scenario figure (``temperature`` in degC, 0.5-6; ``global_budget`` in
    Gt CO2, above zero): a scenario gives one value on every row or leaves every row empty."""
    if column not in c.frame:
        return pd.Series(np.nan, index=c.frame.index)
    filled = _filled(c.frame, column)
    numbers = _numbers(c, column, present=filled, positive=True)
    if column == col.TEMPERATURE:
        c.flag(
            (numbers < MIN_TEMPERATURE) | (numbers > MAX_TEMPERATURE),
            column,
            f"a benchmark temperature lies between {MIN_TEMPERATURE} and {MAX_TEMPERATURE} degC",
        )
    key = typed[col.SCENARIO]
    first_filled = filled.groupby(key, sort=False).transform("first")
    first_value = numbers.groupby(key, sort=False).transform("first")
    c.flag(
        filled.ne(first_filled) | (filled & numbers.notna() & numbers.ne(first_value)),
        column,
        f"one {column} per scenario: this row differs from the scenario's first row",
    )
    return numbers


def _named(typed: pd.DataFrame, name: str) -> pd.DataFrame:
    out = typed.reset_index(drop=True)
    out[col.YEAR] = out[col.YEAR].astype("int64")
    out.attrs["source"] = name
    return out


# A check run with the row checks on the rows as far as they could be read: text columns
# (company, sector, region, scope) are always there, figures are NaN where unreadable.
ExtraCheck = Callable[[pd.DataFrame], list[Problem]]


def validate_trajectories(frame: pd.DataFrame, *, also: ExtraCheck | None = None) -> pd.DataFrame:
    """Check a trajectory table (a company submission) and return it typed.

    A row gives activity and emissions with their units, or only an intensity with its unit
    (DESIGN.md: "intensity may replace activity+emissions"); one company keeps to one of the two.
    Returns the contract columns with year as int and figures as float (NaN where not given),
    kind in lower case, scope normalised (``S1+S2`` -> ``S1S2``), and ``_row``. Raises
    InputError naming each bad cell. ``also`` (e.g. the sector known to the pathways, or the
    company a submission is for) runs with the row checks, so that every problem of the file
    is reported at once; only a missing column or an empty file stops before it.
    """
    c = _Collector(frame)
    c.problems += require_columns(frame, col.TRAJECTORY_REQUIRED, name=c.name)
    has_absolute_columns = all(k in frame for k in col.TRAJECTORY_ABSOLUTE)
    if not has_absolute_columns and col.INTENSITY not in frame:
        c.problems += require_columns(frame, col.TRAJECTORY_ABSOLUTE, name=c.name)
    c.raise_if_any()
    _refuse_empty(c)
    typed = _typed_trajectories(c, has_absolute_columns)
    if also is not None:
        c.problems += also(typed)
    c.raise_if_any()
    return _named(typed, c.name)


def _typed_trajectories(c: _Collector, has_absolute_columns: bool) -> pd.DataFrame:
    frame = c.frame
    typed = pd.DataFrame({k: _text(c, k) for k in TEXT_KEYS_TRAJECTORY})
    for name in (col.SECTOR, col.REGION):
        typed[name] = _one_spelling(typed[name])
    typed[col.SCOPE] = _scopes(c)
    typed[col.YEAR] = _years(c)
    typed[col.KIND] = frame[col.KIND].astype(str).str.lower()
    c.flag(~typed[col.KIND].isin(col.KINDS), col.KIND, "kind must be 'reported' or 'planned'")
    absolute = _filled(frame, col.ACTIVITY) | _filled(frame, col.EMISSIONS)
    intensity_only = ~absolute & _filled(frame, col.INTENSITY)
    c.flag(
        ~absolute & ~intensity_only,
        col.EMISSIONS if has_absolute_columns else col.INTENSITY,
        "give activity and emissions, or an intensity",
    )
    for number, positive in ((col.ACTIVITY, True), (col.EMISSIONS, False)):
        c.flag(absolute & ~_filled(frame, number), number, "value is missing")
        typed[number] = _numbers(c, number, present=absolute, positive=positive)
    typed[col.ACTIVITY_UNIT] = _units(c, col.ACTIVITY_UNIT, present=absolute)
    typed[col.EMISSIONS_UNIT] = _units(c, col.EMISSIONS_UNIT, present=absolute, emissions=True)
    with_intensity = _filled(frame, col.INTENSITY)
    typed[col.INTENSITY] = _numbers(c, col.INTENSITY, present=with_intensity, positive=False)
    typed[col.INTENSITY_UNIT] = _units(c, col.INTENSITY_UNIT, present=with_intensity)
    for ratio, rule in ((col.CLINKER_RATIO, _ratio_rule), (col.KG_PER_PASSENGER, None)):
        given = _filled(frame, ratio)
        typed[ratio] = _numbers(c, ratio, present=given, positive=True)
        if rule is not None:
            rule(c, typed[ratio])
    typed[col.ROW] = frame[col.ROW]
    for number in PLAUSIBLE:
        _flag_implausible(c, typed[number], number)
    _flag_duplicates(c, col.COMPANY_KEY + [col.YEAR], typed)
    _flag_mixed_forms(c, typed, absolute)
    _flag_mixed_units(c, col.COMPANY_KEY, typed[col.ACTIVITY_UNIT], col.ACTIVITY_UNIT, absolute)
    _flag_mixed_units(
        c, col.COMPANY_KEY, typed[col.INTENSITY_UNIT], col.INTENSITY_UNIT, intensity_only
    )
    _flag_disagreeing_intensity(c, typed, absolute & with_intensity)
    typed.attrs["source"] = c.name
    return typed


def _ratio_rule(c: _Collector, ratio: pd.Series) -> None:
    """A clinker-to-cement ratio is t clinker per t cement: above 0 (checked as a positive
    number) and at most 1, since cement holds clinker and other constituents."""
    c.flag(ratio > 1, col.CLINKER_RATIO, "must be at most 1 (t clinker per t cement)")


def _filled(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(False, index=frame.index)
    return frame[column].astype(str).ne("")


def _flag_mixed_forms(c: _Collector, typed: pd.DataFrame, absolute: pd.Series) -> None:
    """A company gives activity+emissions in every row or an intensity in every row: mixing
    the two would make C(t) a ratio in some years and an interpolated intensity in others."""
    first = absolute.groupby([typed[k] for k in col.COMPANY_KEY], sort=False).transform("first")
    c.flag(
        absolute.ne(first),
        col.ACTIVITY,
        "this company gives activity and emissions in some rows and only an intensity in "
        "others; use one form for every year",
    )


def _flag_disagreeing_intensity(c: _Collector, typed: pd.DataFrame, both: pd.Series) -> None:
    """Where a row gives an intensity beside activity and emissions, they must agree."""
    if not both.any():
        return
    unit_columns = [col.EMISSIONS_UNIT, col.ACTIVITY_UNIT, col.INTENSITY_UNIT]
    triples = typed.loc[both, unit_columns].drop_duplicates()
    readable = {t for t in triples.itertuples(index=False, name=None) if all(map(_readable, t))}
    keys = pd.Series(
        list(typed[unit_columns].itertuples(index=False, name=None)), index=typed.index
    )
    both = both & keys.isin(readable)  # an unreadable unit is reported already
    factor_of = {
        (e, a, i): units.intensity_factor(e, a, i)
        if units.compatible(f"({e})/({a})", i)
        else np.nan
        for e, a, i in readable
    }
    factors = pd.Series(
        [factor_of.get(key, np.nan) for key in keys],
        index=typed.index,
    ).where(both)
    implied = typed[col.EMISSIONS] / typed[col.ACTIVITY] * factors
    c.flag(
        both & factors.isna(),
        col.INTENSITY_UNIT,
        "does not convert to emissions_unit / activity_unit",
    )
    off = (typed[col.INTENSITY] - implied).abs() > INTENSITY_TOLERANCE * implied.abs()
    c.flag(
        both & factors.notna() & off,
        col.INTENSITY,
        "disagrees with emissions / activity in the same row",
    )


def read_reconcile_inputs(
    pathway_paths: list[Path], trajectory_path: Path, scenario: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pathways and the company trajectories for a reconciliation, each validated, or one
    InputError with every problem of every file: the pathway files' own, an unknown scenario,
    and the trajectory rows' together with their unknown sectors."""
    problems: list[Problem] = []
    pathways: pd.DataFrame | None = None
    try:
        pathways = read_pathway_files(pathway_paths)
    except InputError as error:
        problems += error.problems
    also: ExtraCheck | None = None
    if pathways is not None:
        p_name = str(pathways.attrs.get("source", "pathways"))
        try:
            resolve_scenario(pathways, scenario, p_name)
        except InputError as error:
            problems += error.problems
        known = pathways
        also = lambda typed: unknown_sector_problems(known, typed, p_name=p_name)  # noqa: E731
    try:
        trajectories = validate_trajectories(read_table(trajectory_path), also=also)
    except InputError as error:
        problems += error.problems
    if problems or pathways is None:
        raise InputError(problems)
    return pathways, trajectories


def read_pathway_files(paths: list[Path]) -> pd.DataFrame:
    """Read and validate several pathway files (.csv or .xlsx) as one table."""
    return combine_pathways([validate_pathways(read_table(path)) for path in paths])


def combine_pathways(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """One pathway table from several validated ones. A series-year given by two files, or a
    sector whose intensity unit in one file does not convert to its unit in an earlier file, is
    refused with the later file's row named."""
    frames = [t.assign(_file=str(t.attrs.get("source", "pathways"))) for t in tables]
    combined = pd.concat(frames, ignore_index=True)
    combined[col.SECTOR] = _one_spelling(combined[col.SECTOR])
    problems: list[Problem] = []
    key = [col.SECTOR, col.SCENARIO, col.REGION, col.SCOPE, col.YEAR]
    repeated = combined.duplicated(key, keep="first")
    if repeated.any():
        first = combined.groupby(key, sort=False)[["_file", col.ROW]].transform("first")
        problems += [
            Problem(
                r["_file"],
                int(r[col.ROW]),
                col.YEAR,
                f"duplicate year {r[col.YEAR]}: already given in {first.at[i, '_file']} "
                f"row {first.at[i, col.ROW]}",
            )
            for i, r in combined[repeated].iterrows()
        ]
    for column in (col.TEMPERATURE, col.GLOBAL_BUDGET):
        # A file that gives no value says nothing; two files that give different values clash.
        first = combined.groupby(col.SCENARIO, sort=False)[column].transform("first")
        differs = combined[column].notna() & combined[column].ne(first)
        problems += [
            Problem(
                r["_file"],
                int(r[col.ROW]),
                column,
                f"scenario '{r[col.SCENARIO]}' has another {column} in an earlier file",
            )
            for _, r in combined[differs].iterrows()
        ]
        combined[column] = first
    sector_unit = combined.groupby(col.SECTOR, sort=False)[col.INTENSITY_UNIT].transform("first")
    pairs = combined[[col.INTENSITY_UNIT]].assign(first=sector_unit).drop_duplicates()
    bad = {(u, f) for u, f in pairs.itertuples(index=False) if not units.compatible_any_basis(u, f)}
    for i, r in combined.iterrows() if bad else ():
        if (r[col.INTENSITY_UNIT], sector_unit[i]) in bad:
            problems.append(
                Problem(
                    r["_file"],
                    int(r[col.ROW]),
                    col.INTENSITY_UNIT,
                    f"mixed units: '{r[col.INTENSITY_UNIT]}' does not convert to "
                    f"'{sector_unit[i]}' used for {r[col.SECTOR]} in an earlier file",
                )
            )
    if problems:
        raise InputError(problems)
    out = combined.drop(columns="_file")
    out.attrs["source"] = ", ".join(dict.fromkeys(f["_file"].iloc[0] for f in frames if len(f)))
    return out


def submission_problems(
    trajectories: pd.DataFrame, *, company: str, sector: str, intensity_unit: str
) -> list[Problem]:
    """A submission holds one company's rows for one series (region and scope) of the
    platform's sector, in units that give the sector's intensity unit: a problem for each row
    that does not belong. Works on rows as far as they could be read (``validate_trajectories``
    ``also``): a row whose figures or units are unreadable is left to the row checks."""
    name = str(trajectories.attrs.get("source", "submission"))
    problems: list[Problem] = []
    other_company = name_keys(trajectories[col.COMPANY]) != name_key(company)
    other_sector = trajectories[col.SECTOR].str.casefold() != sector.casefold()
    series = trajectories[col.REGION].str.casefold() + "|" + trajectories[col.SCOPE]
    other_series = series != series.iloc[0] if len(series) else series.astype(bool)
    for mask, column, message in (
        (other_company, col.COMPANY, f"this submission is for {company} only"),
        (other_sector, col.SECTOR, f"this platform is for the {sector} sector"),
        (other_series, col.SCOPE, "one submission holds one region and scope, as in its first row"),
    ):
        problems += [
            Problem(name, int(r), column, message) for r in trajectories.loc[mask, col.ROW]
        ]
    return problems + _unit_problems(trajectories, name, intensity_unit, sector)


def _unit_problems(
    trajectories: pd.DataFrame, name: str, intensity_unit: str, sector: str
) -> list[Problem]:
    """Rows whose units cannot give the sector's intensity unit, even through a clinker ratio
    or a mass per passenger (or with CO2 read as CO2e: whether the two bases may meet is the
    reconciliation's question), and rows that need such a figure and lack it."""
    absolute = trajectories[col.ACTIVITY].notna()
    unit_columns = [col.EMISSIONS_UNIT, col.ACTIVITY_UNIT, col.INTENSITY_UNIT]
    readable = {
        u: bool(u) and _readable(u) for u in pd.unique(trajectories[unit_columns].values.ravel())
    }
    read = trajectories[unit_columns].apply(lambda c: c.map(readable)).astype(bool)
    emitted = trajectories[col.EMISSIONS_UNIT]
    read[col.EMISSIONS_UNIT] &= emitted.map(
        {u: readable[u] and units.is_emissions_unit(u) for u in emitted.unique()}
    )
    # Rows whose figures or units could not be read are reported by the row checks already.
    judged = (absolute & read[col.EMISSIONS_UNIT] & read[col.ACTIVITY_UNIT]) | (
        ~absolute & trajectories[col.INTENSITY].notna() & read[col.INTENSITY_UNIT]
    )
    ratio = (
        "(" + trajectories[col.EMISSIONS_UNIT] + ") / (" + trajectories[col.ACTIVITY_UNIT] + ")"
    ).where(absolute, trajectories[col.INTENSITY_UNIT])
    fit = {u: conversion.fits(u, intensity_unit) for u in ratio[judged].unique()}
    bad = judged & ~ratio.map(fit).fillna(True).astype(bool)
    column = pd.Series(col.ACTIVITY_UNIT, index=trajectories.index).where(
        absolute, col.INTENSITY_UNIT
    )
    problems = [
        Problem(
            name, int(r), c, f"does not give an intensity in {intensity_unit}, the {sector} unit"
        )
        for r, c in zip(trajectories.loc[bad, col.ROW], column[bad], strict=True)
    ]
    units_given = trajectories.assign(_unit=ratio)
    problems += [
        Problem(name, int(trajectories.at[i, col.ROW]), bridge.column, bridge.needed)
        for i, bridge in conversion.missing_bridges(
            units_given, intensity_unit, "_unit", judged & ~bad
        )
    ]
    return problems
