"""What a submission to a platform may hold: one company, one series of the platform's sector,
in units that give the sector's intensity unit."""

from __future__ import annotations

import pandas as pd

from roadmap.domain import cells, conversion, units
from roadmap.domain import columns as col
from roadmap.domain.errors import Problem
from roadmap.domain.matching import name_key, name_keys


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
        u: bool(u) and cells.readable(u)
        for u in pd.unique(trajectories[unit_columns].values.ravel())
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
