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
        ("t CO2", "t CO2e", 1.0),  # TPI's CO2 and OECM's CO2e are one dimension
        ("t CO2/(t Steel)", "kg CO2e/(t Steel)", 1e3),
        ("g CO2e/tkm", "t CO2e/tkm", 1e-6),
        ("t Aluminum", "kt Aluminium", 1e-3),
        ("Mt Steel", "t Steel", 1e6),
    ],
)
def test_conversion_factor(source, target, factor):
    assert units.conversion_factor(source, target) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("source", "target"),
    [("t Steel", "t Cement"), ("tkm", "t Steel"), ("t CO2e", "t Steel"), ("USD", "t CO2e")],
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
    assert not units.is_emissions_unit("t Steel")
