"""In a real browser: a refused form opens on its error summary, whose links move the focus to
each field; an irreversible action (revoking an API token) asks first, Cancel changes nothing
and Confirm acts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from roadmap.accounts import operations as account_operations
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"{email} (company)")).to_be_visible()


def focused_id(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement && document.activeElement.id"))


def test_a_refused_form_takes_the_focus_to_its_summary_and_on_to_a_field(
    page: Page, live_server: str, world
) -> None:
    sign_in(page, live_server, world.member.email)
    page.goto(f"{live_server}/companies/{world.alpha.id}/submissions/new")
    page.get_by_label("Activity unit").fill("t Steel")
    page.get_by_label("Activity, row 1", exact=True).fill("100")
    page.get_by_label("Emissions, row 1", exact=True).fill("250")
    page.get_by_label("Activity, row 2", exact=True).fill("100")
    page.get_by_label("Emissions, row 2", exact=True).fill("a lot")
    page.get_by_role("button", name="Submit this trajectory").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Emissions, row 2: not a number")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("#rows-1-emissions")).to_be_focused()
    assert focused_id(page) == "rows-1-emissions"
    # Keyboard users get there the same way: Tab to the link, Enter.
    summary.focus()
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#rows-1-emissions")).to_be_focused()


def test_revoking_a_token_asks_first_and_cancel_changes_nothing(
    page: Page, live_server: str, world, session
) -> None:
    account_operations.create_api_token(world.member, "nightly export", session=session)
    session.commit()
    sign_in(page, live_server, world.member.email)
    page.goto(f"{live_server}/account/tokens")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("heading", name="Revoke the API token nightly export?")).to_be_visible()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()

    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    expect(page.get_by_role("button", name="Revoke")).to_be_visible()  # still active

    page.get_by_role("button", name="Revoke").click()
    page.get_by_role("button", name="Revoke the token").click()
    expect(
        page.get_by_role("status").filter(has_text="Token nightly export revoked.")
    ).to_be_visible()
    expect(page.locator("table.data tbody")).to_contain_text("revoked")
    expect(page.get_by_role("button", name="Revoke")).to_have_count(0)
