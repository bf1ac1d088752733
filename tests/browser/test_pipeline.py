"""In a real browser: a visitor follows the platform page's link to the pipeline, sees its
charts drawn and the balance in words; a coordinator raises the weight of announced projects and
reads the new projection (world of tests/pipeline/conftest.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.pipeline.conftest import Pipeline, pipeline  # noqa: F401  (the fixture)
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def test_the_pipeline_page_draws_and_follows_the_settings(
    page: Page,
    live_server: str,
    pipeline: Pipeline,  # noqa: F811
) -> None:
    page.goto(f"{live_server}/platforms/steel")
    page.get_by_role("link", name="The near-zero project pipeline").click()
    expect(
        page.get_by_role("heading", name="Near-zero pipeline of Steel", exact=False)
    ).to_be_visible()
    for chart in ("pipeline-capacity", "pipeline-technology", "pipeline-balance"):
        expect(page.locator(f"#{chart} .main-svg").first).to_be_visible()
    expect(page.get_by_text("1.4 Mt Steel short.", exact=False)).to_be_visible()

    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(pipeline.world.coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/platforms/steel/pipeline")
    page.get_by_label("Weight of announced").fill("0.5")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_text("Pipeline settings saved.")).to_be_visible()
    # 4.6 + Beta's 3.0 x 0.5 = 6.1 against 6: on track.
    expect(
        page.get_by_text("2030: the pipeline projects 6.1 Mt Steel, target 6 Mt Steel: on track.")
    ).to_be_visible()
