"""A coordinator creates a platform (one form refused on the way), records its vision and
signatories, and advances it to stage 2, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from roadmap.accounts import operations as account_operations
from roadmap.models import Sector, User
from roadmap.sectors import operations as sector_operations
from tests.domain.helpers import pathways

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def coordinator(session) -> str:  # type: ignore[no-untyped-def]
    sector_operations.import_pathways(pathways(), session=session)
    account_operations.create_user(
        session=session, email="coord@example.org", password=PASSWORD, role="coordinator"
    )
    session.commit()
    return "coord@example.org"


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"{email} (coordinator)")).to_be_visible()


def add_signatory(page: Page, organisation: str, kind: str) -> None:
    page.get_by_text("Add a signatory").click()
    page.get_by_label("Organisation").fill(organisation)
    page.get_by_label("Type").select_option(kind)
    page.get_by_label("Joined on").fill("2024-05-01")
    page.locator("#signatories").get_by_role("button", name="Add").click()
    expect(page.locator("#signatories tbody")).to_contain_text(organisation)


def test_coordinator_takes_a_new_platform_to_stage_two(
    page: Page, live_server: str, coordinator: str
) -> None:
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server}/platforms/")
    page.get_by_role("link", name="Create a platform").click()
    page.get_by_label("Name", exact=True).fill("Cement (browser test)")
    page.get_by_label("Short name in addresses").fill("Cement Browser!")  # refused
    page.get_by_label("Shared vision statement").fill("Net-zero cement and concrete by 2050.")
    page.get_by_label("Net-zero year").fill("2050")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Lower-case letters, digits and hyphens only.", exact=True)
    ).to_be_visible()
    expect(page.get_by_label("Short name in addresses")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Short name in addresses").fill("cement-browser")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Cement (browser test)")).to_be_visible()
    expect(page.get_by_text("stage 1: Shared vision")).to_be_visible()
    expect(page.get_by_text("At least 3 signatories: 0 so far")).to_be_visible()

    for organisation, kind in (
        ("Cemex-like Co (fictional)", "company"),
        ("Ministry of Works (fictional)", "government"),
        ("Green Bank (fictional)", "financier"),
    ):
        add_signatory(page, organisation, kind)
    expect(page.get_by_text("At least 3 signatories: 3 so far")).to_be_visible()

    page.get_by_role("button", name="Advance to stage 2").click()
    # Irreversible: a page says what will happen; its button advances.
    expect(
        page.get_by_role("heading", name="Advance Cement (browser test) to stage 2?")
    ).to_be_visible()
    page.get_by_role("button", name="Advance to stage 2").click()
    expect(page.get_by_text("is now in stage 2: Roadmaps and metrics")).to_be_visible()
    expect(page.get_by_text("To reach stage 3: Committing to action")).to_be_visible()
    history = page.locator("#history")
    expect(history).to_contain_text("advanced to stage 2")
    expect(history).to_contain_text("added signatory Green Bank (fictional)")

    page.goto(f"{live_server}/platforms/")
    expect(page.locator("section[aria-labelledby=stage-2]")).to_contain_text(
        "Cement (browser test)"
    )


def test_pathway_chart_draws_and_follows_the_table(
    page: Page, live_server: str, coordinator: str, session
) -> None:
    from tests.factories import PlatformCoordinatorFactory, PlatformFactory

    steel = session.exec(select(Sector).where(Sector.name == "Steel")).one()
    platform = PlatformFactory(slug="steel", name="Steel", sector_id=steel.id, scope="S1S2")
    user = session.exec(select(User).where(User.email == coordinator)).one()
    PlatformCoordinatorFactory(user_id=user.id, platform_id=platform.id)
    session.commit()
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server}/platforms/steel/pathways/new?reference=Test%201.5")
    chart = page.locator("#pathway-editor")
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    # The pathway being built is trace 0; typing a milestone re-plots it.
    page.get_by_label("Intensity, row 2").fill("0.25")
    values = page.evaluate("() => document.getElementById('pathway-editor').data[0].y")
    assert values[1] == 0.25
