"""Implied temperature rise and TPI's assessment years on the dashboards: the platform's
headline score, each company's for coordinators, the company page, the consultant's benchmark;
others' scores under the same rule as totals."""

from __future__ import annotations

import pytest
from pytest import approx

from roadmap.accounts import access
from roadmap.accounts import operations as account_operations
from roadmap.companies import operations as company_operations
from roadmap.domain import columns as col
from roadmap.domain.temperature import implied_temperatures
from roadmap.reconciliation import analysis, dashboards
from roadmap.reconciliation.filters import Filters
from roadmap.sectors import operations as sector_operations
from tests.domain.helpers import pathways
from tests.reconciliation.test_views import (
    ADMIN,
    ALL,
    COMPANIES,
    PEERS,
    accept,
    board_for,
    engine_results,
)
from tests.world import World, sign_in

# Alpha's score is worked on paper in tests/domain/test_temperature.py: 1.5676738 degC.
ALPHA_SCORE = 1.5676738


@pytest.fixture
def accepted(session, world: World):  # type: ignore[no-untyped-def]
    accept(session, world.platform, COMPANIES)
    return world


def engine_scores():  # type: ignore[no-untyped-def]
    return implied_temperatures(engine_results(), pathways(), "Test 1.5").table


def sector_score() -> float:
    scores = engine_scores()
    return float(scores.loc[scores[col.LEVEL] == "sector", col.IMPLIED_TEMPERATURE].iloc[0])


def test_coordinators_see_the_platform_score_and_each_companys(client, session, accepted):
    board = board_for(session, accepted, ADMIN)
    assert board.summary["temperature"] == approx(sector_score())
    assert board.summary["temperature_years"] == "2020-2050"
    table = board.tables["temperature"].frame
    assert table["Company"].tolist() == ALL
    alpha = table[table["Company"] == "Alpha"].iloc[0]
    assert alpha["Implied temperature rise (°C)"] == approx(ALPHA_SCORE, abs=1e-7)
    sign_in(client, accepted.coordinator.email)
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    assert f"<strong>{sector_score():.2f} °C</strong>" in html
    assert "Implied temperature rise by company" in html
    csv = client.get("/platforms/steel/dashboard/temperature.csv").get_data(as_text=True)
    assert (
        csv.lstrip("\ufeff")
        .splitlines()[0]
        .startswith("Company,From,To,Cumulative emissions (t CO2e)")
    )


def test_members_see_the_platform_score_but_no_peers(client, session, accepted):
    """Five companies Alpha's member cannot see make up the score: it may be shown."""
    viewer = access.viewer_for(accepted.member, session=session)
    board = board_for(session, accepted, viewer)
    assert board.summary["temperature"] == approx(sector_score())
    assert "temperature" not in board.tables
    sign_in(client, accepted.member.email)
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    assert f"<strong>{sector_score():.2f} °C</strong>" in html
    for peer in PEERS:
        assert peer not in html
    assert client.get("/platforms/steel/dashboard/temperature.csv").status_code == 404


def test_a_score_over_fewer_than_three_hidden_companies_is_withheld(session, world: World):
    three = "\n".join(COMPANIES.splitlines()[:9])  # Alpha, Delta, Gamma
    accept(session, world.platform, three)
    consultant = account_operations.create_user(
        session=session, email="c@example.org", password="correct horse battery", role="consultant"
    )
    for name in ("Alpha", "Delta"):
        company = company_operations.get_or_create_company(name, session=session)
        account_operations.grant_consultant(
            company.id, consultant, granted_by=world.member, session=session
        )
    session.commit()
    viewer = access.viewer_for(consultant, session=session)
    result = analysis.analyse_platform(
        world.platform, scenario="Test 1.5", viewer=viewer, session=session
    )
    # Gamma alone is hidden: the sector's score, with Alpha's and Delta's, would give it away.
    assert result.temperatures[col.LEVEL].tolist() == ["company", "company"]
    assert sorted(result.temperatures[col.COMPANY]) == ["Alpha", "Delta"]
    assert board_for(session, world, viewer).summary["temperature"] is None
    anonymous = analysis.analyse_platform(
        world.platform, scenario="Test 1.5", viewer=access.ANONYMOUS, session=session
    )
    # All three hidden: the score is over three companies no one of which can be singled out.
    assert anonymous.temperatures[col.LEVEL].tolist() == ["sector"]


def test_company_page_shows_its_score_and_the_assessment_years(client, session, accepted):
    board = dashboards.company_dashboard(
        accepted.alpha,
        accepted.platform,
        Filters(),
        viewer=access.viewer_for(accepted.member, session=session),
        session=session,
        default_scenario="Test 1.5",
    )
    assert board.summary["temperature"] == approx(ALPHA_SCORE, abs=1e-7)
    table = board.tables["assessment_years"].frame
    assert table["Year"].tolist() == [2025, 2030, 2035, 2050]
    # 2030: C = 1.5, T = 1.25 (gap 0.25); Test 1.5 is 1.0 there (not met), Test 2 1.6 (met).
    at_2030 = table[table["Year"] == 2030].iloc[0]
    assert at_2030["Gap to target (t CO2e/(t Steel))"] == approx(0.25)
    assert at_2030["Lowest-temperature benchmark met"] == "Test 2"
    sign_in(client, accepted.member.email)
    html = client.get(f"/companies/{accepted.alpha.id}").get_data(as_text=True)
    assert "<strong>1.57 °C</strong> over 2020-2050 against Test 1.5" in html
    assert "At TPI&#39;s assessment years: the lowest-temperature benchmark met" in html


def test_the_benchmark_lists_each_clients_score(session, accepted):
    board = dashboards.benchmark_dashboard(
        accepted.platform,
        ["Alpha"],
        Filters(),
        viewer=ADMIN,
        session=session,
        default_scenario="Test 1.5",
    )
    table = board.tables["temperature"].frame
    assert table["Company"].tolist() == ["Alpha"]
    assert table["Implied temperature rise (°C)"].iloc[0] == approx(ALPHA_SCORE, abs=1e-7)


def test_rival_benchmarks_are_told_plainly_never_a_server_error(client, session, accepted):
    """A stored "Test 1.5 old" at 1.5 degC with another curve rivals "Test 1.5"."""
    rival = pathways(
        "sector,scenario,region,scope,year,intensity,intensity_unit,temperature\n"
        "Steel,Test 1.5 old,Global,S1S2,2020,2.0,t CO2e/(t Steel),1.5\n"
        "Steel,Test 1.5 old,Global,S1S2,2050,0.3,t CO2e/(t Steel),1.5\n"
    )
    sector_operations.import_pathways(rival, session=session)
    session.commit()
    answer = client.get("/api/v1/platforms/steel/reconciliation?scenario=Test%201.5")
    assert answer.status_code == 422
    assert answer.get_json()["message"].startswith(
        "cannot reconcile: 'Test 1.5' and 'Test 1.5 old' are both 1.5 degC benchmarks"
    )
    page = client.get("/platforms/steel/dashboard")
    assert page.status_code == 200
    assert "cannot be reconciled against Test 1.5" in page.get_data(as_text=True)
