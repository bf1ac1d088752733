"""Checks on the generated data files in data/pathways and data/demo.

The CSVs are produced by scripts (build_pathways.py, make_demo_data.py) and then read by the
app as they are, so a wrong conversion would flow straight into every target and gap. The
expected numbers below were read by hand from the os-climate/ITR JSON files at commit
b0a99bec (the same values as published), not from the script.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).parents[2]
PATHWAYS = ROOT / "data" / "pathways"
DEMO = ROOT / "data" / "demo"

PATHWAY_COLUMNS = [
    "sector",
    "scenario",
    "region",
    "scope",
    "year",
    "intensity",
    "intensity_unit",
    "activity",
    "activity_unit",
    "source",
    "licence",
    "release_date",
    "temperature",
]
TRAJECTORY_COLUMNS = [
    "company",
    "sector",
    "region",
    "scope",
    "year",
    "activity",
    "activity_unit",
    "emissions",
    "emissions_unit",
    "kind",
]
PLATFORM_COLUMNS = [
    "slug",
    "name",
    "sector",
    "region",
    "scope",
    "stage",
    "net_zero_year",
    "vision",
    "is_public",
    "treat_co2_as_co2e",
    "trajectories",
]
SERIES_KEY = ["sector", "scenario", "region", "scope", "year"]
DEMO_SECTORS = ["steel", "cement", "shipping", "glass"]


@pytest.fixture(scope="module")
def tpi() -> pd.DataFrame:
    return pd.read_csv(PATHWAYS / "tpi.csv")


@pytest.fixture(scope="module")
def oecm() -> pd.DataFrame:
    return pd.read_csv(PATHWAYS / "oecm.csv")


@pytest.fixture(scope="module")
def pathways(tpi: pd.DataFrame, oecm: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([tpi, oecm], ignore_index=True)


def value_at(frame: pd.DataFrame, column: str, **match: object) -> float:
    """Return the one value of `column` in the row matching every key given."""
    rows = frame
    for key, wanted in match.items():
        rows = rows[rows[key] == wanted]
    assert len(rows) == 1, f"{len(rows)} rows match {match}"
    return float(rows[column].iloc[0])


@pytest.mark.parametrize(
    ("file", "sector", "scenario", "region", "scope", "year", "intensity"),
    [
        ("tpi", "Steel", "TPI 1.5 Degrees", "Global", "S1S2", 2019, 1.662),
        ("tpi", "Steel", "TPI 1.5 Degrees", "Global", "S1S2", 2050, 0.052),
        ("tpi", "Cement", "TPI 1.5 Degrees", "Global", "S1", 2019, 0.545),
        ("tpi", "Cement", "TPI 1.5 Degrees", "Global", "S1", 2050, 0.031),
        ("tpi", "Shipping", "TPI 1.5 Degrees", "Global", "S1", 2019, 7.82),
        ("tpi", "Shipping", "TPI 1.5 Degrees", "Global", "S1", 2050, 0.4),
        ("tpi", "Aviation", "TPI 1.5 Degrees", "Global", "S1", 2019, 1020.0),
        ("tpi", "Aluminium", "TPI Below 2 Degrees", "Global", "S1S2", 2019, 5.279),
        ("tpi", "Aluminium", "TPI 2 Degrees", "Global", "S1S2", 2050, 1.316),
        ("oecm", "Steel", "OECM 1.5 Degrees", "Europe", "S1", 2019, 1.579),
        ("oecm", "Steel", "OECM 1.5 Degrees", "Global", "S1", 2019, 1.313),
        ("oecm", "Aluminium", "OECM 1.5 Degrees", "Global", "S1S2", 2019, 11.762),
        ("oecm", "Chemicals", "OECM 1.5 Degrees", "Global", "S1", 2050, 0.0661),
    ],
)
def test_intensity_equals_source_value(
    request, file, sector, scenario, region, scope, year, intensity
) -> None:
    frame = request.getfixturevalue(file)
    series = {"sector": sector, "scenario": scenario, "region": region, "scope": scope}
    assert value_at(frame, "intensity", **series, year=year) == intensity


def test_oecm_activity_is_absolute_production(oecm: pd.DataFrame) -> None:
    # benchmark_production_OECM.json, Steel Global: base_year_production "1869.6 Fe *
    # megametric_ton", g(2020) = g(2021) = 0.00306; so 2021 = 1869.6 * 1.00306 ** 2 Mt.
    steel = {"sector": "Steel", "scenario": "OECM 1.5 Degrees", "region": "Global"}
    for scope in ["S1", "S2", "S1S2"]:
        assert value_at(oecm, "activity", **steel, scope=scope, year=2019) == 1869.6
        at_2021 = value_at(oecm, "activity", **steel, scope=scope, year=2021)
        assert at_2021 == pytest.approx(1869.6 * (1 + 0.00306) * (1 + 0.00306), rel=1e-9)
    # Chemicals Global: "3900.39... USD * billion".
    chemicals = {"sector": "Chemicals", "scenario": "OECM 1.5 Degrees", "region": "Global"}
    assert value_at(oecm, "activity", **chemicals, scope="S1", year=2019) == 3.90039e12
    units = oecm.drop_duplicates("sector").set_index("sector")["activity_unit"].to_dict()
    assert units == {
        "Aluminium": "Mt Aluminium",
        "Cement": "Mt Cement",
        "Chemicals": "USD",
        "Steel": "Mt Steel",
        "Trucking": "dimensionless",
    }
    trucking = {"sector": "Trucking", "scenario": "OECM 1.5 Degrees", "region": "Global"}
    assert value_at(oecm, "activity", **trucking, scope="S1", year=2019) == 1.0


def test_tpi_has_no_activity(tpi: pd.DataFrame) -> None:
    assert tpi["activity"].isna().all()
    assert tpi["activity_unit"].isna().all()


@pytest.mark.parametrize("file", ["tpi.csv", "oecm.csv"])
def test_pathway_columns_in_order(file: str) -> None:
    assert list(pd.read_csv(PATHWAYS / file, nrows=0).columns) == PATHWAY_COLUMNS


@pytest.mark.parametrize(
    ("file", "sector", "scenario", "temperature", "release_date"),
    [
        ("tpi", "Steel", "TPI 1.5 Degrees", 1.5, "2022-04-01"),
        ("tpi", "Steel", "TPI Below 2 Degrees", 1.65, "2022-04-01"),
        ("tpi", "Steel", "TPI 2 Degrees", 2.0, "2021-02-01"),
        ("tpi", "Aviation", "TPI 2 Degrees (Shift-Improve)", 2.0, "2020-12-01"),
        ("tpi", "Aviation", "TPI Below 2 Degrees", 1.65, "2022-02-01"),
        ("oecm", "Steel", "OECM 1.5 Degrees", 1.5, "2022"),
    ],
)
def test_benchmark_temperatures_and_releases(
    file: str, sector: str, scenario: str, temperature: float, release_date: str, request
) -> None:
    frame = request.getfixturevalue(file)
    rows = frame[(frame["sector"] == sector) & (frame["scenario"] == scenario)]
    assert set(rows["temperature"]) == {temperature}
    assert set(rows["release_date"].astype(str)) == {release_date}


def test_one_benchmark_per_sector_and_temperature(pathways: pd.DataFrame) -> None:
    """Labels rank by temperature, so each family (TPI, OECM) keeps one scenario per sector
    and temperature: TPI's older 2 degC airline vintage (High Efficiency) is left out."""
    family = pathways["scenario"].str.split().str[0]
    per = pathways.assign(family=family).groupby(["family", "sector", "temperature"])
    assert per["scenario"].nunique().max() == 1
    assert "TPI 2 Degrees (High Efficiency)" not in set(pathways["scenario"])


