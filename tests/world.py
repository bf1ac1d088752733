"""A small world for web tests: the Steel sector with "Test 1.5", a public steel platform,
company Alpha with a member, a coordinator of the platform; and signing in through the form."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient

from roadmap.accounts import operations as account_operations
from roadmap.companies import operations as company_operations
from roadmap.models import Company, Platform, User
from roadmap.sectors import operations as sector_operations
from tests.domain.helpers import pathways
from tests.factories import PlatformFactory

PASSWORD = "correct horse battery"


@dataclass
class World:
    platform: Platform
    alpha: Company
    member: User
    coordinator: User


@pytest.fixture
def world(session) -> World:  # type: ignore[no-untyped-def]
    return make_world(session)


def make_world(session) -> World:  # type: ignore[no-untyped-def]
    """The world, written through ``session`` (factories bound to it) and committed."""
    sector_operations.import_pathways(pathways(), session=session)
    sector = sector_operations.get_or_create_sector("Steel", "t CO2e/(t Steel)", session=session)
    platform = PlatformFactory(
        slug="steel", name="Steel", sector_id=sector.id, is_public=True, scope="S1S2"
    )
    alpha = company_operations.get_or_create_company("Alpha", session=session)
    member = account_operations.create_user(
        session=session,
        email="member@alpha.example",
        password=PASSWORD,
        role="company",
        company_id=alpha.id,
    )
    coordinator = account_operations.create_user(
        session=session,
        email="coord@example.org",
        password=PASSWORD,
        role="coordinator",
        platform_ids=[platform.id],
    )
    session.commit()
    return World(platform, alpha, member, coordinator)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
