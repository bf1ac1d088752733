"""In a real browser, on the demo data: a member reaches the projects from the platform's page,
adds a project, edits it and sees it in the list; the projects pages pass axe and fit a phone's
screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_pages import AXE, SERIOUS, WIDTHS, demo, problems_of, sign_in  # noqa: F401  (demo)

pytestmark = pytest.mark.browser
MEMBER = "member@northwind.example.org"


def test_a_member_adds_edits_and_lists_a_project(page: Page, live_server: str, demo) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    sign_in(page, live_server, MEMBER)
    page.goto(f"{live_server}/platforms/steel")
    page.get_by_role("link", name="Near-zero projects").click()
    expect(
        page.get_by_role("heading", name="Near-zero projects of Steel (demo platform)")
    ).to_be_visible()
    # Northwind's own confidential project is listed for its member; Emberfield's is not.
    expect(page.get_by_role("rowheader", name="Northwind Coastal DRI")).to_be_visible()
    expect(page.get_by_text("Emberfield Blast Furnace CCUS")).to_have_count(0)

    page.get_by_role("link", name="Add a project").click()
    page.get_by_label("Project name").fill("Northwind Harbour EAF")
    page.get_by_label("Country").fill("Norway")
    page.get_by_label("Technology route", exact=True).select_option("scrap EAF")
    page.get_by_label("Status").select_option("announced")
    page.get_by_label("Announced on").fill("2025-05-01")
    page.get_by_label("Expected start year (or the year it started)").fill("2030")
    page.get_by_label("Capacity per year").fill("1.25")
    page.get_by_label("Capacity unit (per year)").fill("Mt Steel")
    page.get_by_role("button", name="Add the project").click()
    expect(page.get_by_text("Project Northwind Harbour EAF added.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Northwind Harbour EAF")
    expect(row).to_contain_text("1.25")

    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Capacity per year")).to_have_value("1.25")  # as stored
    page.get_by_label("Capacity per year").fill("1.5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Northwind Harbour EAF")).to_contain_text("1.5")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_projects_pages_are_accessible(page: Page, live_server: str, demo, width: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    w, h = WIDTHS[width]
    page.set_viewport_size({"width": w, "height": h})
    base = f"{live_server}/platforms/steel/projects"
    problems = problems_of(page, base)  # signed out
    sign_in(page, live_server, "coordinator.steel@example.org")
    for path in ("", "?sort=capacity&dir=desc&status=operating", "/new", "/import"):
        problems += problems_of(page, base + path)
    # A refused form, its messages shown.
    page.goto(f"{base}/new")
    page.get_by_label("Capacity unit (per year)").fill("t Cement")
    page.get_by_role("button", name="Add the project").click()
    expect(page.get_by_role("alert")).to_contain_text("does not convert")
    problems += [
        f"refused form: axe {v['id']} ({v['impact']})"
        for v in AXE.run(page).response["violations"]
        if v["impact"] in SERIOUS
    ]
    assert not problems, "\n".join(problems)
