"""``roadmap reconcile``: pathway and trajectory files in, one result row per company and year
out (DESIGN.md "Data contract" and "Reconciliation method").

Bad input exits with status 2, prints ``error: <file>, row N, column 'x': message`` lines on
stderr and writes nothing: neither --out nor --aggregate, and an existing --out is left as it
was.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
TPI = ROOT / "data" / "pathways" / "tpi.csv"
OECM = ROOT / "data" / "pathways" / "oecm.csv"
SCENARIO = "TPI 1.5 Degrees"

HEADER = "company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind"
KEY = "company,sector,region,scope,year,kind"
RESULT_COLUMNS = [
    "company",
    "sector",
    "scenario",
    "year",
    "activity",
    "emissions",
    "intensity",
    "sector_intensity",
    "target_intensity",
    "gap",
    "gap_pct",
    "status",
    "years_behind",
    "excess_emissions",
    "cumulative_excess",
    "benchmark_alignment",
]
DETAIL_COLUMNS = [
    "region",
    "scope",
    "kind",
    "activity_unit",
    "emissions_unit",
    "intensity_unit",
    "required_rate",
    "next_milestone",
]
AGGREGATE_COLUMNS = [
    "sector",
    "scenario",
    "year",
    "activity",
    "emissions",
    "intensity",
    "fair_share_emissions",
    "sector_curve_emissions",
    "gap_emissions",
]
STEEL_UNITS = "  Steel: intensity in t CO2/(t Steel), activity in t Steel, emissions in t CO2"

# Zeta is listed first but sorts last; its 2018 row lies before the base year (2019, the first
# year of TPI's Steel pathway); Alpha's 2020 and Zeta's 2020-2021 are interpolated.
TWO_COMPANIES = f"""\
{HEADER}
Zeta Steel,Steel,Global,S1S2,2018,50,t Steel,90,t CO2,reported
Zeta Steel,Steel,Global,S1S2,2019,50,t Steel,85,t CO2,reported
Zeta Steel,Steel,Global,S1S2,2022,60,t Steel,70,t CO2,planned
Alpha Steel,Steel,Global,S1S2,2019,100,t Steel,200,t CO2,reported
Alpha Steel,Steel,Global,S1S2,2021,100,t Steel,190,t CO2,planned
"""
TWO_COMPANIES_ROWS = [
    ("Alpha Steel", 2019),
    ("Alpha Steel", 2020),
    ("Alpha Steel", 2021),
    ("Zeta Steel", 2019),
    ("Zeta Steel", 2020),
    ("Zeta Steel", 2021),
    ("Zeta Steel", 2022),
]
# Both companies' activity by year, 2019-2022 (Zeta's goes linearly from 50 to 60).
TWO_COMPANIES_ACTIVITY = [100 + 50, 100 + 50 + 10 / 3, 100 + 50 + 20 / 3, 60]


@pytest.fixture
def runner(offline_app: Flask) -> FlaskCliRunner:
    """The command reads and writes files only, so its app has no database to build."""
    return offline_app.test_cli_runner()


def pathway_values(path: Path, sector: str, scenario: str, column: str = "intensity") -> dict:
    """{year: value} of one Global pathway, read straight from the CSV (not by the package)."""
    with path.open(encoding="utf-8") as handle:
        return {
            int(row["year"]): float(row[column])
            for row in csv.DictReader(handle)
            if (row["sector"], row["scenario"], row["region"]) == (sector, scenario, "Global")
            and row["scope"] == "S1S2"
        }


TPI_STEEL = pathway_values(TPI, "Steel", SCENARIO)


def sda(c_b: float, s: dict, t: int, b: int, n: int = 2050) -> float:
    """DESIGN.md: T(t) = (C(b) - S(N)) * (S(t) - S(N)) / (S(b) - S(N)) + S(N)."""
    return (c_b - s[n]) * (s[t] - s[n]) / (s[b] - s[n]) + s[n]


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def typed_cell(text: str) -> object:
    """A CSV cell as a spreadsheet would hold it: whole numbers as int, others as float."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text if text != "" else None


def csv_to_xlsx(csv_path: Path, xlsx_path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.reader(handle)):
            sheet.append(row if index == 0 else [typed_cell(cell) for cell in row])
    book.save(xlsx_path)
    return xlsx_path


def reconcile(runner: FlaskCliRunner, *args: object) -> Result:
    return runner.invoke(args=["reconcile", *(str(a) for a in args)])


def run(
    runner: FlaskCliRunner,
    trajectories: Path,
    out: Path,
    *extra: object,
    scenario: str = SCENARIO,
    pathways: tuple[Path, ...] = (TPI,),
) -> Result:
    files = [a for p in pathways for a in ("--pathways", p)]
    return reconcile(
        runner,
        *files,
        "--trajectories",
        trajectories,
        "--scenario",
        scenario,
        "--out",
        out,
        *extra,
    )


def succeeded(result: Result) -> None:
    assert result.exit_code == 0, f"{result.stderr}{result.exception!r}"


# --- results ---------------------------------------------------------------------------------


def test_results_have_the_contract_columns_one_row_per_company_and_year(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "results.csv"
    result = run(runner, write(tmp_path / "t.csv", TWO_COMPANIES), out)
    succeeded(result)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"reconciled 2 companies against TPI 1.5 Degrees: 7 rows in {out}",
        STEEL_UNITS,
    ]
    frame = pd.read_csv(out)
    assert list(frame.columns) == RESULT_COLUMNS
    assert list(zip(frame["company"], frame["year"], strict=True)) == TWO_COMPANIES_ROWS
    assert set(frame["sector"]) == {"Steel"}
    assert set(frame["scenario"]) == {SCENARIO}


