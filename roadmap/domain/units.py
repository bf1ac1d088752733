"""Units of emissions, activity and intensity, converted by pint.

Unit strings are kept as the user wrote them for display; pint only supplies the factor
between two of them, so that "Mt CO2e" and "t CO2e", or "kg CO2e/tkm" and "g CO2e/tkm", meet.
CO2 and CO2e are one dimension here, as os-climate ITR treats them: TPI publishes CO2 and OECM
CO2e for the same sectors, and a benchmark must be comparable with both.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pint

EMISSIONS_UNIT = "t CO2e"

_DEFINITIONS = [
    "CO2e = [emissions] = CO2 = CO2eq = CO2_eq",
    # Physical products of the MPP sectors, each its own dimension so that a tonne of steel
    # never converts into a tonne of cement.
    "Steel = [steel]",
    "Cement = [cement] = Clinker",
    "Aluminium = [aluminium] = Aluminum",
    "Paper = [paper]",
    "USD = [currency]",
    "passenger = [passenger]",
    "pkm = passenger * kilometer",
    # A tonne-kilometre of freight (shipping, trucking, aviation RTK).
    "tkm = metric_ton * kilometer = tonne_km",
    # pint reads "kt" as a knot; in emissions reporting it is a kilotonne.
    "kt = kilometric_ton",
]
# "tCO2e", "MtCO2e", "kgCO2": a mass prefix glued to the gas, common in spreadsheets.
_GLUED_MASS = re.compile(r"(?<![A-Za-z])([kMG]?[gt])(?=CO2)")


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
    measure different things (e.g. 't Steel' and 'tkm')."""
    ureg = registry()
    try:
        return float(ureg.Quantity(1, parse_unit(source)).to(parse_unit(target)).magnitude)
    except pint.errors.DimensionalityError as error:
        raise UnitError(f"'{source}' cannot be converted to '{target}'") from error


def compatible(a: str, b: str) -> bool:
    """True when both units parse and measure the same thing."""
    try:
        conversion_factor(a, b)
    except UnitError:
        return False
    return True


def is_emissions_unit(text: str) -> bool:
    """True for a mass of CO2e (e.g. 't CO2e', 'Mt CO2', 'kg CO2e')."""
    return compatible(text, EMISSIONS_UNIT)


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
