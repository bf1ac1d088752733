"""Product units of sectors made in the browser, defined in the unit registry at run time: each
of a dimension of its own, never converting into another sector's unit nor into a plain mass,
defined once, never redefined; and the rules a new sector follows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from roadmap.domain import units
from roadmap.domain.new_sector import NewSector, parse_aliases, sector_problems


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[None]:
    """Each test starts from the built-in units, as a new process does, and leaves them so."""
    units.forget_stored_units()
    yield
    units.forget_stored_units()


def test_a_defined_product_unit_converts_only_into_itself() -> None:
    assert units.define_product_unit("Glass", ["Glas"]) is True
    # 1 kt = 1000 t, of the same glass.
    assert units.conversion_factor("kt Glass", "t Glass") == 1000.0
    assert units.conversion_factor("t Glas", "kg Glass") == 1000.0
    # 0.5 t CO2e per t of glass is 500 kg CO2e per t.
    assert units.conversion_factor("t CO2e/(t Glass)", "kg CO2e/(t Glass)") == 1000.0
    for other in ["t Steel", "t", "kg", "t Cement", "t CO2e", "Glass * t Steel"]:
        with pytest.raises(units.UnitError, match="cannot be converted"):
            units.conversion_factor("t Glass", other)
    assert not units.compatible("t CO2e/(t Glass)", "t CO2e/(t Steel)")
    assert units.intensity_parts("t CO2e/(t Glass)") == ("t CO2e", "t Glass")


def test_two_new_product_units_never_meet() -> None:
    units.define_product_unit("Glass")
    units.define_product_unit("Fertiliser")
    with pytest.raises(units.UnitError, match="cannot be converted"):
        units.conversion_factor("t Glass", "t Fertiliser")
    assert units.exponent("t CO2/(t Fertiliser)", "[fertiliser]") == -1
    assert units.exponent("t CO2/(t Fertiliser)", "[glass]") == 0


def test_defining_twice_changes_nothing_and_a_clash_is_refused() -> None:
    assert units.define_product_unit("Glass", ["Glas"]) is True
    assert units.define_product_unit("Glass", ["Glas"]) is False
    with pytest.raises(units.UnitError, match="already"):
        units.define_product_unit("Glas")  # an alias of Glass: never redefined
    # The built-in Steel is already defined just so; with another alias it would change.
    assert units.define_product_unit("Steel") is False
    with pytest.raises(units.UnitError, match="already"):
        units.define_product_unit("Steel", ["Stahl"])
    with pytest.raises(units.UnitError, match="already"):
        units.define_product_unit("kt")
    with pytest.raises(units.UnitError, match=r"dimension \[glass\] is already taken"):
        units.define_product_unit("GLASS")
    assert units.conversion_factor("t Steel", "kt Steel") == 0.001  # Steel is as it was


def test_forgetting_starts_from_the_built_in_units() -> None:
    units.define_product_unit("Glass")
    units.parse_unit("t Glass")
    units.forget_stored_units()
    with pytest.raises(units.UnitError, match="unknown unit 't Glass'"):
        units.parse_unit("t Glass")


def test_an_unknown_unit_asks_the_hook_once_and_is_read_again() -> None:
    asked = []

    def hook() -> bool:
        asked.append(1)
        return units.define_product_unit("Glass")

    units.on_unknown_unit(hook)
    try:
        assert str(units.parse_unit("kt Glass")) == "Glass * kt"
        assert units.parse_unit("t Glass") is not None  # known now: the hook is not asked
        with pytest.raises(units.UnitError, match="unknown unit 't Glassy'"):
            units.parse_unit("t Glassy")  # asked, defines nothing new: still unknown
    finally:
        units.on_unknown_unit(None)
    assert len(asked) == 2


GLASS = NewSector("Glass", "Glass", "t Glass", "t CO2e/(t Glass)")


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, []),
        ({"intensity_unit": "kg CO2/(t Glass)"}, []),
        ({"activity_unit": "Glass", "intensity_unit": "kg CO2e/Glass"}, []),
        ({"aliases": ("Glas",), "activity_unit": "kt Glas"}, []),
        ({"name": "steel"}, [("name", "'steel' is a built-in sector")]),
        ({"name": "Fertiliser"}, [("name", "a sector named 'Fertiliser' exists")]),
        ({"name": "=Glass"}, [("name", "starts like a spreadsheet formula")]),
        (
            {"name": "Glass <b>"},
            [
                (
                    "name",
                    "use letters, digits, blanks and . , & ( ) ' / - only, starting with a letter",
                )
            ],
        ),
        (
            {"unit": "Gl"},
            [("unit", "unit 'Gl': already a unit (as 'gigaliter'); choose another name")],
        ),
        ({"unit": "Steel"}, [("unit", "unit 'Steel': already a unit; choose another name")]),
        (
            {"unit": "STEEL"},
            [("unit", "unit 'STEEL': its dimension [steel] is already taken; choose another name")],
        ),
        (
            {"unit": "Glass2"},
            [("unit", "unit 'Glass2': use 2 to 40 letters or underscores, starting with a letter")],
        ),
        (
            {"aliases": ("t",)},
            [("aliases", "alias 't': use 2 to 40 letters or underscores, starting with a letter")],
        ),
        (
            {"aliases": ("Glass",)},
            [("unit", "the unit and its aliases must all be different names")],
        ),
        (
            {"activity_unit": "t Steel"},
            [
                (
                    "activity_unit",
                    "'t Steel' is not an amount of Glass: write Glass or a mass of it, "
                    "e.g. 't Glass'",
                )
            ],
        ),
        (
            {"intensity_unit": "t CO2e / t Glass"},
            [
                (
                    "intensity_unit",
                    "'t CO2e / t Glass' reads as (t CO2e / ...) times Glass: put the activity in "
                    "brackets, e.g. 't CO2e/(t Glass)'",
                )
            ],
        ),
        (
            {"intensity_unit": "t CO2e/(t Steel)"},
            [
                (
                    "intensity_unit",
                    "'t CO2e/(t Steel)' is not emissions per t Glass: "
                    "write e.g. 't CO2e/(t Glass)'",
                )
            ],
        ),
        (
            {"intensity_unit": "t CO2e/(t Glass"},
            [("intensity_unit", "unknown unit 't CO2e/(t Glass'")],
        ),
    ],
)
def test_sector_problems(changes: dict, problems: list[tuple[str, str]]) -> None:
    sector = NewSector(**{**GLASS.__dict__, **changes})
    assert sector_problems(sector, ["Fertiliser"]) == problems
    # Checking defines nothing: the unit is still free.
    assert "Glass" not in units.registry()


def test_parse_aliases() -> None:
    assert parse_aliases(" Glas, Vitrum  Verre,") == ("Glas", "Vitrum", "Verre")
    assert parse_aliases("") == ()
