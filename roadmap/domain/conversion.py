"""A trajectory's figures in its sector's units: the one place where they are converted.

``to_sector_units`` brings every row of a validated trajectory table to what its sector's
pathway measures: activity to one activity unit per sector, emissions to tonnes of the
pathway's basis (t CO2 or t CO2e), intensity-only rows to the pathway's intensity unit.
Three conversions are never silent:

- **CO2 vs CO2e.** A figure on the other basis than the pathway's is refused unless the caller
  states the two may be treated as the same (``treat_co2_as_co2e``); then it is relabelled
  (factor 1) and a note says so.
- **Clinker.** A figure per tonne of clinker (or a tonne of clinker as activity) becomes one
  per tonne of cement only through the row's ``clinker_ratio`` r (t clinker per t cement):
  I_cement = I_clinker * r; A_cement = A_clinker / r.
- **Passengers.** A figure per passenger-km (pkm, RPK) becomes one per tonne-km (RTK) only
  through the row's ``kg_per_passenger`` m (the convention is 100 kg):
  I_tkm = I_pkm / (m / 1000); A_tkm = A_pkm * m / 1000.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import units
from roadmap.domain.errors import InputError, Problem
from roadmap.domain.keys import Factor, combine, distinct, factorize

TREAT_FLAG = "treat_co2_as_co2e"


@dataclass(frozen=True)
class Bridge:
    """A per-row figure that turns one dimension into another: ``unit`` is the unit of the
    row's value in ``column``, in which ``dimension`` has the power ``power``."""

    column: str
    dimension: str
    unit: str
    power: int
    activity_unit: str  # what an activity in ``dimension`` becomes
    needed: str  # says what is missing


BRIDGES = (
    Bridge(
        col.CLINKER_RATIO,
        "[clinker]",
        "Clinker / Cement",
        1,
        "t Cement",
        "a figure per tonne of clinker needs the clinker-to-cement ratio (t clinker per t "
        "cement, 0 < r <= 1) in column 'clinker_ratio' to become one per tonne of cement",
    ),
    Bridge(
        col.KG_PER_PASSENGER,
        "[passenger]",
        "kg / passenger",
        -1,
        "tkm",
        "passenger-km convert to revenue tonne-km (RTK) only with the mass per passenger in "
        "column 'kg_per_passenger' (the convention is 100 kg); none is given",
    ),
)


@dataclass(frozen=True)
class _Pairs:
    """Distinct (unit, target) pairs: ``rows`` the rows judged, ``inverse`` each one's pair,
    ``first`` each pair's first row (index into ``rows``), ``names`` the pairs."""

    rows: np.ndarray
    inverse: np.ndarray
    first: np.ndarray
    names: list[tuple[str, str]]


@dataclass(frozen=True)
class Converted:
    """``frame``: the rows with activity, emissions and intensity in the sector's units;
    ``activity_units`` and ``emissions_units`` per sector; ``notes``: conversions the user
    must be told about (CO2 treated as CO2e)."""

    frame: pd.DataFrame
    activity_units: dict[str, str]
    emissions_units: dict[str, str]
    notes: tuple[str, ...]


