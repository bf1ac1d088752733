"""``roadmap reconcile --temperature FILE`` and ``--extend flat`` (issue 10, part 2).

Alpha Steel (tests/test_cli_reconcile.py): A = 100 t, E = 200 (2019), 195 (2020, interpolated),
190 t (2021), against TPI 1.5 Degrees (1.5 degC, G = 396 Gt CO2): C(b) = 2.0 and
T(t) = (2.0 - S(2050)) (S(t) - S(2050)) / (S(2019) - S(2050)) + S(2050) from the shipped curve.
cumulative_emissions = 585 t; cumulative_budget = 100 (T(2019) + T(2020) + T(2021)).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.test_cli_reconcile import (
    HEADER,
    SCENARIO,
    TPI,
    TPI_STEEL,
    TWO_COMPANIES,
    csv_to_xlsx,
    run,
    sda,
    succeeded,
    write,
)

TCRE = 2.2 / 3664
COLUMNS = [
    "level",
    "company",
    "sector",
    "scenario",
    "base_year",
    "end_year",
    "cumulative_emissions",
    "cumulative_budget",
    "budget_ratio",
    "implied_temperature",
]
ALPHA_ONLY = f"""{HEADER}
Alpha Steel,Steel,Global,S1S2,2019,100,t Steel,200,t CO2,reported
Alpha Steel,Steel,Global,S1S2,2021,100,t Steel,190,t CO2,planned
"""


@pytest.fixture
def runner(offline_app: Flask) -> FlaskCliRunner:
    return offline_app.test_cli_runner()


def budget(years: range) -> float:
    return 100 * sum(sda(2.0, TPI_STEEL, t, 2019) for t in years)


def test_temperature_file_has_company_and_sector_rows(runner, tmp_path: Path) -> None:
    out, scores = tmp_path / "results.csv", tmp_path / "temperature.csv"
    result = run(runner, write(tmp_path / "t.csv", ALPHA_ONLY), out, "--temperature", scores)
    succeeded(result)
    table = pd.read_csv(scores, keep_default_na=False)
    assert list(table.columns) == COLUMNS
    assert table["level"].tolist() == ["company", "sector"]
    alpha = table.iloc[0]
    assert (alpha["company"], alpha["sector"], alpha["scenario"]) == (
        "Alpha Steel",
        "Steel",
        SCENARIO,
    )
    assert (alpha["base_year"], alpha["end_year"]) == (2019, 2021)
    assert alpha["cumulative_emissions"] == pytest.approx(585)
    expected_budget = budget(range(2019, 2022))
    assert alpha["cumulative_budget"] == pytest.approx(expected_budget)
    ratio = 585 / expected_budget
    assert alpha["budget_ratio"] == pytest.approx(ratio)
    assert alpha["implied_temperature"] == pytest.approx(1.5 + 396 * (ratio - 1) * TCRE)
    # One company: the sector row holds the same sums, with no company named.
    sector = table.iloc[1]
    assert sector["company"] == ""
    assert sector["implied_temperature"] == pytest.approx(alpha["implied_temperature"])


def test_sector_score_sums_both_companies(runner, tmp_path: Path) -> None:
    out, scores = tmp_path / "results.csv", tmp_path / "temperature.csv"
    succeeded(run(runner, write(tmp_path / "t.csv", TWO_COMPANIES), out, "--temperature", scores))
    results, table = pd.read_csv(out), pd.read_csv(scores, keep_default_na=False)
    sector = table[table["level"] == "sector"].iloc[0]
    fair = (results["target_intensity"] * results["activity"]).sum()
    assert sector["cumulative_emissions"] == pytest.approx(results["emissions"].sum())
    assert sector["cumulative_budget"] == pytest.approx(fair)
    companies = table[table["level"] == "company"]
    assert sector["cumulative_emissions"] == pytest.approx(companies["cumulative_emissions"].sum())
    assert (sector["base_year"], sector["end_year"]) == (2019, 2022)


def test_temperature_file_may_be_xlsx(runner, tmp_path: Path) -> None:
    out, scores = tmp_path / "results.csv", tmp_path / "temperature.xlsx"
    succeeded(run(runner, write(tmp_path / "t.csv", ALPHA_ONLY), out, "--temperature", scores))
    table = pd.read_excel(scores)
    assert list(table.columns) == COLUMNS
    assert table.loc[0, "cumulative_emissions"] == pytest.approx(585)


def test_extend_flat_holds_the_plan_to_2050_for_rows_and_scores(runner, tmp_path: Path) -> None:
    """Held flat: E = 190 and A = 100 every year 2022-2050 (29 more years), so
    cumulative_emissions = 585 + 29 * 190 = 6095 and the budget runs to 2050."""
    out, scores = tmp_path / "results.csv", tmp_path / "temperature.csv"
    trajectories = write(tmp_path / "t.csv", ALPHA_ONLY)
    succeeded(run(runner, trajectories, out, "--temperature", scores, "--extend", "flat"))
    results = pd.read_csv(out)
    assert results["year"].tolist() == list(range(2019, 2051))
    assert set(results.loc[results["year"] > 2021, "emissions"]) == {190}
    alpha = pd.read_csv(scores, keep_default_na=False).iloc[0]
    assert alpha["end_year"] == 2050
    assert alpha["cumulative_emissions"] == pytest.approx(6095)
    assert alpha["cumulative_budget"] == pytest.approx(budget(range(2019, 2051)))


def test_without_extend_nothing_is_invented(runner, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    succeeded(run(runner, write(tmp_path / "t.csv", ALPHA_ONLY), out))
    assert pd.read_csv(out)["year"].max() == 2021


def test_a_scenario_without_temperature_writes_no_score_and_says_why(
    runner, tmp_path: Path
) -> None:
    bare = write(
        tmp_path / "p.csv",
        "sector,scenario,region,scope,year,intensity,intensity_unit\n"
        "Steel,Plain,Global,S1S2,2019,2.0,t CO2/(t Steel)\n"
        "Steel,Plain,Global,S1S2,2050,0.1,t CO2/(t Steel)\n",
    )
    out, scores = tmp_path / "results.csv", tmp_path / "temperature.csv"
    result = run(
        runner,
        write(tmp_path / "t.csv", ALPHA_ONLY),
        out,
        "--temperature",
        scores,
        scenario="Plain",
        pathways=(bare,),
    )
    succeeded(result)
    assert "warning: Steel: 'Plain' gives no benchmark temperature, so no score" in result.stderr
    table = pd.read_csv(scores)
    assert list(table.columns) == COLUMNS and table.empty


def test_a_bad_temperature_file_name_writes_nothing(runner, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    result = run(
        runner, write(tmp_path / "t.csv", ALPHA_ONLY), out, "--temperature", tmp_path / "t.txt"
    )
    assert result.exit_code == 2
    assert "--temperature" in result.stderr and "use a .csv or .xlsx file name" in result.stderr
    assert not out.exists()


def test_rival_benchmarks_exit_2_and_write_nothing(runner, tmp_path: Path) -> None:
    rival = write(
        tmp_path / "rival.csv",
        "sector,scenario,region,scope,year,intensity,intensity_unit,temperature\n"
        "Steel,TPI 1.5 Degrees (2019),Global,S1S2,2019,2.0,t CO2/(t Steel),1.5\n"
        "Steel,TPI 1.5 Degrees (2019),Global,S1S2,2050,0.1,t CO2/(t Steel),1.5\n",
    )
    out, scores = tmp_path / "results.csv", tmp_path / "temperature.csv"
    result = run(
        runner,
        write(tmp_path / "t.csv", ALPHA_ONLY),
        out,
        "--temperature",
        scores,
        pathways=(TPI, rival),
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: 'TPI 1.5 Degrees' and 'TPI 1.5 Degrees (2019)' are both 1.5 degC benchmarks "
        "for Steel with different curves"
    )
    assert not out.exists() and not scores.exists()


def test_xlsx_pathways_carry_the_temperature(runner, tmp_path: Path) -> None:
    out, scores = tmp_path / "results.csv", tmp_path / "temperature.csv"
    xlsx = csv_to_xlsx(TPI, tmp_path / "tpi.xlsx")
    trajectories = write(tmp_path / "t.csv", ALPHA_ONLY)
    succeeded(run(runner, trajectories, out, "--temperature", scores, pathways=(xlsx,)))
    assert pd.read_csv(scores).loc[0, "cumulative_emissions"] == pytest.approx(585)
