"""Benchmark labels ranked by temperature (DESIGN.md, "benchmark alignment"; TPI's method).

At year t a company is labelled with the lowest-temperature benchmark whose curve S(t) is at or
above its intensity C(t), else ``not aligned``. Ambition is the benchmark's temperature (the
pathway file's ``temperature`` column), never its mean intensity: two vintages of one benchmark
family can cross each other.

Which scenarios label one reconciliation (its *benchmark set*): the scenarios with a temperature
of the same family as the chosen one, a family being the first word of the name ("TPI 1.5
Degrees" and "TPI Below 2 Degrees" are TPI's; "OECM 1.5 Degrees" is OECM's), so TPI's labels
are TPI's benchmarks, as TPI publishes them. Where the chosen scenario's family has no
temperature (a platform roadmap), every scenario with a temperature labels. Two scenarios of
one set with the same temperature and different curves for one company are refused: the label
would depend on which of them was looked at first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import metrics
from roadmap.domain.curves import Curves
from roadmap.domain.errors import ReconcileError

# TPI's assessment years, at which the company page shows the label and the gap.
ASSESSMENT_YEARS = (2025, 2030, 2035, 2050)
COMBO = [col.SECTOR, col.REGION, col.SCOPE]


def scenario_temperatures(pathways: pd.DataFrame) -> dict[tuple[str, str], float]:
    """{(sector, scenario): benchmark temperature in degC} for the scenarios that give one
    (a validated pathway table has one value per scenario)."""
    if col.TEMPERATURE not in pathways:
        return {}
    given = pathways[col.TEMPERATURE].notna().to_numpy()
    out: dict[tuple[str, str], float] = {}
    for sector, scenario, temperature, known in zip(
        pathways[col.SECTOR],
        pathways[col.SCENARIO],
        pathways[col.TEMPERATURE],
        given,
        strict=True,
    ):
        if known:
            out.setdefault((sector, scenario), float(temperature))
    return out


def family(scenario: str) -> str:
    """A scenario's benchmark family: the first word of its name, without regard to case."""
    words = scenario.split()
    return words[0].casefold() if words else ""


def benchmark_set(temperatures: dict[tuple[str, str], float], chosen: str) -> set[str]:
    """The scenario names whose curves label a reconciliation against ``chosen`` (module
    docstring): its family's scenarios with a temperature, else every one with a temperature."""
    rated = {scenario for _, scenario in temperatures}
    return _own_family(rated, chosen) or rated


def _own_family(rated: set[str], chosen: str) -> set[str]:
    return {s for s in rated if family(s) == family(chosen)}


def benchmark_table(
    benchmarks: pd.DataFrame,
    curves: Curves,
    temperatures: dict[tuple[str, str], float],
    chosen: str,
) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """Per company key (sector, region, scope), the curve codes of its benchmark set ordered
    from the lowest to the highest temperature (``matrix[combo]``, padded with -1), and notes.

    ``benchmarks`` lists COMBO + scenario + pathway_region for every scenario that has a
    pathway for the key. Raises ReconcileError for rival benchmarks (same temperature,
    different curves) in the chosen scenario's family; where the chosen scenario belongs to
    no rated family, rivals leave the key unlabelled with a note instead. Of two benchmarks
    with the same curve, the first by name is kept.
    """
    named = benchmark_set(temperatures, chosen)
    strict = bool(_own_family(named, chosen))
    keys, lists, notes = [], [], []
    for key, group in benchmarks.groupby(COMBO, sort=True):
        rated = [
            (temperatures[(r.sector, r.scenario)], r.scenario, r.pathway_region)
            for r in group.itertuples(index=False)
            if r.scenario in named and (r.sector, r.scenario) in temperatures
        ]
        codes = [
            (t, name, curves.find(key[0], name, region, key[2]))
            for t, name, region in sorted(rated)
        ]
        keys.append(key)
        try:
            kept = refuse_rival_benchmarks(codes, curves)
        except ReconcileError as error:
            if strict:
                raise
            notes.append(f"{error}; benchmark_alignment is left empty")
            kept = []
        lists.append(np.array([code for _, _, code in kept], dtype="int64"))
    width = max((len(c) for c in lists), default=0)
    matrix = np.full((len(lists), width), -1, dtype="int64")
    for i, row in enumerate(lists):
        matrix[i, : len(row)] = row
    table = pd.DataFrame(keys, columns=COMBO)
    table["combo"] = np.arange(len(table))
    return table, matrix, list(dict.fromkeys(notes))


def refuse_rival_benchmarks(
    ranked: list[tuple[float, str, int]], curves: Curves
) -> list[tuple[float, str, int]]:
    """``ranked``: (temperature, scenario, curve code) sorted by temperature then name. Returns
    it with repeats of one curve under another name dropped; raises ReconcileError where two
    scenarios share a temperature but not a curve."""
    kept: list[tuple[float, str, int]] = []
    for entry in ranked:
        same = [k for k in kept if k[0] == entry[0]]
        if not same:
            kept.append(entry)
        elif not _same_curve(curves, same[0][2], entry[2]):
            sector = curves.keys.at[entry[2], col.SECTOR]
            raise ReconcileError(
                f"'{same[0][1]}' and '{entry[1]}' are both {entry[0]:g} degC benchmarks for "
                f"{sector} with different curves: a label could name either. Reconcile with "
                "one of them (keep one vintage of each benchmark in the pathway files)"
            )
    return kept


def _same_curve(curves: Curves, a: int, b: int) -> bool:
    return bool(
        curves.first_year[a] == curves.first_year[b]
        and curves.last_year[a] == curves.last_year[b]
        and np.array_equal(curves.intensity[a], curves.intensity[b], equal_nan=True)
    )


def labels(
    current: np.ndarray,
    values: list[np.ndarray],
    matrix: np.ndarray,
    combo: np.ndarray,
    scenarios: np.ndarray,
) -> np.ndarray:
    """Label per row. ``matrix`` (company keys x K) lists each key's benchmark curve codes
    from the lowest to the highest temperature (-1 where a key has fewer than K), ``combo``
    each row's key, ``values[j]`` each row's S(t) of its j-th benchmark (NaN where it does not
    cover the year or there is none) and ``scenarios`` each curve's scenario name. The first
    name whose S(t) >= C(t) (within the alignment rounding of DESIGN.md), else "not aligned";
    "" where the row has no benchmark at all."""
    n_keys, k = matrix.shape
    if k == 0:
        return np.full(len(current), "", dtype=object)
    # Each key's codes followed by two indices past the scenario names: "not aligned", or ""
    # for a key with no benchmark at all.
    words = np.append(scenarios.astype(object), [col.NOT_ALIGNED, ""])
    none = np.where((matrix >= 0).any(axis=1), len(scenarios), len(scenarios) + 1)
    codes = np.column_stack([matrix, none])
    # The column of the first benchmark met: from the highest temperature down, a lower one
    # met replaces it.
    column = np.full(len(current), k, dtype=np.intp)
    for j in range(k - 1, -1, -1):
        column[metrics.is_aligned(current, values[j])] = j
    return words.take(codes.ravel().take(combo * (k + 1) + column))
