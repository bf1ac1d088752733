"""Which pathway each company is reconciled against.

A company (sector, region, scope) meets the scenario's pathway for the same sector and scope in
its region, or the Global one where the scenario has none for the region. Names match without
regard to case; the pathway table's spelling is the one shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, Problem
from roadmap.domain.keys import Factor, combine, distinct, factorize

GLOBAL = "Global"

COMBO = [col.SECTOR, col.REGION, col.SCOPE]


@dataclass(frozen=True)
class Match:
    scenario: str  # as the pathway table spells it
    trajectories: pd.DataFrame  # the rows as given
    combos: pd.DataFrame  # COMBO + pathway_region: the chosen scenario's pathway per company key
    benchmarks: pd.DataFrame  # COMBO + scenario + pathway_region for every scenario available
    warnings: tuple[str, ...]
    sectors: Factor  # each row's sector in the pathway table's spelling
    combo_of_row: np.ndarray  # each row's line of ``combos``


def match_companies(
    pathways: pd.DataFrame,
    trajectories: pd.DataFrame,
    scenario: str,
    keys: dict[str, Factor] | None = None,
) -> Match:
    """Resolve the scenario and each company's pathway; InputError for an unknown scenario,
    an unknown sector, or a sector or scope the scenario does not cover. ``keys``: the
    sector, region and scope columns already factorised (else they are read here)."""
    p_name = str(pathways.attrs.get("source", "pathways"))
    t_name = str(trajectories.attrs.get("source", "trajectories"))
    chosen = resolve_scenario(pathways, scenario, p_name)
    keys = keys or {k: factorize(trajectories[k]) for k in COMBO}
    sectors = _canonical_sectors(pathways, trajectories, keys[col.SECTOR], p_name)
    parts = [sectors, keys[col.REGION], keys[col.SCOPE]]
    inverse, first, _ = distinct(combine([f.codes for f in parts], [len(f.names) for f in parts]))
    named = [tuple(str(f.names[f.codes[i]]) for f in parts) for i in first]
    order = sorted(range(len(named)), key=named.__getitem__)
    place = np.empty(len(order), dtype="int64")
    place[order] = np.arange(len(order))
    # The regions of each (sector, scenario, scope), and each sector's scenarios: a few dozen
    # pathways, looked up once per company key.
    regions: dict[tuple[str, str, str], dict[str, None]] = {}  # in order of first row
    scenarios: dict[str, set[str]] = {}
    for sector, name, region, scope in zip(
        pathways[col.SECTOR],
        pathways[col.SCENARIO],
        pathways[col.REGION],
        pathways[col.SCOPE],
        strict=True,
    ):
        regions.setdefault((sector, name, scope), {})[region] = None
        scenarios.setdefault(sector, set()).add(name)
    rows, bench, warnings, problems = [], [], [], []
    for j in order:
        sector, region, scope = named[j]
        for name in sorted(scenarios.get(sector, ())):
            found = pathway_region(regions.get((sector, name, scope), {}), region)
            if found is not None:
                bench.append((sector, region, scope, name, found))
        found = pathway_region(regions.get((sector, chosen, scope), {}), region)
        if found is None:
            available = pathways[COMBO[:1] + [col.SCENARIO, col.REGION, col.SCOPE]]
            where = trajectories.loc[inverse == j, col.ROW]
            problems += _no_pathway(available, where, t_name, chosen, sector, region, scope)
            continue
        if found.casefold() != region.casefold():
            warnings.append(
                f"{sector} {scope} companies in region '{region}' are compared with "
                f"the {found} pathway of {chosen} (it has none for '{region}')"
            )
        rows.append((sector, region, scope, found))
    if problems:
        raise InputError(problems)
    combos = pd.DataFrame(rows, columns=COMBO + ["pathway_region"])
    benchmarks = pd.DataFrame(bench, columns=COMBO + [col.SCENARIO, "pathway_region"])
    return Match(chosen, trajectories, combos, benchmarks, tuple(warnings), sectors, place[inverse])


def name_key(name: str) -> str:
    """The identity of a name (a company, a sector): letter case and runs of blanks do not
    count, so "NORTHWIND  STEEL " and "Northwind Steel" are one company. The one rule for
    checks, look-ups and the database's unique key."""
    return " ".join(str(name).split()).casefold()


def name_keys(names: pd.Series) -> pd.Series:
    """``name_key`` of each name, vectorised."""
    return names.astype(str).str.split().str.join(" ").str.casefold()


def tidy_name(name: str) -> str:
    """A name as stored: surrounding blanks removed and inner runs of blanks made one."""
    return " ".join(str(name).split())