def test_an_interpolated_year_is_computed_as_the_design_says(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "results.csv"
    succeeded(run(runner, write(tmp_path / "t.csv", TWO_COMPANIES), out))
    frame = pd.read_csv(out).set_index(["company", "year"])
    c_b, c_t = 200 / 100, 195 / 100  # Alpha: 2019 given, 2020 between 2019 and 2021
    t_b, t_t = sda(c_b, TPI_STEEL, 2019, 2019), sda(c_b, TPI_STEEL, 2020, 2019)
    tau = 2019 + (t_b - c_t) / (t_b - t_t)  # T falls through C(2020) between 2019 and 2020
    base, row = frame.loc[("Alpha Steel", 2019)], frame.loc[("Alpha Steel", 2020)]
    assert base["target_intensity"] == pytest.approx(c_b, rel=1e-12)
    assert (base["gap"], base["status"], base["years_behind"]) == (0.0, "aligned", 0.0)
    assert row["activity"] == pytest.approx(100.0)
    assert row["emissions"] == pytest.approx(195.0)
    assert row["intensity"] == pytest.approx(c_t, rel=1e-12)
    assert row["sector_intensity"] == pytest.approx(TPI_STEEL[2020], rel=1e-12)
    assert row["target_intensity"] == pytest.approx(t_t, rel=1e-12)
    assert row["gap"] == pytest.approx(c_t - t_t, rel=1e-9)
    assert row["gap_pct"] == pytest.approx((c_t - t_t) / t_t, rel=1e-9)
    assert row["status"] == "behind"
    assert row["years_behind"] == pytest.approx(2020 - tau, rel=1e-9)
    assert row["excess_emissions"] == pytest.approx((c_t - t_t) * 100, rel=1e-9)
    assert row["cumulative_excess"] == pytest.approx((c_t - t_t) * 100, rel=1e-9)
    assert row["benchmark_alignment"] == "not aligned"  # 1.95 is above every TPI Steel curve
    zeta = frame.loc[("Zeta Steel", 2022)]
    assert zeta["target_intensity"] == pytest.approx(sda(85 / 50, TPI_STEEL, 2022, 2019), 1e-12)


def test_rows_stop_at_the_scenarios_last_year(runner: FlaskCliRunner, tmp_path: Path) -> None:
    trajectories = write(
        tmp_path / "t.csv",
        f"{HEADER}\n"
        "Long Steel,Steel,Global,S1S2,2019,100,t Steel,180,t CO2,reported\n"
        "Long Steel,Steel,Global,S1S2,2060,100,t Steel,10,t CO2,planned\n",
    )
    out = tmp_path / "results.csv"
    succeeded(run(runner, trajectories, out))
    frame = pd.read_csv(out)
    assert frame["year"].tolist() == list(range(2019, 2051))
    assert frame["target_intensity"].iloc[-1] == pytest.approx(TPI_STEEL[2050], rel=1e-12)


def test_base_year_option_starts_every_company_there(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "results.csv"
    succeeded(run(runner, write(tmp_path / "t.csv", TWO_COMPANIES), out, "--base-year", 2020))
    frame = pd.read_csv(out)
    assert list(zip(frame["company"], frame["year"], strict=True)) == [
        r for r in TWO_COMPANIES_ROWS if r[1] >= 2020
    ]
    base = frame[frame["year"] == 2020]
    assert base["target_intensity"].tolist() == pytest.approx(base["intensity"].tolist())
    assert base["status"].tolist() == ["aligned", "aligned"]
    alpha_2021 = frame[(frame["company"] == "Alpha Steel") & (frame["year"] == 2021)]
    assert alpha_2021["target_intensity"].item() == pytest.approx(
        sda(1.95, TPI_STEEL, 2021, 2020), rel=1e-12
    )


def test_scenario_names_match_without_regard_to_case(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "results.csv"
    trajectories = write(tmp_path / "t.csv", TWO_COMPANIES)
    succeeded(run(runner, trajectories, out, scenario="tpi 1.5 DEGREES"))
    assert set(pd.read_csv(out)["scenario"]) == {SCENARIO}


def test_a_region_without_its_own_pathway_is_compared_with_global(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    trajectories = write(
        tmp_path / "t.csv",
        f"{HEADER}\nEuro Steel,Steel,Europe,S1S2,2019,100,t Steel,180,t CO2,reported\n"
        "Euro Steel,Steel,Europe,S1S2,2020,100,t Steel,170,t CO2,planned\n",
    )
    out = tmp_path / "results.csv"
    result = run(runner, trajectories, out)
    succeeded(result)
    assert result.stderr.splitlines()[0] == (
        "warning: Steel S1S2 companies in region 'Europe' are compared with the Global pathway "
        "of TPI 1.5 Degrees (it has none for 'Europe')"
    )
    assert pd.read_csv(out)["sector_intensity"].tolist() == [TPI_STEEL[2019], TPI_STEEL[2020]]


def test_with_details_appends_the_detail_columns(runner: FlaskCliRunner, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    trajectories = write(tmp_path / "t.csv", TWO_COMPANIES)
    succeeded(run(runner, trajectories, out, "--with-details"))
    frame = pd.read_csv(out, keep_default_na=False)
    assert list(frame.columns) == RESULT_COLUMNS + DETAIL_COLUMNS
    alpha = frame[frame["company"] == "Alpha Steel"]
    labels = ["region", "scope", "activity_unit", "emissions_unit", "intensity_unit"]
    assert alpha[labels].drop_duplicates().to_numpy().tolist() == [
        ["Global", "S1S2", "t Steel", "t CO2", "t CO2/(t Steel)"]
    ]
    # 2020 lies between a reported 2019 and a planned 2021: it is planned.
    assert alpha["kind"].tolist() == ["reported", "planned", "planned"]
    assert alpha["next_milestone"].tolist() == [2020, 2025, 2025]
    first = alpha.iloc[0]
    t_2020 = sda(2.0, TPI_STEEL, 2020, 2019)
    assert first["required_rate"] == pytest.approx(1 - t_2020 / 2.0, rel=1e-9)


def test_the_aggregate_adds_up_the_companies(runner: FlaskCliRunner, tmp_path: Path) -> None:
    out, totals = tmp_path / "results.csv", tmp_path / "platform.csv"
    trajectories = write(tmp_path / "t.csv", TWO_COMPANIES)
    result = run(runner, trajectories, out, "--aggregate", totals)
    succeeded(result)
    results, aggregate = pd.read_csv(out), pd.read_csv(totals)
    assert list(aggregate.columns) == AGGREGATE_COLUMNS
    assert aggregate["year"].tolist() == [2019, 2020, 2021, 2022]
    assert set(aggregate["sector"]) == {"Steel"}
    assert set(aggregate["scenario"]) == {SCENARIO}
    by_year = results.groupby("year")
    assert aggregate["activity"].tolist() == pytest.approx(TWO_COMPANIES_ACTIVITY)
    assert aggregate["emissions"].tolist() == pytest.approx(by_year["emissions"].sum().tolist())
    assert aggregate["intensity"].tolist() == pytest.approx(
        (aggregate["emissions"] / aggregate["activity"]).tolist()
    )
    assert aggregate["gap_emissions"].tolist() == pytest.approx(
        by_year["excess_emissions"].sum().tolist(), rel=1e-9, abs=1e-9
    )
    fair_share = (results["target_intensity"] * results["activity"]).groupby(results["year"])
    assert aggregate["fair_share_emissions"].tolist() == pytest.approx(fair_share.sum().tolist())
    assert aggregate["sector_curve_emissions"].tolist() == pytest.approx(
        [TPI_STEEL[y] * a for y, a in zip(aggregate["year"], aggregate["activity"], strict=True)]
    )


def test_a_company_with_no_value_at_the_base_year_is_left_out_with_a_warning(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    trajectories = write(
        tmp_path / "t.csv",
        TWO_COMPANIES
        + "Late Steel,Steel,Global,S1S2,2021,10,t Steel,15,t CO2,reported\n"
        + "Late Steel,Steel,Global,S1S2,2030,12,t Steel,10,t CO2,planned\n"
        + "Gone Steel,Steel,Global,S1S2,2015,10,t Steel,15,t CO2,reported\n"
        + "Gone Steel,Steel,Global,S1S2,2018,10,t Steel,14,t CO2,reported\n",
    )
    out, totals = tmp_path / "results.csv", tmp_path / "platform.csv"
    result = run(runner, trajectories, out, "--aggregate", totals)
    succeeded(result)
    assert result.stderr.splitlines() == [
        "warning: Gone Steel (Steel, Global, S1S2) left out: no value at base year 2019 "
        "(its trajectory covers 2015-2018)",
        "warning: Late Steel (Steel, Global, S1S2) left out: no value at base year 2019 "
        "(its trajectory covers 2021-2030)",
        f"reconciled 2 companies against TPI 1.5 Degrees: 7 rows in {out}",
        STEEL_UNITS,
    ]
    frame = pd.read_csv(out)
    assert list(zip(frame["company"], frame["year"], strict=True)) == TWO_COMPANIES_ROWS
    assert pd.read_csv(totals)["activity"].tolist() == pytest.approx(TWO_COMPANIES_ACTIVITY)


def test_an_intensity_only_company_is_reconciled_but_left_out_of_totals(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    trajectories = write(
        tmp_path / "t.csv",
        f"{HEADER},intensity,intensity_unit\n"
        "Alpha Steel,Steel,Global,S1S2,2019,100,t Steel,200,t CO2,reported,,\n"
        "Alpha Steel,Steel,Global,S1S2,2020,100,t Steel,190,t CO2,reported,,\n"
        "Beta Steel,Steel,Global,S1S2,2019,,,,,reported,1.8,t CO2/(t Steel)\n"
        "Beta Steel,Steel,Global,S1S2,2020,,,,,reported,1700,kg CO2/(t Steel)\n",
    )
    out, totals = tmp_path / "results.csv", tmp_path / "platform.csv"
    result = run(runner, trajectories, out, "--aggregate", totals)
    succeeded(result)
    assert result.stderr.splitlines()[0] == (
        "warning: Beta Steel (Steel) gives only an intensity and is left out of the platform totals"
    )
    beta = pd.read_csv(out).query("company == 'Beta Steel'")
    assert beta["intensity"].tolist() == pytest.approx([1.8, 1.7])
    assert beta["target_intensity"].tolist() == pytest.approx(
        [1.8, sda(1.8, TPI_STEEL, 2020, 2019)], rel=1e-12
    )
    assert beta["activity"].isna().all()
    assert beta["excess_emissions"].isna().all()
    assert pd.read_csv(totals)["activity"].tolist() == [100.0, 100.0]


def test_adjust_scenario_market_rescales_to_the_companies_weighted_intensity(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "results.csv"
    trajectories = write(tmp_path / "t.csv", TWO_COMPANIES)
    succeeded(run(runner, trajectories, out, "--adjust-scenario", "market"))
    frame = pd.read_csv(out).set_index(["company", "year"])
    market = (200 + 85) / (100 + 50)  # production-weighted C(b) of both companies
    scaled = {year: s * market / TPI_STEEL[2019] for year, s in TPI_STEEL.items()}
    assert frame.loc[("Alpha Steel", 2021), "target_intensity"] == pytest.approx(
        sda(2.0, scaled, 2021, 2019), rel=1e-12
    )
    assert frame.loc[("Zeta Steel", 2022), "target_intensity"] == pytest.approx(
        sda(1.7, scaled, 2022, 2019), rel=1e-12
    )
    assert frame.loc[("Zeta Steel", 2022), "sector_intensity"] == pytest.approx(TPI_STEEL[2022])


def test_sda_market_share_uses_the_pathways_sector_activity(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    trajectories = write(
        tmp_path / "t.csv",
        f"{HEADER}\n"
        "Alpha Steel,Steel,Global,S1S2,2019,100,t Steel,200,t CO2e,reported\n"
        "Alpha Steel,Steel,Global,S1S2,2025,130,t Steel,210,t CO2e,planned\n",
    )
    out = tmp_path / "results.csv"
    result = run(
        runner,
        trajectories,
        out,
        "--method",
        "sda-market-share",
        scenario="OECM 1.5 Degrees",
        pathways=(TPI, OECM),
    )
    succeeded(result)
    frame = pd.read_csv(out).set_index("year")
    assert frame.index.tolist() == list(range(2019, 2026))
    s = pathway_values(OECM, "Steel", "OECM 1.5 Degrees")
    a_s = pathway_values(OECM, "Steel", "OECM 1.5 Degrees", column="activity")
    activity_2025 = 130.0
    share = (100 / a_s[2019]) / (activity_2025 / a_s[2025])
    p = (s[2025] - s[2050]) / (s[2019] - s[2050])
    assert frame.loc[2025, "target_intensity"] == pytest.approx(
        (2.0 - s[2050]) * p * share + s[2050], rel=1e-12
    )
    assert frame.loc[2025, "sector_intensity"] == pytest.approx(s[2025])


# --- file formats ----------------------------------------------------------------------------


def test_xlsx_trajectories_give_the_same_results_as_csv(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    trajectories = write(tmp_path / "t.csv", TWO_COMPANIES)
    from_csv, from_xlsx = tmp_path / "csv.csv", tmp_path / "xlsx.csv"
    succeeded(run(runner, trajectories, from_csv, "--with-details"))
    workbook = csv_to_xlsx(trajectories, tmp_path / "t.xlsx")
    succeeded(run(runner, workbook, from_xlsx, "--with-details"))
    assert from_xlsx.read_bytes() == from_csv.read_bytes()


def test_xlsx_pathways_give_the_same_results_as_csv(runner: FlaskCliRunner, tmp_path: Path) -> None:
    trajectories = write(tmp_path / "t.csv", TWO_COMPANIES)
    from_csv, from_xlsx = tmp_path / "csv.csv", tmp_path / "xlsx.csv"
    succeeded(run(runner, trajectories, from_csv))
    workbook = csv_to_xlsx(TPI, tmp_path / "tpi.xlsx")
    succeeded(run(runner, trajectories, from_xlsx, pathways=(workbook,)))
    assert from_xlsx.read_bytes() == from_csv.read_bytes()


def test_xlsx_output_holds_the_same_tables_as_csv(runner: FlaskCliRunner, tmp_path: Path) -> None:
    trajectories = write(tmp_path / "t.csv", TWO_COMPANIES)
    csv_out, csv_totals = tmp_path / "r.csv", tmp_path / "a.csv"
    xlsx_out, xlsx_totals = tmp_path / "r.xlsx", tmp_path / "a.xlsx"
    succeeded(run(runner, trajectories, csv_out, "--aggregate", csv_totals, "--with-details"))
    succeeded(run(runner, trajectories, xlsx_out, "--aggregate", xlsx_totals, "--with-details"))
    for xlsx_file, csv_file in ((xlsx_out, csv_out), (xlsx_totals, csv_totals)):
        pd.testing.assert_frame_equal(
            pd.read_excel(xlsx_file, engine="openpyxl"), pd.read_csv(csv_file), check_dtype=False
        )


# --- bad input: exit 2, error lines, nothing written -----------------------------------------

ALPHA_2019 = "Alpha Steel,Steel,Global,S1S2,2019,100,t Steel,200,t CO2,reported"
ALPHA_2020 = "Alpha Steel,Steel,Global,S1S2,2020,100,t Steel,190,t CO2,reported"


def lines(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


BAD_INPUT = [
    pytest.param(
        {"t.csv": lines(ALPHA_2019.removesuffix(",reported"), header=HEADER.removesuffix(",kind"))},
        {},
        ["error: t.csv, row 1, column 'kind': missing column"],
        id="missing-column",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019, ALPHA_2020.replace(",100,", ",abc,"))},
        {},
        ["error: t.csv, row 3, column 'activity': not a number"],
        id="activity-not-a-number",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019, ALPHA_2020.replace(",100,", ",-100,"))},
        {},
        ["error: t.csv, row 3, column 'activity': must be greater than zero"],
        id="negative-activity",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019.replace(",100,", ",0,"))},
        {},
        ["error: t.csv, row 2, column 'activity': must be greater than zero"],
        id="zero-activity",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019, ALPHA_2020.replace(",190,", ",-190,"))},
        {},
        ["error: t.csv, row 3, column 'emissions': must not be negative"],
        id="negative-emissions",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019, ALPHA_2020, ALPHA_2020.replace(",190,", ",180,"))},
        {},
        ["error: t.csv, row 4, column 'year': duplicate year 2020: already given in row 3"],
        id="duplicate-company-year",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019, ALPHA_2020.replace("Alpha Steel,Steel", "Glassy,Glass"))},
        {},
        [
            "error: t.csv, row 3, column 'sector': unknown sector 'Glass': tpi.csv has pathways "
            "for Aluminium, Aviation, Cement, Shipping, Steel"
        ],
        id="unknown-sector",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019)},
        {"--scenario": "Nope"},
        [
            "error: tpi.csv, column 'scenario': no scenario named 'Nope'; this file has: "
            "'TPI 1.5 Degrees', 'TPI 2 Degrees', 'TPI 2 Degrees (Shift-Improve)', "
            "'TPI Below 2 Degrees'"
        ],
        id="unknown-scenario",
    ),
    pytest.param(
        {
            "t.csv": lines(
                ALPHA_2019,
                "Bauxite Co,Aluminium,Global,S1S2,2019,10,t Aluminium,60,t CO2,reported",
                "Bauxite Co,Aluminium,Global,S1S2,2020,10,t Aluminium,58,t CO2,reported",
            )
        },
        {},
        [
            "error: t.csv, row 3, column 'sector': scenario 'TPI 1.5 Degrees' has no pathway "
            "for Aluminium",
            "error: t.csv, row 4, column 'sector': scenario 'TPI 1.5 Degrees' has no pathway "
            "for Aluminium",
        ],
        id="sector-the-scenario-lacks",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019.replace("S1S2", "S1"))},
        {},
        [
            "error: t.csv, row 2, column 'scope': scenario 'TPI 1.5 Degrees' has no Steel "
            "pathway for scope S1; it has S1S2"
        ],
        id="scope-the-scenario-lacks",
    ),
    pytest.param(
        {
            "t.csv": lines(
                ALPHA_2019,
                ALPHA_2020,
                "Beta Freight,Steel,Global,S1S2,2019,5000,tkm,1,t CO2,reported",
            )
        },
        {},
        [
            "error: t.csv, row 4, column 'activity_unit': mixed units: 'tkm' does not convert "
            "to 't Steel' used by other Steel companies"
        ],
        id="mixed-units-between-companies",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019.replace("t CO2", "t Steel"))},
        {},
        [
            "error: t.csv, row 2, column 'emissions_unit': 't Steel' is not a mass of CO2 or CO2e "
            "(e.g. 't CO2e')"
        ],
        id="emissions-unit-not-co2e",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019.replace(",t Steel,", ",bananas,"))},
        {},
        ["error: t.csv, row 2, column 'activity_unit': unknown unit 'bananas'"],
        id="unknown-unit",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019.replace("reported", "guessed"))},
        {},
        ["error: t.csv, row 2, column 'kind': kind must be 'reported' or 'planned'"],
        id="bad-kind",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019.replace("2019", "2019.5"))},
        {},
        ["error: t.csv, row 2, column 'year': not a whole year"],
        id="non-whole-year",
    ),
    pytest.param({"t.csv": ""}, {}, ["error: t.csv: the file is empty"], id="empty-file"),
    pytest.param(
        {"t.csv": lines(ALPHA_2019.replace("Alpha", "Acier Fran\xe7ais")).encode("latin-1")},
        {},
        [
            f"error: t.csv: not UTF-8 text (byte {len(HEADER + 'Acier Fran') + 1}); "
            "save as CSV UTF-8"
        ],
        id="latin-1",
    ),
    pytest.param(
        {
            "t.csv": lines(
                '"=HYPERLINK(""http://evil.example"",""Alpha"")",Steel,Global,S1S2,2019,'
                "100,t Steel,200,t CO2,reported"
            )
        },
        {},
        ["error: t.csv, row 2, column 'company': starts like a spreadsheet formula"],
        id="formula-cell",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019)},
        {"--base-year": "2010"},
        [
            "error: base year 2010 lies outside the TPI 1.5 Degrees pathway for Steel "
            "(2019-2050); pathways are never extrapolated"
        ],
        id="base-year-before-pathway",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019)},
        {"--base-year": "2051"},
        [
            "error: base year 2051 lies outside the TPI 1.5 Degrees pathway for Steel "
            "(2019-2050); pathways are never extrapolated"
        ],
        id="base-year-after-pathway",
    ),
    pytest.param(
        {"t.txt": lines(ALPHA_2019)},
        {"--trajectories": "{tmp}/t.txt"},
        ["error: t.txt: unsupported file type; use .csv or .xlsx"],
        id="unsupported-file-type",
    ),
    pytest.param(
        {"t.xlsx": lines(ALPHA_2019)},
        {"--trajectories": "{tmp}/t.xlsx"},
        ["error: t.xlsx: not a readable .xlsx workbook"],
        id="csv-named-xlsx",
    ),
    pytest.param(
        {},
        {"--trajectories": "{tmp}/missing.csv"},
        ["error: missing.csv: file not found"],
        id="missing-trajectories-file",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019)},
        {"--pathways": "{tmp}/missing-pathways.csv"},
        ["error: missing-pathways.csv: file not found"],
        id="missing-pathways-file",
    ),
    pytest.param(
        {
            "t.csv": lines(ALPHA_2019),
            "p.csv": "sector,scenario,region,scope,year,intensity,intensity_unit\n"
            "Steel,Mine,Global,S1S2,2019,-1.5,t CO2e/(t Steel)\n"
            "Steel,Mine,Global,S1S2,2050,x,t CO2e/(t Steel)\n",
        },
        {"--pathways": "{tmp}/p.csv", "--scenario": "Mine"},
        [
            "error: p.csv, row 2, column 'intensity': must not be negative",
            "error: p.csv, row 3, column 'intensity': not a number",
        ],
        id="bad-pathway-file",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019)},
        {"--out": "{tmp}/out.txt"},
        ["error: --out {tmp}/out.txt: use a .csv or .xlsx file name"],
        id="out-suffix",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019)},
        {"--aggregate": "{tmp}/agg.json"},
        ["error: --aggregate {tmp}/agg.json: use a .csv or .xlsx file name"],
        id="aggregate-suffix",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019)},
        {"--aggregate": "{tmp}/nowhere/agg.csv"},
        ["error: --aggregate {tmp}/nowhere/agg.csv: folder {tmp}/nowhere does not exist"],
        id="aggregate-folder-missing",
    ),
    pytest.param(
        {
            "t.csv": lines(
                "Alpha Steel,Steel,Global,S1S2,2019,,,,,reported,1.8,t CO2/tkm",
                header=HEADER + ",intensity,intensity_unit",
            )
        },
        {},
        [
            "error: t.csv, row 2, column 'intensity_unit': mixed units: 't CO2/tkm' does not "
            "convert to 't CO2/(t Steel)', the unit of the Steel pathway"
        ],
        id="intensity-unit-unlike-the-pathway",
    ),
    pytest.param(
        {
            "t.csv": lines(
                ALPHA_2019 + ",,",
                "Beta Steel,Steel,Global,S1S2,2019,,,,,reported,1.8,t CO2/(t Steel)",
                header=HEADER + ",intensity,intensity_unit",
            )
        },
        {"--adjust-scenario": "market"},
        [
            "error: --adjust-scenario market weighs companies by activity; Beta Steel gives "
            "only an intensity"
        ],
        id="market-adjustment-needs-activity",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019)},
        {"--method": "sda-market-share"},
        [
            "error: method sda-market-share needs sector activity in the pathway; the "
            "TPI 1.5 Degrees pathway for Steel gives none"
        ],
        id="market-share-needs-sector-activity",
    ),
    pytest.param(
        {
            "t.csv": lines(
                ALPHA_2019.replace(",100,", ",abc,"),
                ALPHA_2020.replace("reported", "estimated").replace("S1S2", "S1+S9"),
            )
        },
        {},
        [
            "error: t.csv, row 2, column 'activity': not a number",
            "error: t.csv, row 3, column 'kind': kind must be 'reported' or 'planned'",
            "error: t.csv, row 3, column 'scope': scope must be one of S1, S2, S3, S1S2, S1S3, "
            "S2S3, S1S2S3",
        ],
        id="several-problems",
    ),
    pytest.param(
        {
            "t.csv": lines(
                ALPHA_2019.replace(",100,", ",abc,"), ALPHA_2020.replace(",Steel,", ",Stel,")
            )
        },
        {},
        [
            "error: t.csv, row 2, column 'activity': not a number",
            "error: t.csv, row 3, column 'sector': unknown sector 'Stel': tpi.csv has pathways "
            "for Aluminium, Aviation, Cement, Shipping, Steel",
        ],
        id="sector-typo-with-other-problems",
    ),
    pytest.param(
        {
            "t.csv": lines(ALPHA_2019.replace(",100,", ",abc,")),
            "p.csv": "sector,scenario,region,scope,year,intensity,intensity_unit\n"
            "Steel,Mine,Global,S1S2,2019,1.5,t CO2e/(t Steel)\n",
        },
        {"--pathways": "{tmp}/p.csv", "--scenario": "Yours"},
        [
            "error: p.csv, column 'scenario': no scenario named 'Yours'; this file has: 'Mine'",
            "error: t.csv, row 2, column 'activity': not a number",
        ],
        id="unknown-scenario-with-row-problems",
    ),
    # Units that do not silently pass (roadmap.domain.conversion).
    pytest.param(
        {
            "t.csv": lines(
                "Chalk,Cement,Global,S1,2019,reported,0.8,t CO2/(t Clinker)",
                header=f"{KEY},intensity,intensity_unit",
            )
        },
        {},
        [
            "error: t.csv, row 2, column 'clinker_ratio': 't CO2/(t Clinker)': a figure per "
            "tonne of clinker needs the clinker-to-cement ratio (t clinker per t cement, "
            "0 < r <= 1) in column 'clinker_ratio' to become one per tonne of cement"
        ],
        id="clinker-without-ratio",
    ),
    pytest.param(
        {
            "t.csv": lines(
                "Chalk,Cement,Global,S1,2019,reported,1000,t Clinker,800,t CO2,0.7",
                "Chalk,Cement,Global,S1,2020,reported,1000,t Clinker,790,t CO2,",
                header=f"{KEY},activity,activity_unit,emissions,emissions_unit,clinker_ratio",
            )
        },
        {},
        [
            "error: t.csv, row 3, column 'clinker_ratio': 't Clinker': a figure per tonne of "
            "clinker needs the clinker-to-cement ratio (t clinker per t cement, 0 < r <= 1) in "
            "column 'clinker_ratio' to become one per tonne of cement"
        ],
        id="clinker-activity-without-ratio-in-one-year",
    ),
    pytest.param(
        {
            "t.csv": lines(
                "Chalk,Cement,Global,S1,2019,reported,0.8,t CO2/(t Clinker),1.2",
                "Chalk,Cement,Global,S1,2020,reported,0.8,t CO2/(t Clinker),0",
                header=f"{KEY},intensity,intensity_unit,clinker_ratio",
            )
        },
        {},
        [
            "error: t.csv, row 2, column 'clinker_ratio': must be at most 1 (t clinker per t "
            "cement)",
            "error: t.csv, row 3, column 'clinker_ratio': must be greater than zero",
        ],
        id="clinker-ratio-out-of-range",
    ),
    pytest.param(
        {
            "t.csv": lines(
                "Wing Air,Aviation,Global,S1,2019,reported,95,g CO2/pkm",
                header=f"{KEY},intensity,intensity_unit",
            )
        },
        {},
        [
            "error: t.csv, row 2, column 'kg_per_passenger': 'g CO2/pkm': passenger-km convert "
            "to revenue tonne-km (RTK) only with the mass per passenger in column "
            "'kg_per_passenger' (the convention is 100 kg); none is given"
        ],
        id="passenger-km-intensity-without-mass",
    ),
    pytest.param(
        {
            "t.csv": lines(
                "Wing Air,Aviation,Global,S1,2019,reported,9000000000,RPK,900000,t CO2,",
                header=f"{KEY},activity,activity_unit,emissions,emissions_unit,kg_per_passenger",
            )
        },
        {},
        [
            "error: t.csv, row 2, column 'kg_per_passenger': 'RPK': passenger-km convert to "
            "revenue tonne-km (RTK) only with the mass per passenger in column "
            "'kg_per_passenger' (the convention is 100 kg); none is given"
        ],
        id="passenger-km-activity-without-mass",
    ),
    pytest.param(
        {
            "t.csv": lines(
                "Wing Air,Aviation,Global,S1,2019,reported,95,g CO2/pkm,-100",
                header=f"{KEY},intensity,intensity_unit,kg_per_passenger",
            )
        },
        {},
        ["error: t.csv, row 2, column 'kg_per_passenger': must be greater than zero"],
        id="negative-mass-per-passenger",
    ),
    pytest.param(
        {"t.csv": lines(ALPHA_2019.replace("t CO2", "t CO2e"))},
        {},
        [
            "error: t.csv, row 2, column 'emissions_unit': 't CO2e' is CO2e but the TPI 1.5 "
            "Degrees pathway for Steel is in CO2 ('t CO2'); CO2e and CO2 are different "
            "quantities: convert the figures, or state that they may be treated as the same "
            "(treat_co2_as_co2e)"
        ],
        id="co2e-against-a-co2-pathway",
    ),
    pytest.param(
        {
            "t.csv": lines(
                "Beta Steel,Steel,Global,S1S2,2019,reported,1.8,t CO2/(t Steel)",
                header=f"{KEY},intensity,intensity_unit",
            )
        },
        {"--pathways": str(OECM), "--scenario": "OECM 1.5 Degrees"},
        [
            "error: t.csv, row 2, column 'intensity_unit': 't CO2/(t Steel)' is CO2 but the "
            "OECM 1.5 Degrees pathway for Steel is in CO2e ('t CO2e/(t Steel)'); CO2 and CO2e "
            "are different quantities: convert the figures, or state that they may be treated "
            "as the same (treat_co2_as_co2e)"
        ],
        id="co2-against-a-co2e-pathway",
    ),
]


