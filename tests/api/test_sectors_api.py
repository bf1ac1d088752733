"""/api/v1/sectors: the sectors with their units; a new sector with the page's rules, each
problem named by field; a coordinator with an admin's leave may create one."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from roadmap.accounts import operations as account_operations
from roadmap.db import get_engine
from roadmap.domain import units
from roadmap.models import SectorUnit, User
from tests.accounts.test_authorization import EMAILS, World, build_world

API = "/api/v1"


def bearer(world: World, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.secrets[role]}"}


def test_sectors_are_listed_with_their_units(app: Flask, client: FlaskClient) -> None:
    world = build_world(app)
    units.forget_stored_units()
    body = {"name": "Glass", "product_unit": "Glass", "aliases": ["Glas"]}
    created = client.post(f"{API}/sectors", json=body, headers=bearer(world, "admin"))
    assert created.status_code == 201, created.get_json()
    glass = created.get_json()
    assert glass | {"id": 0} == {
        "id": 0,
        "name": "Glass",
        "intensity_unit": "t CO2e/(t Glass)",
        "built_in": False,
        "product_unit": "Glass",
        "dimension": "glass",
        "aliases": ["Glas"],
        "activity_unit": "t Glass",
        "scenarios": 0,
    }
    assert units.conversion_factor("kt Glas", "t Glass") == 1000.0  # known at once
    listed = {s["name"]: s for s in client.get(f"{API}/sectors").get_json()}
    assert listed["Glass"] == glass
    steel = listed["Steel"]
    # The test world stores "Test 1.5" and "Test 2" for Steel.
    assert (steel["built_in"], steel["product_unit"], steel["scenarios"]) == (True, None, 2)


def test_a_refused_sector_names_each_field(app: Flask, client: FlaskClient) -> None:
    world = build_world(app)
    body = {
        "name": "Steel",
        "product_unit": "Gl",
        "aliases": ["x"],
    }
    refused = client.post(f"{API}/sectors", json=body, headers=bearer(world, "admin"))
    assert refused.status_code == 422
    errors = {(e["column"], e["message"]) for e in refused.get_json()["errors"]}
    assert errors == {
        ("name", "'Steel' is a built-in sector"),
        ("product_unit", "unit 'Gl': already a unit (as 'gigaliter'); choose another name"),
        ("aliases", "alias 'x': use 2 to 40 letters or underscores, starting with a letter"),
    }
    wrong_units = {"name": "Glass", "product_unit": "Glass", "intensity_unit": "t CO2e / t Glass"}
    refused = client.post(f"{API}/sectors", json=wrong_units, headers=bearer(world, "admin"))
    assert [e["column"] for e in refused.get_json()["errors"]] == ["intensity_unit"]
    assert (
        client.post(f"{API}/sectors", json={"name": 3}, headers=bearer(world, "admin")).status_code
        == 422
    )
    with Session(get_engine(app)) as session:
        assert session.exec(select(SectorUnit)).all() == []


def test_a_coordinator_with_leave_creates_a_sector(app: Flask, client: FlaskClient) -> None:
    world = build_world(app)
    body = {"name": "Fertiliser", "product_unit": "Fertiliser"}
    coordinator = bearer(world, "coordinator")
    assert client.post(f"{API}/sectors", json=body, headers=coordinator).status_code == 403
    with Session(get_engine(app)) as session:
        user = session.exec(select(User).where(User.email == EMAILS["coordinator"])).one()
        account_operations.set_sector_leave(user, True, session=session)
        session.commit()
    created = client.post(f"{API}/sectors", json=body, headers=coordinator)
    assert created.status_code == 201
    again = client.post(f"{API}/sectors", json=body, headers=coordinator)
    assert again.status_code == 422
    assert {e["column"] for e in again.get_json()["errors"]} == {"name", "product_unit"}
