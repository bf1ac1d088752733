"""Stored data the engine cannot reconcile (a platform whose sector changed under its
submissions, as the app once allowed) is explained on every page, never answered with 500;
and the change itself is now refused."""

from __future__ import annotations

import re

import pytest

from roadmap.models import Platform
from roadmap.sectors import operations as sector_operations
from tests.domain.helpers import pathways
from tests.reconciliation.test_views import COMPANIES, accept
from tests.world import World, csrf_token, sign_in

PAGES = [
    "/",
    "/platforms/",
    "/platforms/steel",
    "/platforms/steel/dashboard",
    "/platforms/steel/dashboard?scenario=Test%201.5",
    "/api/v1/platforms/steel/reconciliation",
]


def _shipping(session):  # type: ignore[no-untyped-def]
    """The Shipping sector with the test scenarios, so that the platform's scenario exists."""
    curves = pathways()
    curves["sector"] = "Shipping"
    curves["intensity_unit"] = "g CO2e/tkm"
    if "activity_unit" in curves:
        curves["activity_unit"] = curves["activity_unit"].str.replace("t Steel", "tkm")
    sector_operations.import_pathways(curves, session=session)
    return sector_operations.get_or_create_sector("Shipping", "g CO2e/tkm", session=session)


@pytest.fixture
def moved(session, world: World) -> World:
    """Steel submissions stored, then the platform's sector changed to Shipping behind them."""
    accept(session, world.platform, COMPANIES)
    shipping = _shipping(session)
    platform = session.get(Platform, world.platform.id)
    platform.sector_id = shipping.id
    session.commit()
    return world


@pytest.mark.parametrize("who", ["anonymous", "member", "coordinator"])
def test_no_page_answers_500_for_data_it_cannot_reconcile(client, session, moved, who) -> None:
    if who != "anonymous":
        sign_in(client, getattr(moved, who).email)
    company_pages = [f"/companies/{moved.alpha.id}", f"/companies/{moved.alpha.id}/report"]
    for url in PAGES + (company_pages if who != "anonymous" else []):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)


def test_changing_the_sector_under_stored_submissions_is_refused(client, session, world) -> None:
    accept(session, world.platform, COMPANIES)
    _shipping(session)
    session.commit()
    sign_in(client, world.coordinator.email)
    page = client.get("/platforms/steel/edit").get_data(as_text=True)
    shipping = re.search(r'<option value="(\d+)">Shipping</option>', page)
    assert shipping, page
    form = {
        "csrf_token": csrf_token(page),
        "name": "Steel",
        "slug": "steel",
        "sector": shipping.group(1),
        "region": "Global",
        "scope": "S1S2",
        "coverage_target": "0.5",
    }
    response = client.post("/platforms/steel/edit", data=form)
    assert response.status_code == 422
    assert "holds 6 submissions in Steel&#39;s units" in response.get_data(as_text=True)
    assert session.get(Platform, world.platform.id).sector.name == "Steel"
