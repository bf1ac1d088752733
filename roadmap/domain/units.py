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

import os
import re
from collections.abc import Callable, Sequence
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


# pint parses its definition files each time a registry is built (about 0.1 s of a command
# that reconciles a small file in 0.6 s); with a cache folder it keeps them parsed on disk,
# keyed by the files' content, and builds a registry in about 0.02 s. ROADMAP_UNIT_CACHE names
# the folder ("off": none); by default pint's own folder in the user's cache directory.
UNIT_CACHE_VARIABLE = "ROADMAP_UNIT_CACHE"


def _cache_folder() -> str | None:
    chosen = os.environ.get(UNIT_CACHE_VARIABLE, "").strip()
    if chosen.lower() == "off":
        return None
    return chosen or ":auto:"


def _new_registry() -> pint.UnitRegistry:
    folder = _cache_folder()
    if folder is not None:
        try:
            return pint.UnitRegistry(on_redefinition="ignore", cache_folder=folder)
        except Exception:  # noqa: BLE001 - an unwritable or damaged cache: parse afresh
            pass
    return pint.UnitRegistry(on_redefinition="ignore")


@cache
def registry() -> pint.UnitRegistry:
    ureg = _new_registry()
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
        quantity = _quantity(cleaned)
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


# --- product units of sectors stored in the database ----------------------------------------
# A sector made in the browser brings a product unit of its own dimension ("Glass = [glass]").
# The database keeps them (roadmap/sectors/stored_units.py); the functions below put them in
# the registry. A unit string the registry cannot read asks the hook once to look for new
# ones, since another process may have made a sector since this one last looked.

# A product unit's name and aliases: a letter, then letters or underscores. No digits (pint
# would read "Glass2" as a power), no blanks or signs (they are pint's operators).
UNIT_NAME = re.compile(r"[A-Za-z][A-Za-z_]{1,39}")

_unknown_unit_hook: list[Callable[[], bool]] = []


def on_unknown_unit(hook: Callable[[], bool] | None) -> None:
    """Install ``hook`` (None: remove it): called when a unit string cannot be read, it
    defines any stored product units the registry lacks and returns True if it defined one,
    and the string is read again."""
    _unknown_unit_hook[:] = [hook] if hook is not None else []


def _quantity(cleaned: str) -> Any:
    try:
        return registry().Quantity(1, cleaned)
    except Exception:
        if not any(hook() for hook in _unknown_unit_hook):
            raise
        return registry().Quantity(1, cleaned)


def product_dimension(name: str) -> str:
    """The dimension of product unit ``name``, without brackets: 'Glass' -> 'glass'."""
    return name.lower()


def product_unit_problems(name: str, aliases: Sequence[str] = ()) -> list[str]:
    """Why ``name`` (with ``aliases``) cannot be defined as a new product unit: a name that is
    not letters and underscores, one the registry already reads (a unit of pint, of a
    built-in sector or of a stored one, or a prefix and such a unit: 'Gl' is a gigalitre), or
    a dimension already taken ('STEEL' would be [steel]); empty where it can."""
    problems = []
    for label, text in [("unit", name), *(("alias", alias) for alias in aliases)]:
        if not UNIT_NAME.fullmatch(text):
            problems.append(
                f"{label} '{text}': use 2 to 40 letters or underscores, starting with a letter"
            )
        elif text in registry():
            known = registry().get_name(text)
            also = "" if known == text else f" (as '{known}')"
            problems.append(f"{label} '{text}': already a unit{also}; choose another name")
    if len(set(aliases) | {name}) != len(aliases) + 1:
        problems.append("the unit and its aliases must all be different names")
    dimension = product_dimension(name)
    if not problems and _dimension_taken(dimension):
        problems.append(
            f"unit '{name}': its dimension [{dimension}] is already taken; choose another name"
        )
    return problems


def _dimension_taken(dimension: str) -> bool:
    try:
        registry().get_dimensionality(f"[{dimension}]")
    except ValueError:  # pint: "... is not defined as dimension"
        return False
    return True


def define_product_unit(name: str, aliases: Sequence[str] = ()) -> bool:
    """Define ``name = [dimension] = alias ...`` in the registry. True where it is new; False
    where it is already defined just so (defining twice changes nothing). UnitError where a
    name or the dimension already means something else: a unit is never redefined."""
    dimension = f"[{product_dimension(name)}]"
    if name in registry():
        same = registry().get_name(name) == name and dict(parse_unit(name).dimensionality) == {
            dimension: 1
        }
        if same and all(a in registry() and registry().get_name(a) == name for a in aliases):
            return False
        raise UnitError(f"'{name}' is already a unit of another kind; it is not redefined")
    problems = product_unit_problems(name, aliases)
    if problems:
        raise UnitError("; ".join(problems))
    registry().define(" = ".join([name, dimension, *aliases]))
    return True


def forget_stored_units() -> None:
    """Start again from the built-in units alone, as a new process does: the next lookup
    builds a new registry (and the hook defines stored units in it as they are asked for)."""
    registry.cache_clear()
    parse_unit.cache_clear()
    conversion_factor.cache_clear()


# A unit that stands in for a product unit not defined yet, to read the units written in it.
_PROBE = "new_product_unit_probe"


def dimensions_with(text: str, name: str, aliases: Sequence[str] = ()) -> dict[str, int]:
    """The dimensions of unit string ``text`` as if product unit ``name`` (and ``aliases``)
    were defined, without defining it: {'[mass]': 1, '[glass]': 1} for 't Glass'. UnitError
    where the string cannot be read even so."""
    if _PROBE in text:
        raise UnitError(f"unknown unit '{text}'")
    if _PROBE not in registry():
        registry().define(f"{_PROBE} = [{_PROBE}]")
    words = "|".join(re.escape(word) for word in [name, *aliases])
    probed = re.sub(rf"(?<![A-Za-z0-9_])({words})(?![A-Za-z0-9_])", _PROBE, text)
    try:
        found = dict(parse_unit(probed).dimensionality)
    except UnitError:
        raise UnitError(f"unknown unit '{text}'") from None
    dimension = f"[{product_dimension(name)}]"
    return {dimension if d == f"[{_PROBE}]" else d: int(p) for d, p in found.items()}
