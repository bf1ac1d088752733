"""A platform whose many rows cannot be reconciled: its coordinator's dashboard lists the first
problems and counts the rest, and every one of them downloads as CSV, for the coordinator
only."""

from __future__ import annotations

import csv
import io

import pytest

from roadmap.reconciliation.dashboards import SHOWN_PROBLEMS
from tests.domain.helpers import TRAJECTORY_HEADER
from tests.reconciliation.test_units import with_co2_scenario  # noqa: F401 (a fixture)
from tests.reconciliation.test_views import accept
from tests.world import World, sign_in

COMPANIES = 40  # three rows each, every row in CO2e against the CO2 scenario: 120 problems
URL = "/platforms/steel/dashboard?scenario=Test%20CO2"
CSV_URL = "/platforms/steel/dashboard-problems.csv?scenario=Test+CO2"


def _rows(number: int) -> str:
    name = f"Company {number:02d}"
    return (
        f"{name},Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported\n"
        f"{name},Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned\n"
        f"{name},Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned\n"
    )


@pytest.fixture
def failing(session, with_co2_scenario: World) -> World:  # noqa: F811
    """Besides the helpers' Alpha (four rows) and Delta (two), in CO2e too, 40
    more companies of three rows each."""
    text = TRAJECTORY_HEADER + "\n" + "".join(_rows(n) for n in range(COMPANIES))
    accept(session, with_co2_scenario.platform, text)
    return with_co2_scenario


def _problem_count(client) -> int:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(client.get(CSV_URL).get_data().decode("utf-8-sig"))))
    return len(rows) - 1


def test_the_coordinator_sees_the_first_problems_and_how_many_more(client, failing) -> None:
    sign_in(client, failing.coordinator.email)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    total = _problem_count(client)
    assert total == 3 * COMPANIES + 6  # and the helpers' Alpha (4 rows) and Delta (2)
    assert f"cannot be reconciled against Test CO2: {total} problems." in page
    assert page.count("is CO2e but the Test CO2 pathway for Steel is in CO2") == SHOWN_PROBLEMS
    assert f"and {total - SHOWN_PROBLEMS} more" in page
    assert 'href="/platforms/steel/dashboard-problems.csv?scenario=Test+CO2"' in page


def test_the_csv_holds_every_problem_with_its_place(client, failing) -> None:
    sign_in(client, failing.coordinator.email)
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 3 * COMPANIES + 6
    assert {row["column"] for row in rows} == {"emissions_unit"}
    assert len({row["row"] for row in rows}) == len(rows)  # one per stored row
    assert all("is CO2e but the Test CO2 pathway" in row["problem"] for row in rows)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_others_get_neither_the_problems_nor_the_csv(client, failing, who) -> None:
    if who == "member":
        sign_in(client, failing.member.email)
    page = client.get(URL).get_data(as_text=True)
    assert "the platform&#39;s coordinators can see why." in page
    assert "is CO2e" not in page
    assert "every problem as CSV" not in page
    assert client.get(CSV_URL).status_code == 404


def test_the_csv_is_404_where_the_dashboard_can_be_drawn(client, failing) -> None:
    sign_in(client, failing.coordinator.email)
    drawn = "/platforms/steel/dashboard-problems.csv?scenario=Test+1.5"
    assert client.get(drawn).status_code == 404