def canonical_scenario(names: Iterable[str], asked: str) -> str | None:
    """The spelling among ``names`` of the scenario ``asked`` for: names match without regard
    to case or surrounding blanks ("tpi 1.5 degrees " is "TPI 1.5 Degrees"); None if absent."""
    wanted = asked.strip().casefold()
    return next((str(n) for n in names if str(n).casefold() == wanted), None)


def pathway_region(regions: Iterable[str], region: str) -> str | None:
    """Of the regions a scenario has a pathway for, the one a company (or platform) in
    ``region`` is compared with: its own, else Global (names match without regard to case);
    None where the scenario has neither."""
    spelled = {str(r).casefold(): str(r) for r in regions}
    return spelled.get(region.casefold()) or spelled.get(GLOBAL.casefold())


def resolve_scenario(pathways: pd.DataFrame, scenario: str, p_name: str) -> str:
    names = sorted(pathways[col.SCENARIO].unique())
    found = canonical_scenario(names, scenario)
    if found is not None:
        return found
    raise InputError(
        [
            Problem(
                p_name,
                None,
                col.SCENARIO,
                f"no scenario named '{scenario}'; this file has: "
                + ", ".join(f"'{n}'" for n in names),
            )
        ]
    )


def _canonical_sectors(
    pathways: pd.DataFrame, trajectories: pd.DataFrame, sectors: Factor, p_name: str
) -> Factor:
    problems = unknown_sector_problems(pathways, trajectories, p_name=p_name, sectors=sectors)
    if problems:
        raise InputError(problems)
    spelling = _sector_spelling(pathways)
    return sectors.renamed([spelling[str(s).casefold()] for s in sectors.names])


def _sector_spelling(pathways: pd.DataFrame) -> dict[str, str]:
    return {str(s).casefold(): str(s) for s in pathways[col.SECTOR].unique()}


def unknown_sector_problems(
    pathways: pd.DataFrame,
    trajectories: pd.DataFrame,
    *,
    p_name: str,
    sectors: Factor | None = None,
) -> list[Problem]:
    """A problem for each trajectory row whose sector has no pathway in ``pathways`` (names
    match without regard to case). Reads only the sector column (``sectors`` where it is
    factorised already), so it runs beside the row checks of a file not yet valid."""
    t_name = str(trajectories.attrs.get("source", "trajectories"))
    spelling = _sector_spelling(pathways)
    sectors = sectors or factorize(trajectories[col.SECTOR])
    unknown_name = np.array([str(s).casefold() not in spelling for s in sectors.names], dtype=bool)
    unknown = unknown_name[sectors.codes]
    if not unknown.any():
        return []
    known = ", ".join(sorted(spelling.values()))
    rows = trajectories[col.ROW].to_numpy()[unknown]
    return [
        Problem(
            t_name, int(r), col.SECTOR, f"unknown sector '{s}': {p_name} has pathways for {known}"
        )
        for s, r in zip(sectors.values(np.flatnonzero(unknown)), rows, strict=True)
    ]


def _no_pathway(
    available: pd.DataFrame,
    rows: pd.Series,
    t_name: str,
    scenario: str,
    sector: str,
    region: str,
    scope: str,
) -> list[Problem]:
    offered = available[(available[col.SECTOR] == sector) & (available[col.SCENARIO] == scenario)]
    if offered.empty:
        column, message = col.SECTOR, f"scenario '{scenario}' has no pathway for {sector}"
    elif not offered[col.SCOPE].eq(scope).any():
        column = col.SCOPE
        message = (
            f"scenario '{scenario}' has no {sector} pathway for scope {scope}; it has "
            + ", ".join(sorted(offered[col.SCOPE].unique()))
        )
    else:
        column = col.REGION
        message = f"scenario '{scenario}' has no {sector} {scope} pathway for '{region}' nor Global"
    return [Problem(t_name, int(r), column, message) for r in rows]


def sector_units(pathways: pd.DataFrame, scenario: str, sectors: pd.Series) -> dict[str, str]:
    """The intensity unit each sector's figures are shown in: the chosen scenario's unit for
    that sector (validation guarantees all its pathways convert to it)."""
    wanted = set(sectors.unique())
    first: dict[str, str] = {}
    for sector, name, unit in zip(
        pathways[col.SECTOR], pathways[col.SCENARIO], pathways[col.INTENSITY_UNIT], strict=True
    ):
        if name == scenario and sector in wanted:
            first.setdefault(str(sector), str(unit))
    return {sector: first[sector] for sector in sorted(first)}
