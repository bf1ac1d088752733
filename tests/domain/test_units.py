from __future__ import annotations

import pytest

from roadmap.domain import units


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("t CO2e", "t CO2e", 1.0),
        ("Mt CO2e", "t CO2e", 1e6),
        ("kt CO2e", "t CO2e", 1e3),  # a kilotonne, not pint's knot
        ("MtCO2e", "t CO2e", 1e6),  # mass glued to the gas
        ("kg CO2e", "t CO2e", 1e-3),
        ("t CO2/(t Steel)", "kg CO2/(t Steel)", 1e3),
        ("g CO2/RTK", "g CO2/tkm", 1.0),  # aviation's revenue tonne-km is a tonne-km
        ("g CO2/RPK", "g CO2/pkm", 1.0),
        ("t Clinker", "kt Clinker", 1e-3),
        ("g CO2e/tkm", "t CO2e/tkm", 1e-6),
        ("t Aluminum", "kt Aluminium", 1e-3),
        ("Mt Steel", "t Steel", 1e6),
    ],
)
def test_conversion_factor(source, target, factor):
    assert units.conversion_factor(source, target) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("t Steel", "t Cement"),
        ("tkm", "t Steel"),
        ("t CO2e", "t Steel"),
        ("USD", "t CO2e"),
        # Not the same quantities: each needs a figure or a statement from the user.
        ("t CO2", "t CO2e"),
        ("t CO2/(t Steel)", "t CO2e/(t Steel)"),
        ("t Clinker", "t Cement"),
        ("t CO2/(t Clinker)", "t CO2/(t Cement)"),
        ("pkm", "tkm"),
        ("g CO2/pkm", "g CO2/tkm"),
    ],
)
def test_different_things_do_not_convert(source, target):
    with pytest.raises(units.UnitError, match="cannot be converted"):
        units.conversion_factor(source, target)


@pytest.mark.parametrize("text", ["furlongs of steel", "", "3 t", "t CO2e +"])
def test_unreadable_units(text):
    with pytest.raises(units.UnitError):
        units.parse_unit(text)


def test_intensity_and_emissions_factors():
    # 1 t CO2e over 1 tkm is 1e6 g CO2e/tkm; and back: 1 g/tkm over 1 tkm is 1e-6 t.
    assert units.intensity_factor("t CO2e", "tkm", "g CO2e/tkm") == pytest.approx(1e6)
    assert units.emissions_factor("g CO2e/tkm", "tkm", "t CO2e") == pytest.approx(1e-6)
    assert units.is_emissions_unit("Mt CO2")
    assert units.is_emissions_unit("kgCO2e")
    assert not units.is_emissions_unit("t Steel")


@pytest.mark.parametrize(
    ("unit", "gas", "relabelled"),
    [
        ("t CO2", "CO2", "t CO2e"),
        ("tCO2/tkm", "CO2", "t CO2e/tkm"),
        ("g CO2 / RTK", "CO2", "g CO2e / RTK"),
        ("t CO2e/(t Cement)", "CO2e", "t CO2e/(t Cement)"),
        ("t CO2eq", "CO2e", "t CO2eq"),
        ("t Steel", None, "t Steel"),
        ("furlongs", None, "furlongs"),
    ],
)
def test_basis_and_relabel(unit, gas, relabelled):
    assert units.basis(unit) == gas
    assert units.as_co2e(unit) == relabelled


def test_any_basis_compares_once_co2_is_read_as_co2e():
    assert units.compatible_any_basis("g CO2/tkm", "kg CO2e/RTK")
    assert not units.compatible("g CO2/tkm", "kg CO2e/RTK")
    assert not units.compatible_any_basis("t CO2/(t Clinker)", "t CO2e/(t Cement)")
    assert units.emissions_unit("CO2") == "t CO2"
    assert units.emissions_unit("CO2e") == "t CO2e"


def test_exponent_of_a_dimension():
    assert units.exponent("t CO2/(t Clinker)", "[clinker]") == -1
    assert units.exponent("Mt Clinker", "[clinker]") == 1
    assert units.exponent("RPK", "[passenger]") == 1
    assert units.exponent("t Steel", "[passenger]") == 0


@pytest.mark.parametrize("folder", ["off", "/proc/no-such-folder/pint", "{tmp}"])
def test_the_registry_is_the_same_with_or_without_a_cache(folder: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """pint's parsed definitions may be kept on disk (ROADMAP_UNIT_CACHE); a folder that cannot
    be written, or none, gives the same registry, parsed afresh."""
    import os
    import subprocess
    import sys

    code = (
        "from roadmap.domain.units import conversion_factor, compatible\n"
        "print(conversion_factor('Mt Steel', 't Steel'), compatible('t Steel', 't Cement'))\n"
    )
    env = {**os.environ, "ROADMAP_UNIT_CACHE": folder.format(tmp=tmp_path)}
    for _ in range(2):  # the second run reads what the first kept, where it could
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        assert out.stdout.split() == ["1000000.0", "False"]
