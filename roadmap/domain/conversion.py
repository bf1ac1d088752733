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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import units
from roadmap.domain.errors import InputError, Problem

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
) -> Converted:
    """Convert each row of a validated trajectory table to its sector's units (see module).

    ``units_by_sector`` maps a sector to the intensity unit of the pathway it is reconciled
    against. Raises InputError naming file, row and column for every row that does not
    convert: another quantity, a missing clinker ratio or mass per passenger, or the other gas
    basis without ``treat_co2_as_co2e``.
    """
    frame = trajectories.reset_index(drop=True)
    for bridge in BRIDGES:
        if bridge.column not in frame:
            frame[bridge.column] = np.nan
    job = _Job(frame, units_by_sector, treat_co2_as_co2e, scenario)
    absolute = frame[col.ACTIVITY].notna()
    activity_units = job.activity_units(absolute)
    emissions_units = {s: units.emissions_unit(units.basis(u)) for s, u in units_by_sector.items()}
    sector = frame[col.SECTOR]
    to_activity = job.factors(absolute, col.ACTIVITY_UNIT, sector.map(activity_units), basis=False)
    to_emissions = job.factors(absolute, col.EMISSIONS_UNIT, sector.map(emissions_units))
    to_intensity = job.factors(~absolute, col.INTENSITY_UNIT, sector.map(units_by_sector))
    job.check_activity_units(absolute, activity_units, emissions_units)
    if job.problems:
        raise InputError(job.problems)
    frame[col.ACTIVITY] = frame[col.ACTIVITY] * to_activity
    frame[col.EMISSIONS] = frame[col.EMISSIONS] * to_emissions
    frame[col.INTENSITY] = (frame[col.INTENSITY] * to_intensity).where(~absolute)
    return Converted(frame, activity_units, emissions_units, job.notes())


class _Job:
    """The state of one conversion: the frame, the problems found and the relabelled rows."""

    def __init__(
        self, frame: pd.DataFrame, units_by_sector: dict[str, str], treat: bool, scenario: str
    ):
        self.frame = frame
        self.units_by_sector = units_by_sector
        self.treat = treat
        self.scenario = scenario
        self.name = str(frame.attrs.get("source", "trajectories"))
        self.problems: list[Problem] = []
        self.relabelled: dict[str, set[str]] = {}

    def flag(self, rows: pd.Index, column: str, message: str) -> None:
        self.problems += [
            Problem(self.name, int(r), column, message) for r in self.frame.loc[rows, col.ROW]
        ]

    def activity_units(self, absolute: pd.Series) -> dict[str, str]:
        """Per sector, the activity unit most of its rows use, once bridged (a tonne of
        clinker counts as a tonne of cement)."""
        given = self.frame.loc[absolute, [col.SECTOR, col.ACTIVITY_UNIT]]
        keys = given[col.SECTOR] + "\x1f" + given[col.ACTIVITY_UNIT]
        home = {}
        for key in keys.unique():  # a handful of units, however many rows
            sector, unit = key.split("\x1f")
            needed = _powers(f"1 / ({unit})", self.units_by_sector.get(sector, ""))
            home[key] = needed[-1][0].activity_unit if needed else unit
        counts = keys.map(home)
        return {
            str(sector): str(group.value_counts().sort_index().idxmax())
            for sector, group in counts.groupby(given[col.SECTOR])
        }

    def factors(
        self, mask: pd.Series, unit_column: str, targets: pd.Series, *, basis: bool = True
    ) -> pd.Series:
        """Per row under ``mask``, the factor from its ``unit_column`` to its target unit, each
        bridge's per-row value included; problems for rows that do not convert."""
        out = pd.Series(np.nan, index=self.frame.index)
        pairs = pd.DataFrame({"u": self.frame.loc[mask, unit_column], "t": targets[mask]})
        for (unit, target), rows in pairs.groupby(["u", "t"]).groups.items():
            source = bridged(str(unit), str(target))
            goal = str(target)
            if basis and not self._same_basis(rows, unit_column, str(unit), goal):
                continue
            if basis:
                source, goal = units.as_co2e(source), units.as_co2e(goal)
            try:
                factor = units.conversion_factor(source, goal)
            except units.UnitError:
                self._not_convertible(rows, unit_column, str(unit), str(target))
                continue
            out[rows] = factor * self._bridge_values(rows, str(unit), str(target))
        return out

    def _same_basis(self, rows: pd.Index, unit_column: str, unit: str, target: str) -> bool:
        have, want = units.basis(unit), units.basis(target)
        if have is None or want is None or have == want:
            return True
        if self.treat:
            sector = str(self.frame.at[rows[0], col.SECTOR])
            self.relabelled.setdefault(sector, set()).add(have)
            return True
        pathway = f"the {self.scenario} pathway" if self.scenario else "the pathway"
        self.flag(
            rows,
            unit_column,
            f"'{unit}' is {have} but {pathway} for "
            f"{self.frame.at[rows[0], col.SECTOR]} is in {want} ('{target}'); {have} and {want} "
            f"are different quantities: convert the figures, or state that they may be treated "
            f"as the same ({TREAT_FLAG})",
        )
        return False

    def _not_convertible(self, rows: pd.Index, unit_column: str, unit: str, target: str) -> None:
        sector = self.frame.at[rows[0], col.SECTOR]
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

    def _bridge_values(self, rows: pd.Index, unit: str, target: str) -> pd.Series | float:
        """Per row, the product of each bridge's value raised to its power (1.0 without one);
        flags the rows that lack a value."""
        value: pd.Series | float = 1.0
        for bridge, power in _powers(unit, target):
            given = self.frame.loc[rows, bridge.column].astype("float64")
            missing = given.isna()
            if missing.any():
                self.flag(rows[missing.to_numpy()], bridge.column, f"'{unit}': {bridge.needed}")
            value = value * given**power
        return value

    def check_activity_units(
        self, absolute: pd.Series, activity_units: dict[str, str], emissions_units: dict[str, str]
    ) -> None:
        """Each sector's activity unit must give its pathway's intensity unit."""
        for sector, activity_unit in activity_units.items():
            wanted = self.units_by_sector[sector]
            ratio = f"({emissions_units[sector]}) / ({activity_unit})"
            if not units.compatible(ratio, wanted):
                rows = self.frame.index[absolute & self.frame[col.SECTOR].eq(sector)]
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