def test_every_row_has_source_and_licence(pathways: pd.DataFrame) -> None:
    for column in ["source", "licence"]:
        filled = pathways[column].fillna("").str.strip() != ""
        assert filled.all(), f"{(~filled).sum()} rows without {column}"


def test_no_series_year_repeats(pathways: pd.DataFrame) -> None:
    repeated = pathways[pathways.duplicated(SERIES_KEY, keep=False)]
    assert repeated.empty, repeated[SERIES_KEY].head()


def test_every_series_covers_2019_to_2050(pathways: pd.DataFrame) -> None:
    years = pathways.groupby(SERIES_KEY[:-1])["year"].agg(list)
    assert all(sorted(found) == list(range(2019, 2051)) for found in years)


@pytest.mark.parametrize("file", ["tpi", "oecm"])
def test_one_intensity_unit_per_sector_in_each_file(request, file: str) -> None:
    frame = request.getfixturevalue(file)
    assert (frame.groupby("sector")["intensity_unit"].nunique() == 1).all()


def test_each_source_keeps_the_basis_it_states(tpi: pd.DataFrame, oecm: pd.DataFrame) -> None:
    """TPI's benchmark_metric reads e.g. 't CO2/(t Steel)' and 'g CO2 / tkm' (CO2); OECM's
    't CO2e/(t Steel)' (CO2e). Aviation's tonne-km are revenue tonne-km (RTK)."""
    assert tpi.drop_duplicates("sector").set_index("sector")["intensity_unit"].to_dict() == {
        "Aluminium": "t CO2/(t Aluminium)",
        "Aviation": "g CO2/RTK",
        "Cement": "t CO2/(t Cement)",
        "Shipping": "g CO2/tkm",
        "Steel": "t CO2/(t Steel)",
    }
    assert oecm["intensity_unit"].str.contains("CO2e", regex=False).all()


def test_sectors_use_our_names(pathways: pd.DataFrame) -> None:
    sectors = set(pathways["sector"])
    assert {"Aviation", "Aluminium"} <= sectors
    assert not {"Airlines", "Aluminum"} & sectors


@pytest.fixture(scope="module", params=DEMO_SECTORS)
def trajectory(request) -> pd.DataFrame:
    return pd.read_csv(DEMO / f"trajectories_{request.param}.csv")


def test_demo_trajectory_columns(trajectory: pd.DataFrame) -> None:
    assert list(trajectory.columns) == TRAJECTORY_COLUMNS


def test_demo_companies_are_named_fictional(trajectory: pd.DataFrame) -> None:
    assert trajectory["company"].str.endswith(" (fictional)").all()


def test_demo_trajectory_spans_reported_then_planned(trajectory: pd.DataFrame) -> None:
    assert not trajectory.duplicated(["company", "year"]).any()
    for company, rows in trajectory.groupby("company"):
        reported = rows.loc[rows["kind"] == "reported", "year"]
        planned = rows.loc[rows["kind"] == "planned", "year"]
        assert set(rows["kind"]) == {"reported", "planned"}, company
        assert (rows["year"].min(), rows["year"].max()) == (2019, 2050), company
        assert reported.max() <= 2024 < planned.min(), company


def test_demo_values_are_physical(trajectory: pd.DataFrame) -> None:
    assert (trajectory["activity"] > 0).all()
    assert (trajectory["emissions"] >= 0).all()


def test_demo_platforms_file() -> None:
    platforms = pd.read_csv(DEMO / "platforms.csv", keep_default_na=False)
    assert list(platforms.columns) == PLATFORM_COLUMNS
    assert set(platforms["slug"]) == {*DEMO_SECTORS, "aluminium"}
    for name in platforms["trajectories"]:
        assert name == "" or (DEMO / name).is_file(), name
