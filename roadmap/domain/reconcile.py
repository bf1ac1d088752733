"""Reconcile company pathways against a sector scenario (DESIGN.md, "Reconciliation method").

``reconcile`` takes a validated pathway table and a validated trajectory table and returns one
row per company and year from the base year to the end of the company's trajectory (capped at
the scenario's last year), with its SDA target, gap, status, years behind, excess emissions and
the lowest-temperature benchmark it meets. Units: activity in the sector's activity unit,
emissions in tonnes of the pathway's basis (t CO2 or t CO2e), intensities in the unit of the
chosen scenario's pathway for the sector (roadmap.domain.conversion).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from roadmap.domain import benchmarks, conversion, measures, sda, units
from roadmap.domain import columns as col
from roadmap.domain.annual import annual_grid, hold_last
from roadmap.domain.curves import Curves, build_curves
from roadmap.domain.errors import ReconcileError
from roadmap.domain.keys import Factor, combine, factorize
from roadmap.domain.matching import Match, match_companies, sector_units
from roadmap.domain.measures import Rows, name_at
from roadmap.domain.params import (  # noqa: F401  (re-exported: the reconcile API)
    ADJUST_MARKET,
    ADJUST_NONE,
    ADJUSTMENTS,
    EXTEND_FLAT,
    EXTEND_NONE,
    EXTENSIONS,
    METHODS,
    SDA,
    SDA_MARKET_SHARE,
    ReconcileParams,
)

# Kept in the results beyond the data contract, for the aggregate and the charts.
INTERNAL_COLUMNS = [
    "pathway_region",
    "sector_activity",
    col.FAIR_SHARE_EMISSIONS,
    col.SECTOR_CURVE_EMISSIONS,
]


@dataclass(frozen=True)
class Reconciliation:
    """``results``: RESULT_COLUMNS, then RESULT_DETAIL_COLUMNS, then INTERNAL_COLUMNS:
    ``pathway_region`` (the pathway's region used), ``sector_activity`` (A_s(t) in the company
    activity unit where the pathway's activity unit converts to it, else NaN) and, in t CO2e,
    ``fair_share_emissions`` T(t) A(t) and ``sector_curve_emissions`` S(t) A(t).
    ``warnings``: companies left out and other notes for the user. ``notes``: what was
    done with units that the user must be told (CO2 treated as CO2e, benchmarks of the other
    basis left out or compared); they name no company."""

    results: pd.DataFrame
    warnings: tuple[str, ...]
    scenario: str
    curves: Curves
    notes: tuple[str, ...] = ()


def reconcile(
    pathways: pd.DataFrame, trajectories: pd.DataFrame, params: ReconcileParams
) -> Reconciliation:
    """Reconcile every company in ``trajectories`` against ``params.scenario``.

    Raises InputError (naming file, row and column) for an unknown sector or scenario, a
    company with no pathway for its scope, or units that do not convert; ReconcileError for a
    base year outside the pathway or a method the data cannot support. A company with no value
    at the base year is left out and named in ``warnings``.

    The key columns (company, sector, region, scope) are read once, into integer codes; the
    rest is numpy indexing on those codes, whatever the number of companies.
    """
    rows = trajectories.reset_index(drop=True)
    rows.attrs = trajectories.attrs
    keys = {k: factorize(rows[k]) for k in col.COMPANY_KEY}
    match = match_companies(pathways, rows, params.scenario, keys)
    keys[col.SECTOR] = match.sectors
    units_by_sector = sector_units(pathways, match.scenario, pd.Series(match.sectors.names))
    curves = build_curves(pathways[pathways[col.SECTOR].isin(units_by_sector)], units_by_sector)
    converted = conversion.to_sector_units(
        rows,
        units_by_sector,
        treat_co2_as_co2e=params.treat_co2_as_co2e,
        scenario=match.scenario,
        sectors=match.sectors,
    )
    warnings = list(match.warnings)
    notes = list(converted.notes)
    temperatures = benchmarks.scenario_temperatures(pathways)
    combos, bench_matrix, bench_notes = _combo_table(
        match, curves, pathways, units_by_sector, params, notes, temperatures
    )
    warnings += bench_notes
    frame = _annual_rows(converted.frame, keys, match, combos, curves, params)
    warnings += _unlabelled(combos, temperatures)
    frame = _window(frame, curves, params, warnings, keys)
    sector = frame["_sector"]
    per_sector = _sector_factors(match.sectors, converted, units_by_sector)
    frame = _add_intensity(frame, per_sector["intensity"][sector])
    frame = measures.add_targets(frame, curves, params, keys)
    frame = measures.add_metrics(frame, curves, params, bench_matrix)
    frame = _add_excess(frame, per_sector["tonnes"][sector])
    frame = _add_sector_activity(frame, curves, converted.activity_units)
    for working in _WORKING_COLUMNS:  # freed before the result is built: 11 arrays of rows
        del frame[working]
    results = _results(frame, keys, combos, match, converted, units_by_sector)
    return Reconciliation(results, tuple(warnings), match.scenario, curves, tuple(notes))


# The working rows' columns that the result table does not use.
_WORKING_COLUMNS = (
    "series",
    "curve",
    "combo",
    "given_intensity",
    "base_year",
    "final_year",
    "_scale",
    "_c_b",
    "_s_b",
    "_s_n",
    "_start",
)


def _combo_table(
    match: Match,
    curves: Curves,
    pathways: pd.DataFrame,
    units_by_sector: dict[str, str],
    params: ReconcileParams,
    notes: list[str],
    temperatures: dict[tuple[str, str], float],
) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """Per company key (sector, region, scope): its curve of the chosen scenario and its line
    of the benchmark matrix (roadmap.domain.benchmarks), with that matrix and its notes."""
    combos = match.combos.assign(
        curve=[
            curves.find(sector, match.scenario, region, scope)
            for sector, region, scope in match.combos[
                ["sector", "pathway_region", "scope"]
            ].itertuples(index=False)
        ]
    )
    same_basis = _same_basis(match.benchmarks, pathways, units_by_sector, params, notes)
    bench_table, bench_matrix, bench_notes = benchmarks.benchmark_table(
        same_basis, curves, temperatures, match.scenario
    )
    combos = combos.merge(bench_table, on=[col.SECTOR, col.REGION, col.SCOPE], how="left")
    return combos, bench_matrix, bench_notes


def _annual_rows(
    converted: pd.DataFrame,
    keys: dict[str, Factor],
    match: Match,
    combos: pd.DataFrame,
    curves: Curves,
    params: ReconcileParams,
) -> Rows:
    """One row per company and year between its first and last given year (to N with
    ``extend="flat"``), in order of company, sector, region, scope and year, holding integer
    codes and figures only."""
    parts = [keys[k] for k in col.COMPANY_KEY]
    ordered_key = combine([f.ranks()[f.codes] for f in parts], [len(f.names) for f in parts])
    points = pd.DataFrame(
        {
            "_key": ordered_key,
            col.YEAR: converted[col.YEAR].to_numpy(dtype="int64"),
            col.ACTIVITY: converted[col.ACTIVITY].to_numpy(dtype="float64"),
            col.EMISSIONS: converted[col.EMISSIONS].to_numpy(dtype="float64"),
            col.INTENSITY: converted[col.INTENSITY].to_numpy(dtype="float64"),
            col.KIND: converted[col.KIND].to_numpy(dtype=object) == col.REPORTED,
            "_point": np.arange(len(converted)),
        }
    )
    if params.extend == EXTEND_FLAT:
        final = curves.last_year[combos["curve"].to_numpy()][match.combo_of_row]
        points = hold_last(points, ["_key"], pd.Series(final, index=points.index))
        points[col.KIND] = points[col.KIND].eq(True)  # a held point is planned
    grid = annual_grid(points, ["_key"])
    point = grid.points["_point"].to_numpy()[grid.before]
    combo = match.combo_of_row[point]
    return {
        col.YEAR: grid.frame[col.YEAR].to_numpy(),
        "series": grid.frame["series"].to_numpy(),
        "_point": point,
        "_sector": keys[col.SECTOR].codes[point],
        "combo_row": combo,
        "curve": combos["curve"].to_numpy()[combo],
        "combo": combos["combo"].to_numpy()[combo],
        col.ACTIVITY: grid.interpolate(col.ACTIVITY),
        col.EMISSIONS: grid.interpolate(col.EMISSIONS),
        "given_intensity": grid.interpolate(col.INTENSITY),
        "_reported": grid.both(col.KIND, True),
    }


def _window(
    frame: Rows,
    curves: Curves,
    params: ReconcileParams,
    warnings: list[str],
    keys: dict[str, Factor],
) -> Rows:
    """Keep each company's years from the base year b to min(its last year, N); leave out,
    with a warning, companies that have no value at b."""
    code = frame["curve"]
    first, final = curves.first_year[code], curves.last_year[code]
    point = frame["_point"]
    if params.base_year is None:
        base = first
    else:
        base = np.full(len(frame[col.YEAR]), params.base_year)
        outside = (base < first) | (base > final)
        if outside.any():
            row = int(np.flatnonzero(outside)[0])
            scenario = curves.keys.at[code[row], col.SCENARIO]
            raise ReconcileError(
                f"base year {params.base_year} lies outside the {scenario} pathway for "
                f"{name_at(keys, col.SECTOR, point[row])} ({first[row]}-{final[row]}); pathways "
                "are never extrapolated"
            )
    years = frame[col.YEAR]
    start = sda.start_index(frame["series"])
    company_first, company_last = years[start], _last_of_run(years, start)
    covers = (company_first <= base) & (company_last >= base)
    for i in np.flatnonzero(~covers & (start == np.arange(len(start)))):
        company, sector, region, scope = (name_at(keys, k, point[i]) for k in col.COMPANY_KEY)
        warnings.append(
            f"{company} ({sector}, {region}, {scope}) left "
            f"out: no value at base year {base[i]} (its trajectory covers "
            f"{company_first[i]}-{company_last[i]})"
        )
    keep = covers & (years >= base) & (years <= final)
    kept = frame | {"base_year": base, "final_year": final}
    if keep.all():  # every company from the base year to the scenario's end: nothing to cut
        return kept
    return {name: values[keep] for name, values in kept.items()}


def _last_of_run(values: np.ndarray, start: np.ndarray) -> np.ndarray:
    """For each row, ``values`` at the last row of its company."""
    first, rows = sda.company_runs(start)
    return np.repeat(values[first + rows - 1], rows)


def _same_basis(
    benchmarks: pd.DataFrame,
    pathways: pd.DataFrame,
    units_by_sector: dict[str, str],
    params: ReconcileParams,
    notes: list[str],
) -> pd.DataFrame:
    """The benchmarks a company's intensity is compared with: the scenarios whose pathway is
    on the chosen scenario's basis (CO2 or CO2e); all of them under ``treat_co2_as_co2e``,
    with a note. A scenario left out is named in the notes."""
    if benchmarks.empty:
        return benchmarks
    unit_of: dict[tuple[str, str], str] = {}  # each (sector, scenario)'s first unit
    columns = (pathways[col.SECTOR], pathways[col.SCENARIO], pathways[col.INTENSITY_UNIT])
    for key in zip(*columns, strict=True):
        unit_of.setdefault(key[:2], str(key[2]))
    own = benchmarks[col.SECTOR].map(lambda s: units.basis(units_by_sector[s]))
    theirs = pd.Series(
        [
            units.basis(unit_of[key])
            for key in zip(benchmarks[col.SECTOR], benchmarks[col.SCENARIO], strict=True)
        ],
        index=benchmarks.index,
    )
    other = own.ne(theirs)
    if not other.any():
        return benchmarks
    for (sector, scenario), group in benchmarks[other].groupby([col.SECTOR, col.SCENARIO]):
        gas, mine = theirs[group.index[0]], own[group.index[0]]
        if params.treat_co2_as_co2e:
            notes.append(
                f"{sector}: benchmark {scenario} ({gas}) compared as {mine} (treat_co2_as_co2e)"
            )
        else:
            notes.append(
                f"{sector}: benchmark {scenario} is in {gas}, not {mine}; it is not ranked "
                "(state that CO2 and CO2e may be treated as the same to include it)"
            )
    return benchmarks if params.treat_co2_as_co2e else benchmarks[~other]


def _sector_factors(
    sectors: Factor, converted: conversion.Converted, units_by_sector: dict[str, str]
) -> dict[str, np.ndarray]:
    """Per sector code: the factor from emissions / activity to the sector's intensity unit,
    and from intensity x activity to tonnes (NaN for a sector given only as intensities)."""
    intensity = np.full(len(sectors.names), np.nan)
    tonnes = np.full(len(sectors.names), np.nan)
    for code, name in enumerate(str(s) for s in sectors.names):
        unit = converted.activity_units.get(name)
        if unit is None:
            continue
        emitted = converted.emissions_units[name]
        intensity[code] = units.intensity_factor(emitted, unit, units_by_sector[name])
        tonnes[code] = units.emissions_factor(units_by_sector[name], unit, emitted)
    return {"intensity": intensity, "tonnes": tonnes}


def _add_intensity(frame: Rows, factor: np.ndarray) -> Rows:
    """C(t) = E(t) / A(t) in the sector's intensity unit, or the interpolated intensity where
    only intensity was given."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = frame[col.EMISSIONS] / frame[col.ACTIVITY] * factor
    given = frame["given_intensity"]
    return frame | {col.INTENSITY: np.where(np.isnan(ratio), given, ratio)}


def _unlabelled(combos: pd.DataFrame, temperatures: dict[tuple[str, str], float]) -> list[str]:
    """A note per sector none of whose scenarios gives a temperature: its labels stay empty."""
    rated = {sector for sector, _ in temperatures}
    return [
        f"{sector}: no scenario gives a benchmark temperature, so benchmark_alignment is "
        "left empty (add a temperature column to the pathway file)"
        for sector in sorted(set(combos[col.SECTOR].unique()) - rated)
    ]


def _add_excess(frame: Rows, to_tonnes: np.ndarray) -> Rows:
    """excess = (C(t) - T(t)) A(t) in tonnes of the sector's basis (t CO2 or t CO2e),
    cumulated from the base year; fair share T(t) A(t) and sector-curve emissions S(t) A(t)
    in the same unit."""
    activity = frame[col.ACTIVITY]
    target = frame[col.TARGET_INTENSITY]
    fair_share = target * activity * to_tonnes
    excess = (frame[col.INTENSITY] - target) * activity * to_tonnes
    offset = frame[col.YEAR] - frame["base_year"]
    company, shape = sda.company_cells(frame["_start"], offset)
    cumulative = sda.running_sum(sda.company_matrix(excess, company, offset, shape))
    return frame | (
        {
            col.EXCESS_EMISSIONS: excess,
            col.CUMULATIVE_EXCESS: cumulative[company, offset],
            col.FAIR_SHARE_EMISSIONS: fair_share,
            col.SECTOR_CURVE_EMISSIONS: frame[col.SECTOR_INTENSITY] * activity * to_tonnes,
        }
    )


def _add_sector_activity(frame: Rows, curves: Curves, activity_units: dict[str, str]) -> Rows:
    """A_s(t) in the companies' activity unit, where the pathway's activity unit converts to
    it (an index such as OECM's production growth does not: coverage then stays unknown)."""
    code = frame["curve"]
    # One factor per curve (each curve belongs to one sector), spread to rows by code.
    scale = np.full(len(curves.keys), np.nan)
    for used in pd.unique(code):  # the few curves used: hashing, not sorting
        pathway_unit = str(curves.keys.at[used, col.ACTIVITY_UNIT] or "")
        company_unit = activity_units.get(str(curves.keys.at[used, col.SECTOR]), "")
        if pathway_unit and company_unit and units.compatible(pathway_unit, company_unit):
            scale[used] = units.conversion_factor(pathway_unit, company_unit)
    activity = curves.at(code, frame[col.YEAR], what="activity") * scale[code]
    return frame | {"sector_activity": activity}


def _results(
    frame: Rows,
    keys: dict[str, Factor],
    combos: pd.DataFrame,
    match: Match,
    converted: conversion.Converted,
    units_by_sector: dict[str, str],
) -> pd.DataFrame:
    """The result table: names and labels made from codes, figures as computed. A text column
    is its few distinct texts, made a ``str`` array once, taken by code: pandas checks that
    each of the few is a text, not each of the rows."""
    point = frame["_point"]
    sector = frame["_sector"]
    combo = frame["combo_row"]
    sector_names = [str(s) for s in match.sectors.names]

    def text(names: object, codes: np.ndarray) -> pd.Series:
        distinct = pd.array(np.asarray(names, dtype=object), dtype="str")
        return pd.Series(distinct.take(codes), copy=False)

    def per_sector(mapping: dict[str, str]) -> pd.Series:
        return text([mapping.get(s, "") for s in sector_names], sector)

    def named(column: str) -> pd.Series:
        return text(keys[column].names, keys[column].codes[point])

    milestone = frame["_milestone"]
    step, steps = pd.factorize(milestone)  # a few distinct years: hashing, not sorting
    step_values = np.array([int(m) if m > 0 else pd.NA for m in steps] + [pd.NA], dtype=object)
    columns = {
        col.COMPANY: named(col.COMPANY),
        col.SECTOR: named(col.SECTOR),
        col.STATUS: text([col.BEHIND, col.ALIGNED], frame["_aligned"].astype("int64")),
        col.REGION: named(col.REGION),
        col.SCOPE: named(col.SCOPE),
        col.KIND: text([col.PLANNED, col.REPORTED], frame["_reported"].astype("int64")),
        col.ACTIVITY_UNIT: per_sector(converted.activity_units),
        col.EMISSIONS_UNIT: per_sector(converted.emissions_units),
        col.INTENSITY_UNIT: per_sector(units_by_sector),
        col.NEXT_MILESTONE: pd.Series(step_values[step.reshape(-1)], dtype=object, copy=False),
        "pathway_region": text(combos["pathway_region"].to_numpy(dtype=object), combo),
        col.SCENARIO: text([match.scenario], np.zeros(len(point), dtype="int64")),
    }
    keep = col.RESULT_COLUMNS + col.RESULT_DETAIL_COLUMNS + INTERNAL_COLUMNS
    return pd.DataFrame({k: columns[k] if k in columns else frame[k] for k in keep}, copy=False)