def bad_run(runner: FlaskCliRunner, tmp_path: Path, files: dict, options: dict) -> Result:
    for name, content in files.items():
        write(tmp_path / name, content)
    args = {
        "--pathways": str(TPI),
        "--trajectories": "{tmp}/t.csv",
        "--scenario": SCENARIO,
        "--out": "{tmp}/out.csv",
        "--aggregate": "{tmp}/agg.csv",
        **options,
    }
    argv = [a.format(tmp=tmp_path) for pair in args.items() for a in pair]
    return reconcile(runner, *argv)


@pytest.mark.parametrize(("files", "options", "expected"), BAD_INPUT)
def test_bad_input_exits_2_naming_the_place_and_writes_nothing(
    runner: FlaskCliRunner, tmp_path: Path, files: dict, options: dict, expected: list[str]
) -> None:
    result = bad_run(runner, tmp_path, files, options)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.splitlines() == [line.format(tmp=tmp_path) for line in expected]
    assert result.stdout == ""
    out = Path(options.get("--out", "{tmp}/out.csv").format(tmp=tmp_path))
    aggregate = Path(options.get("--aggregate", "{tmp}/agg.csv").format(tmp=tmp_path))
    assert not out.exists()
    assert not aggregate.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging


@pytest.mark.parametrize(("files", "options", "expected"), BAD_INPUT)
def test_bad_input_leaves_an_existing_output_file_as_it_was(
    runner: FlaskCliRunner, tmp_path: Path, files: dict, options: dict, expected: list[str]
) -> None:
    out = Path(options.get("--out", "{tmp}/out.csv").format(tmp=tmp_path))
    before = b"company,year\nEarlier Run,2020\n\xff not even text\n"
    out.write_bytes(before)
    result = bad_run(runner, tmp_path, files, options)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.splitlines() == [line.format(tmp=tmp_path) for line in expected]
    assert out.read_bytes() == before
    assert not Path(options.get("--aggregate", "{tmp}/agg.csv").format(tmp=tmp_path)).exists()


