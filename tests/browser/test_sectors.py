"""An admin creates a sector in a real browser (one refusal on the way), and a coordinator
creates a platform on it from the sector's page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from roadmap.accounts import operations as account_operations
from roadmap.sectors import operations as sector_operations
from tests.domain.helpers import pathways

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(session) -> None:  # type: ignore[no-untyped-def]
    sector_operations.import_pathways(pathways(), session=session)
    for email, role in (("admin@example.org", "admin"), ("coord@example.org", "coordinator")):
        account_operations.create_user(session=session, email=email, password=PASSWORD, role=role)
    session.commit()


def sign_in(page: Page, base: str, email: str, role: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"{email} ({role})")).to_be_visible()


def test_admin_creates_a_sector_and_a_coordinator_a_platform_on_it(
    page: Page, live_server: str, accounts: None
) -> None:
    sign_in(page, live_server, "admin@example.org", "admin")
    page.get_by_role("link", name="Sectors").click()
    page.get_by_role("link", name="Create a sector").click()
    page.get_by_label("Sector name").fill("Ceramics")
    page.get_by_label("Product unit").fill("Steel")  # a built-in sector's unit: refused
    page.get_by_role("button", name="Create the sector").click()
    expect(
        page.get_by_text("unit 'Steel': already a unit; choose another name").first
    ).to_be_visible()
    expect(page.get_by_label("Product unit")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Product unit").fill("Ceramic")
    page.get_by_label("Other names of the unit (optional)").fill("Ceramics_t")
    page.get_by_role("button", name="Create the sector").click()
    expect(page.get_by_role("heading", name="Ceramics")).to_be_visible()
    expect(page.get_by_text("Sector Ceramics created: activity in t Ceramic")).to_be_visible()
    expect(page.get_by_text("t CO2e/(t Ceramic)").first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "coord@example.org", "coordinator")
    page.get_by_role("link", name="Sectors").click()
    page.get_by_role("link", name="Ceramics").click()
    page.get_by_role("link", name="Create a platform on Ceramics").click()
    expect(page.get_by_label("Sector")).to_have_value(page.url.split("sector=")[1])
    page.get_by_label("Name", exact=True).fill("Ceramics coalition")
    page.get_by_label("Short name in addresses").fill("ceramics")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Ceramics coalition")).to_be_visible()
    page.get_by_role("link", name="Ceramics", exact=True).click()
    expect(page.get_by_role("link", name="Ceramics coalition")).to_be_visible()
