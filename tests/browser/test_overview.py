"""In a real browser: a visitor sorts the platforms side by side by stage with the keyboard,
and a coordinator copies another platform's KPIs into theirs after reading what is added."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from roadmap.platforms import operations as platform_operations
from tests import factories
from tests.world import PASSWORD, World

pytestmark = pytest.mark.browser


@pytest.fixture
def two_platforms(session, world: World) -> World:  # type: ignore[no-untyped-def]
    cement = factories.PlatformFactory(
        slug="cement", name="Cement coalition", is_public=True, stage=3
    )
    platform_operations.create_kpi(
        cement, name="Clinker ratio", unit="%", direction="decrease",
        targets={2030: 65.0}, user=None, session=session,
    )  # fmt: skip
    session.commit()
    return world


def test_sort_by_stage_and_copy_kpis(page: Page, live_server: str, two_platforms: World) -> None:
    world = two_platforms
    page.goto(f"{live_server}/overview")
    rows = page.locator("#overview tbody th")
    expect(rows).to_have_text(["Cement coalition", "Steel"])  # by name
    page.get_by_role("link", name="Stage", exact=True).focus()
    page.keyboard.press("Enter")  # ascending: Steel (stage 1) first
    expect(rows).to_have_text(["Steel", "Cement coalition"])
    expect(page.locator("th[aria-sort='ascending']")).to_have_text("Stage ▲")

    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(world.coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/platforms/steel")
    page.get_by_role("link", name="Copy KPIs and actions from another platform").click()
    page.get_by_label("Platform to copy from").select_option("cement")
    page.get_by_role("button", name="Show what would be copied").click()
    expect(page.get_by_text("Clinker ratio (%, better when it goes decrease)")).to_be_visible()
    page.get_by_role("button", name="Copy into Steel").click()
    expect(page.get_by_text("Copied from Cement coalition: KPI Clinker ratio")).to_be_visible()
