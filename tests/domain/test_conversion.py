"""A trajectory in its sector's units (roadmap.domain.conversion): the clinker ratio, the mass
per passenger, and CO2 vs CO2e, each worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from pytest import approx

from roadmap.domain import conversion
from roadmap.domain.errors import InputError
from roadmap.domain.ingest import read_bytes
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.domain.validate import validate_pathways, validate_trajectories

KEY = "company,sector,region,scope,year,kind"
CEMENT = "t CO2/(t Cement)"
AVIATION = "g CO2/RTK"


def table(text: str) -> pd.DataFrame:
    return validate_trajectories(read_bytes(text.encode(), suffix=".csv", name="t.csv"))


def problems(error: pytest.ExceptionInfo[InputError]) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.message) for p in error.value.problems]


def test_intensity_per_tonne_of_clinker_at_a_clinker_ratio():
    """0.6 t CO2/t clinker with 0.7 t clinker per t cement: 0.6 * 0.7 = 0.42 t CO2/t cement;
    at ratio 1 (pure clinker) it stays 0.6."""
    frame = table(
        f"{KEY},intensity,intensity_unit,clinker_ratio\n"
        "Chalk,Cement,Global,S1,2020,reported,0.6,t CO2/(t Clinker),0.7\n"
        "Chalk,Cement,Global,S1,2021,planned,0.6,t CO2/(t Clinker),1\n"
    )
    out = conversion.to_sector_units(frame, {"Cement": CEMENT})
    assert list(out.frame["intensity"]) == approx([0.42, 0.6])
    assert out.notes == ()


def test_activity_in_tonnes_of_clinker_at_a_clinker_ratio():
    """700 t clinker at 0.7 t clinker per t cement is 700 / 0.7 = 1000 t cement; the
    emissions, 420 t CO2, are unchanged, so the intensity is 0.42 t CO2/t cement (as above).
    The sector's activity unit is cement's, though the only company reports clinker."""
    frame = table(
        f"{KEY},activity,activity_unit,emissions,emissions_unit,clinker_ratio\n"
        "Chalk,Cement,Global,S1,2020,reported,700,t Clinker,420,t CO2,0.7\n"
    )
    out = conversion.to_sector_units(frame, {"Cement": CEMENT})
    assert out.activity_units == {"Cement": "t Cement"}
    assert out.frame.at[0, "activity"] == approx(1000)
    assert out.frame.at[0, "emissions"] == approx(420)


def test_intensity_per_passenger_km_at_a_mass_per_passenger():
    """100 g CO2 per passenger-km at 100 kg (0.1 t) per passenger: 100 / 0.1 = 1000 g CO2 per
    tonne-km; RPK is the same unit as pkm; at 80 kg, 100 / 0.08 = 1250."""
    frame = table(
        f"{KEY},intensity,intensity_unit,kg_per_passenger\n"
        "Wing,Aviation,Global,S1,2020,reported,100,g CO2/pkm,100\n"
        "Wing,Aviation,Global,S1,2021,planned,100,g CO2/RPK,100\n"
        "Wing,Aviation,Global,S1,2022,planned,100,g CO2/RPK,80\n"
    )
    out = conversion.to_sector_units(frame, {"Aviation": AVIATION})
    assert list(out.frame["intensity"]) == approx([1000, 1000, 1250])


def test_passenger_km_as_activity_at_a_mass_per_passenger():
    """2e9 passenger-km at 100 kg per passenger carry 2e9 * 0.1 t = 2e8 tonne-km."""
    frame = table(
        f"{KEY},activity,activity_unit,emissions,emissions_unit,kg_per_passenger\n"
        "Wing,Aviation,Global,S1,2020,reported,2000000000,pkm,200000,t CO2,100\n"
    )
    out = conversion.to_sector_units(frame, {"Aviation": AVIATION})
    assert out.activity_units == {"Aviation": "tkm"}
    assert out.frame.at[0, "activity"] == approx(2e8)


@pytest.mark.parametrize(
    ("text", "sector_unit", "expected"),
    [
        pytest.param(
            f"{KEY},intensity,intensity_unit\n"
            "Chalk,Cement,Global,S1,2020,reported,0.6,t CO2/(t Clinker)\n",
            CEMENT,
            [(2, "clinker_ratio", "'t CO2/(t Clinker)': a figure per tonne of clinker needs")],
            id="clinker-without-ratio",
        ),
        pytest.param(
            f"{KEY},activity,activity_unit,emissions,emissions_unit,clinker_ratio\n"
            "Chalk,Cement,Global,S1,2020,reported,700,t Clinker,420,t CO2,0.7\n"
            "Chalk,Cement,Global,S1,2021,planned,700,t Clinker,400,t CO2,\n",
            CEMENT,
            [(3, "clinker_ratio", "'t Clinker': a figure per tonne of clinker needs")],
            id="clinker-activity-one-year-without-ratio",
        ),
        pytest.param(
            f"{KEY},intensity,intensity_unit\nWing,Aviation,Global,S1,2020,reported,90,g CO2/pkm\n",
            AVIATION,
            [(2, "kg_per_passenger", "'g CO2/pkm': passenger-km convert to revenue tonne-km")],
            id="passenger-km-without-mass",
        ),
        pytest.param(
            f"{KEY},activity,activity_unit,emissions,emissions_unit\n"
            "Ash,Steel,Global,S1S2,2020,reported,100,t Steel,180,t CO2e\n",
            "t CO2/(t Steel)",
            [(2, "emissions_unit", "'t CO2e' is CO2e but the pathway for Steel is in CO2")],
            id="co2e-emissions-against-co2-pathway",
        ),
        pytest.param(
            f"{KEY},intensity,intensity_unit\n"
            "Ash,Steel,Global,S1S2,2020,reported,1.8,t CO2/(t Steel)\n",
            "t CO2e/(t Steel)",
            [(2, "intensity_unit", "'t CO2/(t Steel)' is CO2 but the pathway for Steel is in")],
            id="co2-intensity-against-co2e-pathway",
        ),
    ],
)
def test_refused_without_the_figure_or_statement(text, sector_unit, expected):
    sector = text.splitlines()[1].split(",")[1]
    with pytest.raises(InputError) as error:
        conversion.to_sector_units(table(text), {sector: sector_unit})
    found = problems(error)
    assert [(r, c) for r, c, _ in found] == [(r, c) for r, c, _ in expected]
    for (_, _, message), (_, _, start) in zip(found, expected, strict=True):
        assert message.startswith(start), message
    assert all(str(p).startswith("t.csv, row ") for p in error.value.problems)


def test_co2e_treated_as_co2_when_stated_and_said():
    """180 t CO2e over 100 t steel against a CO2 pathway: relabelled with factor 1 to 180 t
    CO2 (intensity 1.8 t CO2/t steel) and a note names the sector and the basis."""
    frame = table(
        f"{KEY},activity,activity_unit,emissions,emissions_unit\n"
        "Ash,Steel,Global,S1S2,2020,reported,100,t Steel,0.18,kt CO2e\n"
    )
    out = conversion.to_sector_units(
        frame, {"Steel": "t CO2/(t Steel)"}, treat_co2_as_co2e=True, scenario="TPI 1.5 Degrees"
    )
    assert out.frame.at[0, "emissions"] == approx(180)
    assert out.emissions_units == {"Steel": "t CO2"}
    assert out.notes == (
        "Steel: figures in CO2e treated as CO2, the basis of the TPI 1.5 Degrees pathway "
        "(treat_co2_as_co2e)",
    )


# Benchmark temperatures, so that labels rank them: the steeper CO2e curve is the cooler one.
PATHWAYS = """sector,scenario,region,scope,year,intensity,intensity_unit,temperature
Cement,Test CO2,Global,S1,2020,0.6,t CO2/(t Cement),2.0
Cement,Test CO2,Global,S1,2050,0.1,t CO2/(t Cement),2.0
Cement,Test CO2e,Global,S1,2020,0.7,t CO2e/(t Cement),1.5
Cement,Test CO2e,Global,S1,2050,0.05,t CO2e/(t Cement),1.5
"""


def pathways() -> pd.DataFrame:
    return validate_pathways(read_bytes(PATHWAYS.encode(), suffix=".csv", name="p.csv"))


def test_reconciled_in_cement_terms_and_benchmarks_kept_to_one_basis():
    """Chalk: 0.72 t CO2/t clinker at ratio 0.75 in 2020 = 0.54 t CO2/t cement, below the
    Test CO2 pathway's 0.6; 2050: 0.2 * 0.5 = 0.1, on the curve (0.1). Its figures are CO2,
    so the CO2e scenario is not ranked as a benchmark (a warning says so), and the company
    meets Test CO2 in both years."""
    frame = table(
        f"{KEY},intensity,intensity_unit,clinker_ratio\n"
        "Chalk,Cement,Global,S1,2020,reported,0.72,t CO2/(t Clinker),0.75\n"
        "Chalk,Cement,Global,S1,2050,planned,0.2,t CO2/(t Clinker),0.5\n"
    )
    result = reconcile(pathways(), frame, ReconcileParams("Test CO2"))
    rows = result.results.set_index("year")
    assert rows.at[2020, "intensity"] == approx(0.54)
    assert rows.at[2050, "intensity"] == approx(0.1)
    assert rows.at[2050, "target_intensity"] == approx(0.1)
    assert set(rows["intensity_unit"]) == {"t CO2/(t Cement)"}
    assert set(rows["benchmark_alignment"]) == {"Test CO2"}
    assert result.notes == (
        "Cement: benchmark Test CO2e is in CO2e, not CO2; it is not ranked (state that CO2 and "
        "CO2e may be treated as the same to include it)",
    )
    assert result.warnings == ()


def test_reconciled_across_bases_when_stated():
    """The same company against Test CO2e: refused as is; with treat_co2_as_co2e its 0.54 t
    CO2 per t cement is read as 0.54 t CO2e, emissions are in t CO2e, the notes say so, and
    the CO2 scenario is ranked too: in 2050 the company (0.1) meets Test CO2 (0.1) but not
    Test CO2e (0.05)."""
    frame = table(
        f"{KEY},intensity,intensity_unit,clinker_ratio\n"
        "Chalk,Cement,Global,S1,2020,reported,0.72,t CO2/(t Clinker),0.75\n"
        "Chalk,Cement,Global,S1,2050,planned,0.2,t CO2/(t Clinker),0.5\n"
    )
    with pytest.raises(InputError, match="row 2, column 'intensity_unit'"):
        reconcile(pathways(), frame, ReconcileParams("Test CO2e"))
    result = reconcile(pathways(), frame, ReconcileParams("Test CO2e", treat_co2_as_co2e=True))
    rows = result.results.set_index("year")
    assert rows.at[2020, "intensity"] == approx(0.54)
    assert set(rows["emissions_unit"]) == {"t CO2e"}
    assert rows.at[2050, "benchmark_alignment"] == "Test CO2"
    assert result.notes == (
        "Cement: figures in CO2 treated as CO2e, the basis of the Test CO2e pathway "
        "(treat_co2_as_co2e)",
        "Cement: benchmark Test CO2 (CO2) compared as CO2e (treat_co2_as_co2e)",
    )