def test_a_failed_run_does_not_remove_an_existing_aggregate(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    totals = write(tmp_path / "agg.csv", "sector,year\nSteel,2020\n")
    result = bad_run(runner, tmp_path, {"t.csv": lines(ALPHA_2019)}, {"--scenario": "Nope"})
    assert result.exit_code == 2
    assert totals.read_bytes() == b"sector,year\nSteel,2020\n"


def test_many_problems_are_listed_up_to_fifty_then_counted(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    rows = [
        f"Alpha Steel,Steel,Global,S1S2,{year},-1,t Steel,200,t CO2,reported"
        for year in range(1990, 2050)
    ]
    result = bad_run(runner, tmp_path, {"t.csv": lines(*rows)}, {})
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: t.csv, row {row}, column 'activity': must be greater than zero"
        for row in range(2, 52)
    ] + ["error: ... and 10 more problems"]


def test_a_successful_run_replaces_an_existing_output(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = write(tmp_path / "results.csv", "old\n")
    succeeded(run(runner, write(tmp_path / "t.csv", TWO_COMPANIES), out))
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(RESULT_COLUMNS)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --- found as bugs, now fixed --------------------------------------------------------------


def test_a_trajectory_file_with_no_rows_is_refused(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = bad_run(runner, tmp_path, {"t.csv": lines()}, {})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: t.csv")
    assert not (tmp_path / "out.csv").exists()


def test_a_year_given_by_two_pathway_files_is_refused(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    again = write(
        tmp_path / "again.csv",
        "sector,scenario,region,scope,year,intensity,intensity_unit\n"
        "Steel,TPI 1.5 Degrees,Global,S1S2,2019,3,t CO2e/(t Steel)\n"
        "Steel,TPI 1.5 Degrees,Global,S1S2,2050,1,t CO2e/(t Steel)\n",
    )
    out = tmp_path / "out.csv"
    trajectories = write(tmp_path / "t.csv", TWO_COMPANIES)
    result = run(runner, trajectories, out, pathways=(TPI, again))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: again.csv, row 2, column 'year': duplicate year 2019")
    assert not out.exists()


def test_pathway_files_with_unconvertible_units_for_one_sector_are_refused(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    other = write(
        tmp_path / "other.csv",
        "sector,scenario,region,scope,year,intensity,intensity_unit\n"
        "Steel,Freight View,Global,S1S2,2019,5,kg CO2e/tkm\n"
        "Steel,Freight View,Global,S1S2,2050,1,kg CO2e/tkm\n",
    )
    out = tmp_path / "out.csv"
    trajectories = write(tmp_path / "t.csv", TWO_COMPANIES)
    result = run(runner, trajectories, out, pathways=(TPI, other))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: other.csv, row 2, column 'intensity_unit': mixed units")
    assert not out.exists()


def test_a_year_repeated_under_another_spelling_of_the_sector_is_refused(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    result = bad_run(
        runner,
        tmp_path,
        {
            "t.csv": lines(
                ALPHA_2019, ALPHA_2019.replace(",Steel,", ",steel,").replace("200", "100")
            )
        },
        {},
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: t.csv, row 3, column 'year': duplicate year 2019: already given in row 2"
    ]
    assert not (tmp_path / "out.csv").exists()


def test_co2e_figures_meet_a_co2_pathway_only_when_stated_and_stderr_says_so(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Alpha's 200 t CO2e over 100 t steel in 2019 against TPI (CO2): with
    --treat-co2-as-co2e read as 200 t CO2, intensity 2.0 t CO2/t steel (factor 1); stderr
    says which figures were relabelled, and the results carry t CO2."""
    trajectories = write(tmp_path / "t.csv", lines(ALPHA_2019.replace("t CO2", "t CO2e")))
    out = tmp_path / "out.csv"
    refused = run(runner, trajectories, out)
    assert refused.exit_code == 2 and not out.exists()
    result = run(runner, trajectories, out, "--treat-co2-as-co2e", "--with-details")
    succeeded(result)
    assert (
        "note: Steel: figures in CO2e treated as CO2, the basis of the TPI 1.5 Degrees "
        "pathway (treat_co2_as_co2e)"
    ) in result.stderr.splitlines()
    assert STEEL_UNITS in result.stderr.splitlines()
    row = pd.read_csv(out).iloc[0]
    assert (row["intensity"], row["emissions"], row["emissions_unit"]) == (2.0, 200.0, "t CO2")


def test_cement_per_tonne_of_clinker_is_reconciled_at_its_clinker_ratio(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """0.6 t CO2/t clinker at 0.7 t clinker per t cement = 0.6 * 0.7 = 0.42 t CO2/t cement;
    2020: 0.5 * 0.8 = 0.40. As the base year, 2019's intensity is its own SDA target."""
    trajectories = write(
        tmp_path / "t.csv",
        lines(
            "Chalk,Cement,Global,S1,2019,reported,0.6,t CO2/(t Clinker),0.7",
            "Chalk,Cement,Global,S1,2020,reported,0.5,t CO2/(t Clinker),0.8",
            header=f"{KEY},intensity,intensity_unit,clinker_ratio",
        ),
    )
    out = tmp_path / "out.csv"
    succeeded(run(runner, trajectories, out, "--with-details"))
    rows = pd.read_csv(out).set_index("year")
    assert rows.at[2019, "intensity"] == pytest.approx(0.42)
    assert rows.at[2020, "intensity"] == pytest.approx(0.40)
    assert rows.at[2019, "target_intensity"] == pytest.approx(0.42)
    assert set(rows["intensity_unit"]) == {"t CO2/(t Cement)"}


def test_aviation_per_passenger_km_is_reconciled_at_100_kg_per_passenger(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """100 g CO2/pkm at 100 kg (0.1 t) per passenger = 100 / 0.1 = 1000 g CO2/RTK; as
    activity, 5e9 pkm * 0.1 t = 5e8 tkm, and 600,000 t CO2 over 5e8 tkm = 1200 g CO2/RTK."""
    trajectories = write(
        tmp_path / "t.csv",
        lines(
            "Wing Air,Aviation,Global,S1,2019,,,,,reported,100,g CO2/pkm,100",
            "Wing Air,Aviation,Global,S1,2020,,,,,reported,100,g CO2/RPK,100",
            "Cloud Air,Aviation,Global,S1,2019,5000000000,pkm,600000,t CO2,reported,,,100",
            "Cloud Air,Aviation,Global,S1,2020,5000000000,pkm,600000,t CO2,reported,,,100",
            header=f"{HEADER},intensity,intensity_unit,kg_per_passenger",
        ),
    )
    out = tmp_path / "out.csv"
    succeeded(run(runner, trajectories, out, "--with-details"))
    rows = pd.read_csv(out).set_index(["company", "year"])
    assert rows.at[("Wing Air", 2019), "intensity"] == pytest.approx(1000)
    assert rows.at[("Wing Air", 2020), "intensity"] == pytest.approx(1000)
    assert rows.at[("Cloud Air", 2019), "activity"] == pytest.approx(5e8)
    assert rows.at[("Cloud Air", 2019), "intensity"] == pytest.approx(1200)
    assert rows.at[("Cloud Air", 2019), "activity_unit"] == "tkm"
    assert set(rows["intensity_unit"]) == {"g CO2/RTK"}
