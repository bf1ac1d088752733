"""Units of emissions, activity and intensity, converted by pint.

Unit strings are kept as the user wrote them for display; pint only supplies the factor
between two of them, so that "Mt CO2e" and "t CO2e", or "kg CO2e/tkm" and "g CO2e/tkm", meet.

Nothing that is not the same quantity converts silently:

- CO2 and CO2e are two dimensions. TPI publishes CO2, OECM CO2e; a figure keeps its basis,
  and ``as_co2e`` relabels CO2 as CO2e only where the caller has been told they may be
  treated as the same (``roadmap.domain.conversion``).
- Clinker is not cement: a tonne of clinker becomes cement only through a clinker-to-cement
  ratio (t clinker per t cement) given with the figure.
- Aviation's activity is the revenue tonne-km (``RTK``, the same as ``tkm``). Passengers and
  passenger-km (``pkm``, ``RPK``) are units of their own and become tonne-km only through a
  mass per passenger given with the figure (conventionally 100 kg).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pint

CO2 = "CO2"
CO2E = "CO2e"
BASES = (CO2, CO2E)
EMISSIONS_UNIT = "t CO2e"

_DEFINITIONS = [
    "CO2e = [co2e] = CO2eq = CO2_eq",
    "CO2 = [co2]",
    # Physical products of the MPP sectors, each its own dimension so that a tonne of steel
    # never converts into a tonne of cement, nor a tonne of clinker into a tonne of cement.
    "Steel = [steel]",
    "Cement = [cement]",
    "Clinker = [clinker]",
    "Aluminium = [aluminium] = Aluminum",
    "Paper = [paper]",
    "USD = [currency]",
    "passenger = [passenger] = pax",
    "pkm = passenger * kilometer = RPK = passenger_km",
    # A tonne-kilometre of freight (shipping, trucking) or of revenue payload (aviation RTK).
    "tkm = metric_ton * kilometer = tonne_km = RTK",
    # pint reads "kt" as a knot; in emissions reporting it is a kilotonne.
    "kt = kilometric_ton",
]
# "tCO2e", "MtCO2e", "kgCO2": a mass prefix glued to the gas, common in spreadsheets.
_GLUED_MASS = re.compile(r"(?<![A-Za-z])([kMG]?[gt])(?=CO2)")
# CO2 as a whole word (not the start of CO2e, CO2eq or CO2_eq).
_CO2_WORD = re.compile(r"(?<![A-Za-z0-9_])CO2(?![A-Za-z0-9_])")


class UnitError(ValueError):
    """A unit string pint cannot read, or two units that do not convert into each other."""


@cache
def registry() -> pint.UnitRegistry:
    ureg: pint.UnitRegistry = pint.UnitRegistry(on_redefinition="ignore")
    for definition in _DEFINITIONS:
        ureg.define(definition)
    return ureg


def _normalise(text: str) -> str:
    return _GLUED_MASS.sub(r"\1 ", text.strip())


@cache
def parse_unit(text: str) -> Any:
    """Parse a unit string; raises UnitError naming it when pint cannot."""
    cleaned = _normalise(str(text))
    if not cleaned:
        raise UnitError("unit is empty")
    try:
        quantity = registry().Quantity(1, cleaned)
    except Exception as error:  # pint's parser fails in many ways (even AssertionError)
        raise UnitError(f"unknown unit '{text}'") from error
    if quantity.magnitude != 1:
        raise UnitError(f"'{text}' is a quantity, not a unit")
    return quantity.units


@cache
def conversion_factor(source: str, target: str) -> float:
    """Factor f with value[target] = value[source] * f. Raises UnitError if the two units
    measure different things (e.g. 't Steel' and 'tkm', 't CO2' and 't CO2e')."""
    ureg = registry()
    try:
        return float(ureg.Quantity(1, parse_unit(source)).to(parse_unit(target)).magnitude)
    except pint.errors.DimensionalityError as error:
        raise UnitError(f"'{source}' cannot be converted to '{target}'") from error


def compatible(a: str, b: str) -> bool:
    """True when both units parse and measure the same thing (on the same CO2/CO2e basis)."""
    try:
        conversion_factor(a, b)
    except UnitError:
        return False
    return True


def exponent(unit: str, dimension: str) -> int:
    """The power of ``dimension`` (e.g. "[clinker]") in ``unit``: 1 for 't Clinker', -1 for
    't CO2/(t Clinker)', 0 where absent or unreadable."""
    try:
        return int(parse_unit(unit).dimensionality.get(dimension, 0))
    except UnitError:
        return 0


def basis(unit: str) -> str | None:
    """'CO2' or 'CO2e': the gas basis of an emissions or intensity unit; None where the unit
    holds neither (an activity unit) or cannot be read."""
    if exponent(unit, "[co2e]"):
        return CO2E
    if exponent(unit, "[co2]"):
        return CO2
    return None


def as_co2e(unit: str) -> str:
    """The unit with CO2 relabelled as CO2e ('g CO2/tkm' -> 'g CO2e/tkm'), for callers told
    that the two may be treated as one; other units come back unchanged."""
    return _CO2_WORD.sub(CO2E, _normalise(str(unit)))


def compatible_any_basis(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` measure the same thing once CO2 is read as CO2e."""
    return compatible(as_co2e(a), as_co2e(b))


def emissions_unit(gas: str | None) -> str:
    """Tonnes of the basis: 't CO2' or 't CO2e' (CO2e where the basis is unknown)."""
    return f"t {gas or CO2E}"


def is_emissions_unit(text: str) -> bool:
    """True for a mass of CO2 or CO2e (e.g. 't CO2e', 'Mt CO2', 'kg CO2e')."""
    return compatible(as_co2e(text), EMISSIONS_UNIT)


def intensity_factor(emissions_unit: str, activity_unit: str, intensity_unit: str) -> float:
    """Factor f with intensity[intensity_unit] = emissions / activity * f."""
    return conversion_factor(f"({emissions_unit}) / ({activity_unit})", intensity_unit)


def emissions_factor(intensity_unit: str, activity_unit: str, emissions_unit: str) -> float:
    """Factor f with emissions[emissions_unit] = intensity * activity * f."""
    return conversion_factor(f"({intensity_unit}) * ({activity_unit})", emissions_unit)


def intensity_parts(intensity_unit: str) -> tuple[str, str] | None:
    """The emissions and activity units an intensity unit is the ratio of, as written
    ("t CO2e/(t Steel)" -> ("t CO2e", "t Steel"); "g CO2/tkm" -> ("g CO2", "tkm")), or None
    where it is not written as a mass of CO2e over one activity unit."""
    emissions, slash, activity = intensity_unit.partition("/")
    emissions, activity = emissions.strip(), activity.strip()
    if activity.startswith("(") and activity.endswith(")"):
        activity = activity[1:-1].strip()
    if not (slash and emissions and activity) or "/" in activity:
        return None
    if not is_emissions_unit(emissions) or not compatible(
        f"({emissions}) / ({activity})", intensity_unit
    ):
        return None
    return emissions, activity
