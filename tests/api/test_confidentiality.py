"""Rows and totals that would let someone see a company they may not see (from a review)."""

from __future__ import annotations

from roadmap.accounts import operations as account_operations
from roadmap.sectors import operations as sector_operations
from roadmap.submissions import operations as submission_operations
from tests.domain.helpers import TRAJECTORY_HEADER, pathways, trajectories
from tests.factories import PlatformFactory

API = "/api/v1"


def _companies(*names: str) -> str:
    rows = "".join(
        f"{n},Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported\n"
        f"{n},Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned\n"
        for n in names
    )
    return TRAJECTORY_HEADER + "\n" + rows


def _token(session, **user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    created = account_operations.create_user(
        session=session, password="correct horse battery", **user
    )
    _, secret = account_operations.create_api_token(created, "t", session=session)
    return {"Authorization": f"Bearer {secret}"}


def _world(session):  # type: ignore[no-untyped-def]
    sector_operations.import_pathways(pathways(), session=session)
    sector = sector_operations.get_or_create_sector("Steel", "t CO2e/(t Steel)", session=session)
    one = PlatformFactory(slug="one", sector_id=sector.id, is_public=True)
    two = PlatformFactory(slug="two", sector_id=sector.id, is_public=True)
    submission_operations.create_submissions(
        trajectories(_companies("A", "B", "C")),
        platform=one,
        source="seed",
        status="accepted",
        session=session,
    )
    submission_operations.create_submissions(
        trajectories(_companies("A", "D")),
        platform=two,
        source="seed",
        status="accepted",
        session=session,
    )
    return one, two


def test_totals_need_three_companies_for_those_who_cannot_see_them(client, session):
    _world(session)
    session.commit()
    three = client.get(f"{API}/platforms/one/reconciliation?scenario=Test%201.5").get_json()
    assert three["rows"] == []
    assert {row["year"] for row in three["aggregate"]} == set(range(2020, 2031))
    assert three["aggregate"][0]["emissions"] == 750.0  # 3 x 250 t in 2020
    two = client.get(f"{API}/platforms/two/reconciliation?scenario=Test%201.5").get_json()
    assert two["aggregate"] == []  # two companies: a total would show the other's figures


def test_a_coordinator_sees_no_rows_on_a_platform_it_does_not_run(client, session):
    one, _ = _world(session)
    headers = _token(session, email="coord@example.org", role="coordinator", platform_ids=[one.id])
    session.commit()
    own = client.get(
        f"{API}/platforms/one/reconciliation?scenario=Test%201.5", headers=headers
    ).get_json()
    assert {row["company"] for row in own["rows"]} == {"A", "B", "C"}
    other = client.get(
        f"{API}/platforms/two/reconciliation?scenario=Test%201.5", headers=headers
    ).get_json()
    assert other["rows"] == []  # A reports on "two" as well, but that is not its platform
