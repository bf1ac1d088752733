"""In a real browser: a member opens the what-if sandbox from the company's page, changes a
year and sees the gap change, fills in the catch-up plan and saves it as a private draft."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.whatif.conftest import Plans, plans  # noqa: F401  (the fixture)
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def test_sandbox_change_catch_up_and_save(page: Page, live_server: str, plans: Plans) -> None:  # noqa: F811
    world = plans.world
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(world.member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/companies/{world.alpha.id}")
    page.get_by_role("link", name="Try a plan (what-if sandbox)").click()

    gap_2030 = page.locator('tr[data-year="2030"] td.gap-sandbox')
    expect(gap_2030).to_have_text("0.250")  # C(2030) = 1.5 against T(2030) = 1.25
    expect(page.locator("#what-if-chart .main-svg").first).to_be_visible()  # drawn (CSP nonce)

    page.get_by_label("Emissions, row 3", exact=True).fill("120")
    page.get_by_role("button", name="Reconcile this plan").click()
    expect(gap_2030).to_have_text("-0.0500")  # 1.2 - 1.25

    page.get_by_role("button", name="Fill in the catch-up plan").click()
    expect(page.get_by_text("Catch-up plan filled in")).to_be_visible()
    # 2025 lowered to T(2025) * 100 = 187.5; 2030 already met (120 <= 125) stays.
    expect(page.get_by_label("Emissions, row 2", exact=True)).to_have_value("187.5")
    expect(page.get_by_label("Emissions, row 3", exact=True)).to_have_value("120")

    page.get_by_label("Draft name").fill("Catch up by 2025")
    page.get_by_role("button", name="Save as a private draft").click()
    expect(
        page.get_by_text("Draft \u201cCatch up by 2025\u201d saved; only you can see it.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Draft \u201cCatch up by 2025\u201d")).to_be_visible()


def test_the_sandbox_is_reconciled_as_you_type(page: Page, live_server: str, plans: Plans) -> None:  # noqa: F811
    world = plans.world
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(world.member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/companies/{world.alpha.id}/what-if")
    address = page.url

    gap_2030 = page.locator('tr[data-year="2030"] td.gap-sandbox')
    expect(gap_2030).to_have_text("0.250")
    # Typing alone (no button): C(2030) = 1.2 against T(2030) = 1.25.
    page.get_by_label("Emissions, row 3", exact=True).fill("120")
    expect(gap_2030).to_have_text("-0.0500")
    expect(page.get_by_role("status")).to_have_text("Reconciled with your latest change.")
    expect(page.locator("#what-if-chart .main-svg").first).to_be_visible()  # drawn again
    assert page.url == address  # no reload
    # A figure that is not one is named, and the outcome keeps the last good plan.
    page.get_by_label("Emissions, row 3", exact=True).fill("lots")
    expect(page.get_by_role("status")).to_have_text(
        "Not reconciled: Emissions, row 3: not a number"
    )
    expect(gap_2030).to_have_text("-0.0500")
