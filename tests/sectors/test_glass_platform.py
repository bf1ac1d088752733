"""A platform on a sector made in the browser, end to end: it starts with no published
scenario, builds its own roadmap pathway in the milestone editor, and its companies' figures
in t Glass (kt Glass here) are validated and reconciled against that pathway once published:
on the dashboard, in the CSV/XLSX downloads and in the API, in a process that has to learn the
unit from the database (a restart, or the other worker).

The numbers, worked by hand. Roadmap "Glass roadmap": S = 0.6 (2020), 0.5, 0.4, 0.3, 0.2, 0.1,
0.0 (2050) t CO2e/(t Glass). Alpha: 100 kt Glass and 60 kt CO2e in 2020 (C = 0.6), 100 kt and
50 kt CO2e in 2030 (C = 0.5). SDA with b = 2020, N = 2050: d = C(b) - S(N) = 0.6;
p(2030) = (0.4 - 0) / (0.6 - 0) = 2/3, so T(2030) = 0.6 * 2/3 = 0.4; gap = 0.5 - 0.4 = 0.1,
behind; the excess is 0.1 t CO2e per t over 100 000 t of glass = 10 000 t CO2e.
In 2025 A = 100 kt and E = 55 kt (interpolated), C = 0.55; S(2025) = 0.5, p = 5/6, T = 0.5.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from sqlmodel import select

from roadmap.accounts import operations as account_operations
from roadmap.domain import units
from roadmap.domain.new_sector import new_sector
from roadmap.models import Platform, Submission
from roadmap.sectors import operations as sector_operations
from tests.world import csrf_token, sign_in

API = "/api/v1"
SCENARIO = "Glass roadmap (platform roadmap)"


def row(year: int, kind: str, activity: float, emissions: float) -> dict:
    return {
        "year": year,
        "kind": kind,
        "activity": activity,
        "activity_unit": "kt Glass",
        "emissions": emissions,
        "emissions_unit": "kt CO2e",
    }


@pytest.fixture
def glass(client, session, world):  # type: ignore[no-untyped-def]
    """The Glass sector (stored, not yet known to this process) and a coordinator's platform
    on it, made through the platform form."""
    sector_operations.create_sector(
        new_sector("Glass", "Glass"), user=world.coordinator, session=session
    )
    session.commit()
    units.forget_stored_units()  # made by the other worker: this one has not heard of it
    sign_in(client, world.coordinator.email)
    page = client.get("/platforms/new").get_data(as_text=True)
    sector = re.search(r'<option value="(\d+)">Glass</option>', page).group(1)
    data = {
        "csrf_token": csrf_token(page),
        "name": "Glass coalition",
        "slug": "glass",
        "sector": sector,
        "region": "Global",
        "scope": "S1S2",
        "net_zero_year": "2050",
        "coverage_target": "0.5",
        "is_public": "y",
    }
    assert client.post("/platforms/new", data=data).status_code == 302
    return session.exec(select(Platform).where(Platform.slug == "glass")).one()


def bearer(session, user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, secret = account_operations.create_api_token(user, "test", session=session)
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


def publish_roadmap(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/platforms/glass/pathways/new").get_data(as_text=True)
    assert 'value="t CO2e/(t Glass)"' in page  # the sector's unit, offered
    data = {
        "csrf_token": csrf_token(page),
        "scenario": "Glass roadmap",
        "reference": "",
        "base_year": "2020",
        "target_year": "2050",
        "intensity_unit": "t CO2e/(t Glass)",
        "activity_unit": "",
        "published": "y",
        "save": "1",
    }
    for i, year in enumerate(range(2020, 2051, 5)):
        data |= {f"rows-{i}-year": str(year), f"rows-{i}-intensity": f"{0.6 - 0.1 * i:.1f}"}
    assert client.post("/platforms/glass/pathways/new", data=data).status_code == 302


def test_a_glass_platform_reconciles_against_its_own_roadmap(client, session, world, glass):
    member, coordinator = bearer(session, world.member), bearer(session, world.coordinator)
    assert "No scenario is stored for Glass yet. Once the platform publishes" in client.get(
        "/platforms/glass/dashboard"
    ).get_data(as_text=True)
    publish_roadmap(client)

    # A submission in the units of another sector is refused, naming the row and column.
    steel = [row(2020, "reported", 100, 60) | {"activity_unit": "t Steel"}]
    refused = client.post(
        f"{API}/companies/{world.alpha.id}/submissions",
        json={"platform": "glass", "rows": steel},
        headers=member,
    )
    assert refused.status_code == 422, refused.get_json()
    assert any(e.get("column") == "activity_unit" for e in refused.get_json()["errors"])

    units.forget_stored_units()  # a restart: the unit comes back from the database
    rows = [row(2020, "reported", 100, 60), row(2030, "planned", 100, 50)]
    sent = client.post(
        f"{API}/companies/{world.alpha.id}/submissions",
        json={"platform": "glass", "rows": rows},
        headers=member,
    )
    assert sent.status_code == 201, sent.get_json()
    submission = session.get(Submission, sent.get_json()["id"])
    decided = client.post(
        f"{API}/submissions/{submission.id}/review",
        json={"decision": "accept"},
        headers=coordinator,
    )
    assert decided.status_code == 200, decided.get_json()

    units.forget_stored_units()  # the other worker answers the reconciliation
    answer = client.get(
        f"{API}/platforms/glass/reconciliation",
        query_string={"scenario": SCENARIO},
        headers=coordinator,
    ).get_json()
    assert answer["scenario"] == SCENARIO
    by_year = {r["year"]: r for r in answer["rows"]}
    assert sorted(by_year) == list(range(2020, 2031))
    assert by_year[2020]["intensity"] == pytest.approx(0.6)
    assert by_year[2020]["status"] == "aligned"
    assert by_year[2025]["intensity"] == pytest.approx(0.55)
    assert by_year[2025]["target_intensity"] == pytest.approx(0.5)
    end = by_year[2030]
    assert (end["sector_intensity"], end["target_intensity"]) == (
        pytest.approx(0.4),
        pytest.approx(0.4),
    )
    assert end["gap"] == pytest.approx(0.1)
    assert end["status"] == "behind"
    assert end["excess_emissions"] == pytest.approx(10_000)

    units.forget_stored_units()
    dashboard = client.get("/platforms/glass/dashboard").get_data(as_text=True)
    assert SCENARIO in dashboard and "t CO2e/(t Glass)" in dashboard

    units.forget_stored_units()
    csv = client.get(
        "/platforms/glass/dashboard/results.csv", query_string={"scenario": SCENARIO}
    ).get_data(as_text=True)
    header, *lines = csv.lstrip("\ufeff").splitlines()
    assert "Activity (kt Glass)" in header and "Intensity (t CO2e/(t Glass))" in header
    line_2030 = next(line for line in lines if ",2030," in line)
    assert ",100.0," in line_2030 and ",behind," in line_2030
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            client.get(
                "/platforms/glass/dashboard/results.xlsx", query_string={"scenario": SCENARIO}
            ).get_data()
        )
    )
    values = list(workbook.active.iter_rows(values_only=True))
    assert "Intensity (t CO2e/(t Glass))" in values[0]
    assert len(values) == 1 + 11
