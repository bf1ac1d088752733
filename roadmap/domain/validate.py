"""The checks on pathway and trajectory tables, written once for the CLI, uploads and the API.

Each ``validate_*`` takes the text table from ``ingest`` and returns a typed table (years as
int, figures as float) or raises InputError listing every problem by row and column.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from roadmap.domain import cells, units
from roadmap.domain import columns as col
from roadmap.domain.cells import Checks
from roadmap.domain.errors import InputError, Problem
from roadmap.domain.ingest import read_table, require_columns
from roadmap.domain.keys import factorize, group_codes
from roadmap.domain.matching import resolve_scenario, unknown_sector_problems
from roadmap.domain.submission_checks import submission_problems  # noqa: F401  (its home was here)

# Intensity given beside activity and emissions must agree with their ratio this closely.
INTENSITY_TOLERANCE = 1e-3
# A benchmark temperature (degC above pre-industrial) outside this range is a typing error.
MIN_TEMPERATURE, MAX_TEMPERATURE = 0.5, 6.0

TEXT_KEYS_PATHWAY = [col.SECTOR, col.SCENARIO, col.REGION]
PLAUSIBLE = (col.ACTIVITY, col.EMISSIONS, col.INTENSITY)


def _refuse_empty(c: Checks) -> None:
    if c.frame.empty:
        raise InputError([Problem(c.name, None, None, "the file has no data rows")])


def _one_spelling(values: pd.Series) -> pd.Series:
    """``cells.one_spelling`` of a column (several files' sectors as one)."""
    spelled = cells.one_spelling(factorize(values))
    return pd.Series(spelled.values(), index=values.index, dtype="str")


def _raw_series(c: Checks, by: list[str]) -> np.ndarray:
    """A code per row for the series named by ``by``, as the file spells them."""
    return group_codes([c.factor(k).codes for k in by])[0]


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
    c = Checks(frame)
    c.problems += require_columns(frame, col.PATHWAY_REQUIRED, name=c.name)
    c.raise_if_any()
    _refuse_empty(c)
    everywhere = np.ones(len(frame), dtype=bool)
    spelled = {k: cells.one_spelling(cells.text(c, k)) for k in TEXT_KEYS_PATHWAY}
    typed = pd.DataFrame({k: c.series(f, "str") for k, f in spelled.items()})
    scope = cells.scopes(c)
    typed[col.SCOPE] = c.series(scope, "str")
    year = cells.years(c)
    typed[col.YEAR] = c.series(year)
    typed[col.INTENSITY] = c.series(
        cells.numbers(c, col.INTENSITY, present=everywhere, positive=False)
    )
    c.flag(~c.filled(col.INTENSITY), col.INTENSITY, "value is missing")
    intensity_unit = cells.unit_column(c, col.INTENSITY_UNIT, present=everywhere)
    typed[col.INTENSITY_UNIT] = c.series(intensity_unit, "str")
    has_activity = c.filled(col.ACTIVITY)
    typed[col.ACTIVITY] = c.series(
        cells.numbers(c, col.ACTIVITY, present=has_activity, positive=True)
    )
    activity_unit = cells.unit_column(c, col.ACTIVITY_UNIT, present=has_activity)
    typed[col.ACTIVITY_UNIT] = c.series(activity_unit, "str")
    for optional in (col.SOURCE, col.LICENCE, col.RELEASE_DATE):
        typed[optional] = (
            c.series(cells.text(c, optional, required=False), "str") if optional in frame else ""
        )
    typed[col.TEMPERATURE] = _scenario_number(c, typed, col.TEMPERATURE)
    typed[col.GLOBAL_BUDGET] = _scenario_number(c, typed, col.GLOBAL_BUDGET)
    typed[col.ROW] = frame[col.ROW]
    series = [col.SECTOR, col.SCENARIO, col.REGION, col.SCOPE]
    cells.flag_duplicates(c, [f.codes for f in spelled.values()] + [scope.codes], year)
    # Intensities of one sector share one unit (any scenario, region or scope).
    cells.flag_mixed_units(
        c,
        c.factor(col.SECTOR).codes,
        intensity_unit,
        col.INTENSITY_UNIT,
        everywhere,
        any_basis=True,
    )
    cells.flag_mixed_units(
        c, _raw_series(c, series), activity_unit, col.ACTIVITY_UNIT, has_activity
    )
    c.raise_if_any()
    return _named(typed, c.name)


def _scenario_number(c: Checks, typed: pd.DataFrame, column: str) -> pd.Series:
    """An optional per-scenario figure (``temperature`` in degC, 0.5-6; ``global_budget`` in
    Gt CO2, above zero): a scenario gives one value on every row or leaves every row empty."""
    if column not in c.frame:
        return pd.Series(np.nan, index=c.frame.index)
    filled = c.series(c.filled(column))
    numbers = c.series(cells.numbers(c, column, present=filled.to_numpy(), positive=True))
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
    is reported at once; only a missing column or an empty file stops before it. Each text
    column is read once (roadmap.domain.cells).
    """
    c = Checks(frame)
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


def _typed_trajectories(c: Checks, has_absolute_columns: bool) -> pd.DataFrame:
    company = cells.text(c, col.COMPANY)
    sector = cells.one_spelling(cells.text(c, col.SECTOR))
    region = cells.one_spelling(cells.text(c, col.REGION))
    scope = cells.scopes(c)
    typed = pd.DataFrame(
        {
            col.COMPANY: c.series(company, "str"),
            col.SECTOR: c.series(sector, "str"),
            col.REGION: c.series(region, "str"),
            col.SCOPE: c.series(scope, "str"),
        }
    )
    year = cells.years(c)
    typed[col.YEAR] = c.series(year)
    given_kind = c.factor(col.KIND)
    kind = given_kind.renamed([str(k).lower() for k in given_kind.names])
    typed[col.KIND] = c.series(kind, "str")
    c.flag(
        ~cells.per_value(kind, lambda k: k in col.KINDS, bool),
        col.KIND,
        "kind must be 'reported' or 'planned'",
    )
    absolute = c.filled(col.ACTIVITY) | c.filled(col.EMISSIONS)
    with_intensity = c.filled(col.INTENSITY)
    intensity_only = ~absolute & with_intensity
    c.flag(
        ~absolute & ~intensity_only,
        col.EMISSIONS if has_absolute_columns else col.INTENSITY,
        "give activity and emissions, or an intensity",
    )
    for number, positive in ((col.ACTIVITY, True), (col.EMISSIONS, False)):
        c.flag(absolute & ~c.filled(number), number, "value is missing")
        typed[number] = c.series(cells.numbers(c, number, present=absolute, positive=positive))
    activity_unit = cells.unit_column(c, col.ACTIVITY_UNIT, present=absolute)
    typed[col.ACTIVITY_UNIT] = c.series(activity_unit, "str")
    emissions_unit = cells.unit_column(c, col.EMISSIONS_UNIT, present=absolute, emissions=True)
    typed[col.EMISSIONS_UNIT] = c.series(emissions_unit, "str")
    typed[col.INTENSITY] = c.series(
        cells.numbers(c, col.INTENSITY, present=with_intensity, positive=False)
    )
    intensity_unit = cells.unit_column(c, col.INTENSITY_UNIT, present=with_intensity)
    typed[col.INTENSITY_UNIT] = c.series(intensity_unit, "str")
    for ratio, rule in ((col.CLINKER_RATIO, _ratio_rule), (col.KG_PER_PASSENGER, None)):
        values = cells.numbers(c, ratio, present=c.filled(ratio), positive=True)
        typed[ratio] = c.series(values)
        if rule is not None:
            rule(c, values)
    typed[col.ROW] = c.frame[col.ROW]
    for number in PLAUSIBLE:
        cells.flag_implausible(c, typed[number].to_numpy(), number)
    key = [company.codes, sector.codes, region.codes, scope.codes]
    cells.flag_duplicates(c, key, year)
    _flag_mixed_forms(c, key, absolute)
    raw = _raw_series(c, col.COMPANY_KEY)
    cells.flag_mixed_units(c, raw, activity_unit, col.ACTIVITY_UNIT, absolute)
    cells.flag_mixed_units(c, raw, intensity_unit, col.INTENSITY_UNIT, intensity_only)
    _flag_disagreeing_intensity(c, typed, c.series(absolute & with_intensity))
    typed.attrs["source"] = c.name
    return typed


def _ratio_rule(c: Checks, ratio: np.ndarray) -> None:
    """A clinker-to-cement ratio is t clinker per t cement: above 0 (checked as a positive
    number) and at most 1, since cement holds clinker and other constituents."""
    with np.errstate(invalid="ignore"):
        c.flag(ratio > 1, col.CLINKER_RATIO, "must be at most 1 (t clinker per t cement)")


def _flag_mixed_forms(c: Checks, key: list[np.ndarray], absolute: np.ndarray) -> None:
    """A company gives activity+emissions in every row or an intensity in every row: mixing
    the two would make C(t) a ratio in some years and an interpolated intensity in others."""
    inverse, first = group_codes(key)
    c.flag(
        absolute != absolute[first[inverse]],
        col.ACTIVITY,
        "this company gives activity and emissions in some rows and only an intensity in "
        "others; use one form for every year",
    )


def _flag_disagreeing_intensity(c: Checks, typed: pd.DataFrame, both: pd.Series) -> None:
    """Where a row gives an intensity beside activity and emissions, they must agree."""
    if not both.any():
        return
    unit_columns = [col.EMISSIONS_UNIT, col.ACTIVITY_UNIT, col.INTENSITY_UNIT]
    triples = typed.loc[both, unit_columns].drop_duplicates()
    readable = {
        t for t in triples.itertuples(index=False, name=None) if all(map(cells.readable, t))
    }
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
