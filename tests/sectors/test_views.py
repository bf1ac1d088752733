"""Sector pages: the list and a sector's page for everyone; a new sector for admins and the
coordinators an admin allows, every rule said at its field; the admin's switch."""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from roadmap.accounts import operations as account_operations
from roadmap.domain import units
from roadmap.models import Sector, SectorUnit, User
from tests.world import PASSWORD, csrf_token, sign_in

GLASS = {
    "name": "Glass",
    "unit": "Glass",
    "aliases": "Glas",
    "activity_unit": "",
    "intensity_unit": "",
}


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def admin(session) -> User:  # type: ignore[no-untyped-def]
    user = account_operations.create_user(
        session=session, email="admin@example.org", password=PASSWORD, role="admin"
    )
    session.commit()
    return user


def post_sector(client, **changes):  # type: ignore[no-untyped-def]
    page = client.get("/sectors/new").get_data(as_text=True)
    return client.post("/sectors/new", data={"csrf_token": csrf_token(page), **GLASS, **changes})


def test_an_admin_creates_a_sector_its_unit_known_at_once(client, session, world):
    units.forget_stored_units()  # a new process: Glass unknown
    sign_in(client, admin(session).email)
    created = post_sector(client)
    assert created.status_code == 302
    sector = session.exec(select(Sector).where(Sector.name == "Glass")).one()
    assert created.headers["Location"] == f"/sectors/{sector.id}"
    unit = session.exec(select(SectorUnit)).one()
    # Blank units take the usual ones: tonnes of glass, tonnes of CO2e per tonne of glass.
    assert (unit.name, unit.dimension, unit.aliases, unit.activity_unit) == (
        "Glass",
        "glass",
        "Glas",
        "t Glass",
    )
    assert sector.intensity_unit == "t CO2e/(t Glass)"
    assert unit.created_by_id is not None
    # This process knows the unit without asking the database again: 1 kt = 1000 t.
    assert units.conversion_factor("kt Glas", "t Glass") == 1000.0
    page = client.get(f"/sectors/{sector.id}").get_data(as_text=True)
    assert "Glass, of its own dimension [glass]" in page
    assert "No published scenario is stored for Glass" in page
    assert "by admin@example.org" in page
    listing = client.get("/sectors/").get_data(as_text=True)
    assert re.search(r"Glass</a></th>\s*<td>Glass \[glass\]</td>\s*<td>t Glass</td>", listing)
    assert re.search(r"Steel</a></th>\s*<td>built in</td>", listing)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "Steel"}, "name", "'Steel' is a built-in sector"),
        ({"name": "  glass  "}, "name", "a sector named 'glass' exists"),
        ({"name": "Glass<b>"}, "name", "use letters, digits, blanks"),
        ({"unit": "Paper"}, "unit", "unit 'Paper': already a unit; choose another name"),
        ({"unit": "Gl"}, "unit", "already a unit (as 'gigaliter')"),
        ({"unit": "GLASS"}, "unit", "its dimension [glass] is already taken"),
        ({"unit": "Glass 2"}, "unit", "use 2 to 40 letters or underscores"),
        ({"aliases": "Glas"}, "aliases", "alias 'Glas': already a unit (as 'Glass')"),
        ({"activity_unit": "t Steel"}, "activity_unit", "'t Steel' is not an amount of"),
        ({"intensity_unit": "t CO2e / t Ceramics"}, "intensity_unit", "reads as (t CO2e / ...)"),
        ({"unit": ""}, "unit", "This field is required."),
    ],
)
def test_a_refused_sector_says_why_at_its_field(client, session, world, changes, field, message):
    sign_in(client, admin(session).email)
    assert post_sector(client).status_code == 302  # Glass (unit Glass, alias Glas) exists
    new = {"name": "Ceramics", "unit": "Ceramics", "aliases": ""}
    refused = post_sector(client, **{**new, **changes})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1).replace("&#39;", "'"), html[:3000]
    assert "Nothing was saved" in html
    assert count(session, SectorUnit) == 1
    assert "Ceramics" not in units.registry()


def test_who_may_create_sectors(client, session, world):
    assert client.get("/sectors/new").status_code == 302  # anonymous: sign in first
    sign_in(client, world.member.email)
    assert client.get("/sectors/new").status_code == 403
    assert post_sector_status(client) == 403
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/sectors/").text)})
    sign_in(client, world.coordinator.email)
    assert client.get("/sectors/new").status_code == 403
    assert "Create a sector" not in client.get("/sectors/").get_data(as_text=True)
    account_operations.set_sector_leave(world.coordinator, True, session=session)
    session.commit()
    assert "Create a sector" in client.get("/sectors/").get_data(as_text=True)
    assert post_sector(client).status_code == 302
    assert count(session, Sector) == 2  # Steel and Glass


def post_sector_status(client) -> int:  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/sectors/").get_data(as_text=True))
    return client.post("/sectors/new", data={"csrf_token": token, **GLASS}).status_code


def test_the_admin_allows_a_coordinator_and_takes_it_back(client, session, world):
    sign_in(client, admin(session).email)
    page = client.get("/admin/users").get_data(as_text=True)
    assert f"Allow {world.coordinator.email} to create sectors" in page
    url = f"/admin/users/{world.coordinator.id}/sectors"
    allowed = client.post(url, data={"csrf_token": csrf_token(page), "allow": "y"})
    assert allowed.status_code == 302
    session.expire_all()
    assert session.get(User, world.coordinator.id).may_create_sectors is True
    page = client.get("/admin/users").get_data(as_text=True)
    assert f"Take back {world.coordinator.email}" in page
    client.post(url, data={"csrf_token": csrf_token(page)})
    session.expire_all()
    assert session.get(User, world.coordinator.id).may_create_sectors is False
    # A company member never gets it.
    member_url = f"/admin/users/{world.member.id}/sectors"
    refused = client.post(member_url, data={"csrf_token": csrf_token(page), "allow": "y"})
    assert refused.status_code == 302
    session.expire_all()
    assert session.get(User, world.member.id).may_create_sectors is False
    assert client.post(url, data={"allow": "y"}).status_code == 400  # no CSRF token


def test_an_admin_creates_a_coordinator_who_may_create_sectors(client, session, world):
    sign_in(client, admin(session).email)
    page = client.get("/admin/users").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(page),
        "email": "glass@example.org",
        "role": "coordinator",
        "company": "0",
        "platforms": str(world.platform.id),
        "password": PASSWORD,
        "may_create_sectors": "y",
    }
    assert client.post("/admin/users", data=data).status_code == 302
    user = session.exec(select(User).where(User.email == "glass@example.org")).one()
    assert user.may_create_sectors is True


def test_sector_page_lists_the_platforms_the_viewer_may_open(client, session, world):
    world.platform.is_public = False
    session.add(world.platform)
    session.commit()
    url = f"/sectors/{world.platform.sector_id}"
    assert "No platform on Steel is open to you." in client.get(url).get_data(as_text=True)
    sign_in(client, world.coordinator.email)
    page = client.get(url).get_data(as_text=True)
    assert 'href="/platforms/steel"' in page
    assert "Test 1.5" in page  # a stored scenario
    assert f"/platforms/new?sector={world.platform.sector_id}" in page
    assert client.get("/sectors/999999").status_code == 404


def test_a_platform_starts_on_the_sector_it_was_asked_for(client, session, world):
    sign_in(client, world.coordinator.email)
    page = client.get(f"/platforms/new?sector={world.platform.sector_id}").get_data(as_text=True)
    assert f'<option selected value="{world.platform.sector_id}">Steel</option>' in page
    assert "An admin can create one" in page