def _powers(unit: str, target: str) -> list[tuple[Bridge, int]]:
    """The bridges ``unit`` needs to measure what ``target`` measures, with the power each is
    raised to: p with p * bridge.power = (power in target) - (power in unit)."""
    out = []
    for bridge in BRIDGES:
        change = units.exponent(target, bridge.dimension) - units.exponent(unit, bridge.dimension)
        if change:
            out.append((bridge, change // bridge.power))
    return out


def bridged(unit: str, target: str) -> str:
    """``unit`` with the bridges it needs to meet ``target`` multiplied in symbolically, e.g.
    '(t CO2/(t Clinker)) * (Clinker / Cement)**1' for target 't CO2/(t Cement)'."""
    text = f"({unit})"
    for bridge, power in _powers(unit, target):
        text += f" * ({bridge.unit})**{power}"
    return text


def fits(unit: str, target: str) -> bool:
    """True when ``unit`` can be brought to ``target`` by a bridge and a CO2/CO2e relabel (so
    a submission may be stored; the reconciliation decides whether it is allowed)."""
    return units.compatible_any_basis(bridged(unit, target), target)


def missing_bridges(frame: pd.DataFrame, target: str, unit_column: str, mask: pd.Series) -> list:
    """(row index, bridge) for each row under ``mask`` whose unit needs a bridge to meet
    ``target`` and lacks its value."""
    out = []
    for unit, rows in frame.loc[mask].groupby(unit_column).groups.items():
        for bridge, _ in _powers(str(unit), target):
            values = frame.loc[rows, bridge.column] if bridge.column in frame else None
            given = values.notna() if values is not None else pd.Series(False, index=rows)
            out += [(i, bridge) for i in rows if not given[i]]
    return out


def to_sector_units(
    trajectories: pd.DataFrame,
    units_by_sector: dict[str, str],
    *,
    treat_co2_as_co2e: bool = False,
    scenario: str = "",
    sectors: Factor | None = None,
) -> Converted:
    """Convert each row of a validated trajectory table to its sector's units (see module).

    ``units_by_sector`` maps a sector to the intensity unit of the pathway it is reconciled
    against; ``sectors``, each row's sector already factorised (else it is read here). Raises
    InputError naming file, row and column for every row that does not convert: another
    quantity, a missing clinker ratio or mass per passenger, or the other gas basis without
    ``treat_co2_as_co2e``. Units are read once per distinct unit, not per row.
    """
    frame = trajectories.reset_index(drop=True)
    for bridge in BRIDGES:
        if bridge.column not in frame:
            frame[bridge.column] = np.nan
    sectors = sectors or factorize(frame[col.SECTOR])
    job = _Job(frame, sectors, units_by_sector, treat_co2_as_co2e, scenario)
    absolute = frame[col.ACTIVITY].notna().to_numpy()
    activity_units = job.activity_units(absolute)
    emissions_units = {s: units.emissions_unit(units.basis(u)) for s, u in units_by_sector.items()}
    to_activity = job.factors(absolute, col.ACTIVITY_UNIT, activity_units, basis=False)
    to_emissions = job.factors(absolute, col.EMISSIONS_UNIT, emissions_units)
    to_intensity = job.factors(~absolute, col.INTENSITY_UNIT, units_by_sector)
    job.check_activity_units(absolute, activity_units, emissions_units)
    if job.problems:
        raise InputError(job.problems)
    intensity = frame[col.INTENSITY].to_numpy(dtype="float64") * to_intensity
    frame = frame.assign(
        **{
            col.ACTIVITY: frame[col.ACTIVITY].to_numpy(dtype="float64") * to_activity,
            col.EMISSIONS: frame[col.EMISSIONS].to_numpy(dtype="float64") * to_emissions,
            col.INTENSITY: np.where(absolute, np.nan, intensity),
        }
    )
    return Converted(frame, activity_units, emissions_units, job.notes())


class _Job:
    """The state of one conversion: the frame, the problems found and the relabelled rows.
    Work is done per distinct (unit, sector) pair and spread to rows by integer codes."""

    def __init__(
        self,
        frame: pd.DataFrame,
        sectors: Factor,
        units_by_sector: dict[str, str],
        treat: bool,
        scenario: str,
    ):
        self.frame = frame
        self.sectors = sectors
        self.units_by_sector = units_by_sector
        self.treat = treat
        self.scenario = scenario
        self.name = str(frame.attrs.get("source", "trajectories"))
        self.problems: list[Problem] = []
        self.relabelled: dict[str, set[str]] = {}
        self._units: dict[str, Factor] = {}

    def unit_factor(self, column: str) -> Factor:
        if column not in self._units:
            self._units[column] = factorize(self.frame[column])
        return self._units[column]

    def sector_of(self, row: int) -> str:
        return str(self.sectors.names[self.sectors.codes[row]])

    def flag(self, rows: np.ndarray, column: str, message: str) -> None:
        numbers = self.frame[col.ROW].to_numpy()[rows]
        self.problems += [Problem(self.name, int(r), column, message) for r in numbers]

    def _pairs(self, mask: np.ndarray, column: str, per_sector: Sequence[str | None]) -> _Pairs:
        """The distinct (unit, sector's target) pairs of the rows under ``mask``."""
        unit = self.unit_factor(column)
        target = factorize(np.array([t or "" for t in per_sector], dtype=object))
        has_target = np.array([t is not None for t in per_sector], dtype=bool)
        rows = np.flatnonzero(mask & has_target[self.sectors.codes])
        target_code = target.codes[self.sectors.codes[rows]]
        code = combine([unit.codes[rows], target_code], [len(unit.names), len(target.names)])
        inverse, first, _ = distinct(code)
        names = [
            (str(unit.names[unit.codes[rows[i]]]), str(target.names[target_code[i]])) for i in first
        ]
        return _Pairs(rows, inverse, first, names)

    def activity_units(self, absolute: np.ndarray) -> dict[str, str]:
        """Per sector, the activity unit most of its rows use, once bridged (a tonne of
        clinker counts as a tonne of cement); of two as common, the first by name."""
        sector_names = [str(s) for s in self.sectors.names]
        pairs = self._pairs(absolute, col.ACTIVITY_UNIT, sector_names)
        counts = np.bincount(pairs.inverse, minlength=len(pairs.names))
        tally: dict[str, dict[str, int]] = {}
        for (unit, sector), count in zip(pairs.names, counts, strict=True):
            needed = _powers(f"1 / ({unit})", self.units_by_sector.get(sector, ""))
            home = needed[-1][0].activity_unit if needed else unit
            homes = tally.setdefault(sector, {})
            homes[home] = homes.get(home, 0) + int(count)
        return {
            sector: max(sorted(homes), key=lambda home: homes[home])
            for sector, homes in sorted(tally.items())
        }

    def factors(
        self, mask: np.ndarray, unit_column: str, targets: dict[str, str], *, basis: bool = True
    ) -> np.ndarray:
        """Per row under ``mask``, the factor from its ``unit_column`` to its sector's target
        unit, each bridge's per-row value included; problems for rows that do not convert."""
        out = np.full(len(self.frame), np.nan)
        per_sector = [targets.get(str(s)) for s in self.sectors.names]
        pairs = self._pairs(mask, unit_column, per_sector)
        factor = np.full(len(pairs.names), np.nan)
        bridged_rows: list[tuple[np.ndarray, float, str, str]] = []
        for k in sorted(range(len(pairs.names)), key=pairs.names.__getitem__):
            unit, target = pairs.names[k]
            rows = pairs.rows[pairs.inverse == k] if len(pairs.names) > 1 else pairs.rows
            source, goal = bridged(unit, target), target
            if basis and not self._same_basis(rows, unit_column, unit, goal):
                continue
            if basis:
                source, goal = units.as_co2e(source), units.as_co2e(goal)
            try:
                factor[k] = units.conversion_factor(source, goal)
            except units.UnitError:
                self._not_convertible(rows, unit_column, unit, target)
                continue
            if _powers(unit, target):
                bridged_rows.append((rows, float(factor[k]), unit, target))
        out[pairs.rows] = factor[pairs.inverse]
        for rows, value, unit, target in bridged_rows:
            out[rows] = value * self._bridge_values(rows, unit, target)
        return out

    def _same_basis(self, rows: np.ndarray, unit_column: str, unit: str, target: str) -> bool:
        have, want = units.basis(unit), units.basis(target)
        if have is None or want is None or have == want:
            return True
        if self.treat:
            self.relabelled.setdefault(self.sector_of(rows[0]), set()).add(have)
            return True
        pathway = f"the {self.scenario} pathway" if self.scenario else "the pathway"
        self.flag(
            rows,
            unit_column,
            f"'{unit}' is {have} but {pathway} for "
            f"{self.sector_of(rows[0])} is in {want} ('{target}'); {have} and {want} "
            f"are different quantities: convert the figures, or state that they may be treated "
            f"as the same ({TREAT_FLAG})",
        )
        return False

    def _not_convertible(self, rows: np.ndarray, unit_column: str, unit: str, target: str) -> None:
        sector = self.sector_of(rows[0])
        where = (
            f"used by other {sector} companies"
            if unit_column == col.ACTIVITY_UNIT
            else f"the unit of the {sector} pathway"
            if unit_column == col.INTENSITY_UNIT
            else f"the basis of the {sector} pathway"
        )
        sep = " " if unit_column == col.ACTIVITY_UNIT else ", "
        self.flag(
            rows, unit_column, f"mixed units: '{unit}' does not convert to '{target}'{sep}{where}"
        )

    def _bridge_values(self, rows: np.ndarray, unit: str, target: str) -> np.ndarray | float:
        """Per row, the product of each bridge's value raised to its power (1.0 without one);
        flags the rows that lack a value."""
        value: np.ndarray | float = 1.0
        for bridge, power in _powers(unit, target):
            given = self.frame[bridge.column].to_numpy(dtype="float64")[rows]
            missing = np.isnan(given)
            if missing.any():
                self.flag(rows[missing], bridge.column, f"'{unit}': {bridge.needed}")
            value = value * given**power
        return value

    def check_activity_units(
        self, absolute: np.ndarray, activity_units: dict[str, str], emissions_units: dict[str, str]
    ) -> None:
        """Each sector's activity unit must give its pathway's intensity unit."""
        for sector, activity_unit in activity_units.items():
            wanted = self.units_by_sector[sector]
            ratio = f"({emissions_units[sector]}) / ({activity_unit})"
            if not units.compatible(ratio, wanted):
                code = [str(s) for s in self.sectors.names].index(sector)
                rows = np.flatnonzero(absolute & (self.sectors.codes == code))
                self.flag(
                    rows,
                    col.ACTIVITY_UNIT,
                    f"activity in '{activity_unit}' cannot give an intensity in "
                    f"'{wanted}' (the {sector} pathway's unit)",
                )

    def notes(self) -> tuple[str, ...]:
        return tuple(
            f"{sector}: figures in {' and '.join(sorted(gases))} treated as "
            f"{units.basis(self.units_by_sector[sector])}, the basis of "
            f"{'the ' + self.scenario + ' pathway' if self.scenario else 'its pathway'} "
            f"({TREAT_FLAG})"
            for sector, gases in sorted(self.relabelled.items())
        )
