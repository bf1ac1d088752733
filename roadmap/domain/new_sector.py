"""The rules a sector made in the browser follows: its name, its product unit of a dimension
of its own, and the units its figures are written in. Pure; the form and the API both call
``sector_problems``.

The product unit (e.g. ``Glass``, dimension [glass]) is what makes a tonne of glass ("t Glass")
a quantity of its own: it never converts into a tonne of steel ("t Steel") nor into a plain
tonne. Companies report activity in the activity unit (the product unit or a mass of it), and
intensities are written as emissions over it ("t CO2e/(t Glass)").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from roadmap.domain import units
from roadmap.domain.matching import name_key, tidy_name
from roadmap.domain.names import name_problem

# The sectors whose units are defined in code (roadmap/domain/units.py) and whose pathways
# ship in data/pathways: a sector made in the browser never takes one of their names.
BUILT_IN_SECTORS = ("Aluminium", "Aviation", "Cement", "Chemicals", "Shipping", "Steel", "Trucking")
MAX_SECTOR_NAME = 100
# Letters (any script), digits, blanks and a few signs; nothing a page, a file or a URL would
# read as something else.
_SECTOR_NAME = re.compile(r"[^\W_][\w .,&()'/-]*")


@dataclass(frozen=True)
class NewSector:
    name: str  # e.g. "Glass"
    unit: str  # the product unit, e.g. "Glass"
    activity_unit: str  # e.g. "t Glass"
    intensity_unit: str  # e.g. "t CO2e/(t Glass)"
    aliases: tuple[str, ...] = ()  # other names of the product unit


def new_sector(
    name: str,
    unit: str,
    activity_unit: str = "",
    intensity_unit: str = "",
    aliases: tuple[str, ...] = (),
) -> NewSector:
    """A sector as typed, blanks tidied: a blank activity unit is tonnes of the product
    ("t Glass"), a blank intensity unit tonnes of CO2e per activity unit."""
    unit = unit.strip()
    activity = activity_unit.strip() or f"t {unit}"
    return NewSector(
        name=tidy_name(name),
        unit=unit,
        activity_unit=activity,
        intensity_unit=intensity_unit.strip() or f"t CO2e/({activity})",
        aliases=tuple(a.strip() for a in aliases if a.strip()),
    )


def parse_aliases(text: str) -> tuple[str, ...]:
    """Aliases typed as "Glas, Vitrum" (commas or blanks between them)."""
    return tuple(a for a in re.split(r"[,\s]+", text.strip()) if a)


def sector_problems(sector: NewSector, stored: Iterable[str]) -> list[tuple[str, str]]:
    """(field, message) for each rule ``sector`` breaks; ``stored`` are the names of the
    sectors already stored. Fields: name, unit, aliases, activity_unit, intensity_unit."""
    problems = [("name", p) for p in _name_problems(sector.name, stored)]
    unit_problems = units.product_unit_problems(sector.unit, list(sector.aliases))
    for problem in unit_problems:
        problems.append(("aliases" if problem.startswith("alias") else "unit", problem))
    if unit_problems:
        return problems  # the units written in it cannot be read yet
    activity = _activity_problems(sector)
    if activity:  # intensities are written per activity unit
        return problems + [("activity_unit", p) for p in activity]
    return problems + [("intensity_unit", p) for p in _intensity_problems(sector)]


def _name_problems(name: str, stored: Iterable[str]) -> list[str]:
    problem = name_problem(name)
    if problem:
        return [problem]
    if len(name) > MAX_SECTOR_NAME:
        return [f"longer than {MAX_SECTOR_NAME} characters"]
    if not _SECTOR_NAME.fullmatch(name):
        return ["use letters, digits, blanks and . , & ( ) ' / - only, starting with a letter"]
    key = name_key(name)
    if key in {name_key(s) for s in BUILT_IN_SECTORS}:
        return [f"'{name}' is a built-in sector"]
    if key in {name_key(s) for s in stored}:
        return [f"a sector named '{name}' exists"]
    return []


def _dimensions(text: str, sector: NewSector) -> dict[str, int] | str:
    try:
        return units.dimensions_with(text, sector.unit, sector.aliases)
    except units.UnitError as error:
        return str(error)


def _activity_problems(sector: NewSector) -> list[str]:
    product = f"[{units.product_dimension(sector.unit)}]"
    found = _dimensions(sector.activity_unit, sector)
    if isinstance(found, str):
        return [found]
    if found not in ({product: 1}, {product: 1, "[mass]": 1}):
        return [
            f"'{sector.activity_unit}' is not an amount of {sector.unit}: write {sector.unit} "
            f"or a mass of it, e.g. 't {sector.unit}'"
        ]
    return []


def _intensity_problems(sector: NewSector) -> list[str]:
    product = f"[{units.product_dimension(sector.unit)}]"
    found = _dimensions(sector.intensity_unit, sector)
    if isinstance(found, str):
        return [found]
    wanted = f"t CO2e/({sector.activity_unit})"
    if found == {"[co2e]": 1, product: 1} or found == {"[co2]": 1, product: 1}:
        emissions, _, per = sector.intensity_unit.partition("/")
        return [
            f"'{sector.intensity_unit}' reads as ({emissions.strip()} / ...) times "
            f"{sector.unit}: put the activity in brackets, e.g. '{emissions.strip()}/"
            f"({per.strip()})'"
        ]
    activity = _dimensions(sector.activity_unit, sector)
    allowed = [_per(gas, activity) for gas in ("[co2e]", "[co2]") if isinstance(activity, dict)]
    if found not in allowed:
        return [
            f"'{sector.intensity_unit}' is not emissions per {sector.activity_unit}: write e.g. "
            f"'{wanted}'"
        ]
    return []


def _per(gas: str, activity: dict[str, int]) -> dict[str, int]:
    """The dimensions of a mass of ``gas`` per ``activity``."""
    ratio = {"[mass]": 1, gas: 1}
    for dimension, power in activity.items():
        ratio[dimension] = ratio.get(dimension, 0) - power
    return {d: p for d, p in ratio.items() if p}
