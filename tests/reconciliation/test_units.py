"""CO2 and CO2e on the web: a platform's statement that they may meet, used when its
submissions are reconciled and said on its dashboards."""

from __future__ import annotations

import pytest

from roadmap.domain.ingest import read_bytes
from roadmap.domain.validate import validate_pathways
from roadmap.sectors import operations as sector_operations
from tests.reconciliation.test_views import accept
from tests.world import World, csrf_token, sign_in

# A Steel scenario published in CO2, beside the world's "Test 1.5" in CO2e:
# S = 2.0 (2020) -> 1.0 (2050).
CO2_PATHWAY = """sector,scenario,region,scope,year,intensity,intensity_unit
Steel,Test CO2,Global,S1S2,2020,2.0,t CO2/(t Steel)
Steel,Test CO2,Global,S1S2,2050,1.0,t CO2/(t Steel)
"""
# The helpers' companies report t CO2e: Alpha 250 t over 100 t steel in 2020 (2.5 t/t).
CO2E_NOTE = (
    "Steel: figures in CO2e treated as CO2, the basis of the Test CO2 pathway (treat_co2_as_co2e)"
)


@pytest.fixture
def with_co2_scenario(session, world: World) -> World:  # type: ignore[no-untyped-def]
    table = validate_pathways(read_bytes(CO2_PATHWAY.encode(), suffix=".csv", name="co2.csv"))
    sector_operations.import_pathways(table, session=session)
    accept(session, world.platform)
    return world


def dashboard(client, world: World, scenario: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/platforms/{world.platform.slug}/dashboard?scenario={scenario}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_co2e_submissions_are_not_reconciled_against_a_co2_scenario_unless_stated(
    client, session, with_co2_scenario: World
):
    """Without the platform's statement, the coordinator is told why Test CO2 cannot be
    reconciled (the engine's message naming the stored row and column); the CO2e scenario
    still works and notes that the CO2 benchmark is not ranked."""
    world = with_co2_scenario
    assert world.platform.treat_co2_as_co2e is False  # the model's default
    sign_in(client, world.coordinator.email)
    html = dashboard(client, world, "Test CO2")
    assert "cannot be reconciled against Test CO2" in html
    assert "&#39;t CO2e&#39; is CO2e but the Test CO2 pathway for Steel is in CO2" in html
    assert "column &#39;emissions_unit&#39;" in html
    own = dashboard(client, world, "Test 1.5")
    assert "benchmark Test CO2 is in CO2, not CO2e; it is not ranked" in own


def test_when_the_platform_states_it_the_dashboards_say_so(
    client, session, with_co2_scenario: World
):
    """With treat_co2_as_co2e, Alpha's 2.5 t CO2e/t steel in 2020 is read as 2.5 t CO2/t
    steel against Test CO2, and every viewer's dashboard says so (the note names no
    company): the coordinator's, and the company member's own."""
    world = with_co2_scenario
    world.platform.treat_co2_as_co2e = True
    session.add(world.platform)
    session.commit()
    sign_in(client, world.coordinator.email)
    html = dashboard(client, world, "Test CO2")
    assert "cannot be reconciled" not in html
    assert CO2E_NOTE in html
    assert client.post("/auth/logout", data={"csrf_token": csrf_token(html)}).status_code == 302
    sign_in(client, world.member.email)
    assert CO2E_NOTE in dashboard(client, world, "Test CO2")


def test_the_platform_form_sets_and_clears_the_statement(client, session, world: World):
    """The checkbox on the platform form is what the reconciliation reads."""
    sign_in(client, world.coordinator.email)
    url = f"/platforms/{world.platform.slug}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'name="treat_co2_as_co2e"' in page
    data = {
        "csrf_token": csrf_token(page),
        "name": world.platform.name,
        "slug": world.platform.slug,
        "sector": str(world.platform.sector_id),
        "region": "Global",
        "scope": "S1S2",
        "coverage_target": "0.5",
        "treat_co2_as_co2e": "y",
    }
    assert client.post(url, data=data).status_code == 302
    session.refresh(world.platform)
    assert world.platform.treat_co2_as_co2e is True
    del data["treat_co2_as_co2e"]
    assert client.post(url, data=data).status_code == 302
    session.refresh(world.platform)
    assert world.platform.treat_co2_as_co2e is False
