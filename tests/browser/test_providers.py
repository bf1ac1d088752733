"""A company member posts a need in a real browser (one refusal on the way) and reads the
providers that match it; the keeper of a matching listing answers it; the member accepts the
answer and gives the consultant access, all from the keyboard's labels and buttons."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from roadmap.accounts import operations as account_operations
from roadmap.companies import operations as company_operations
from roadmap.providers import operations
from tests.factories import SectorFactory

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def market(session) -> None:  # type: ignore[no-untyped-def]
    steel = SectorFactory(name="Steel")
    alpha = company_operations.get_or_create_company("Alpha", session=session)
    account_operations.create_user(
        session=session,
        email="member@alpha.example",
        password=PASSWORD,
        role="company",
        company_id=alpha.id,
    )
    keeper = account_operations.create_user(
        session=session, email="keeper@example.org", password=PASSWORD, role="consultant"
    )
    for name, service, keeps in (
        ("Northbridge", "target setting", True),
        ("Atlas Standards", "labelling", False),
    ):
        provider = operations.create_provider(
            operations.ProviderSpec(name, "consultancy"),
            user=keeper if keeps else None,
            session=session,
        )
        operations.add_offer(provider, service, steel.id, by=None, session=session)
    session.commit()


def sign_in(page: Page, base: str, email: str, role: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"{email} ({role})")).to_be_visible()


def test_a_need_is_posted_answered_and_accepted(page: Page, live_server: str, market: None) -> None:
    sign_in(page, live_server, "member@alpha.example", "company")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Providers").click()
    expect(page.get_by_role("heading", name="Northbridge")).to_be_visible()
    page.get_by_label("Stage").select_option("3")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Atlas Standards")).to_have_count(0)
    page.get_by_role("link", name="Post a need for support").click()
    page.get_by_label("What support is needed, in a few words").fill("A 2035 target")
    page.get_by_label("Service").select_option("target setting")
    page.get_by_label("Needed by (optional)").fill("2000-01-01")
    page.get_by_role("button", name="Post the need").click()
    expect(
        page.get_by_text(re.compile(r"Needed by \(optional\): a date from today"))
    ).to_be_visible()
    page.get_by_label("Needed by (optional)").fill("2099-01-31")
    page.get_by_label("Hide the company's name from providers").check()
    page.get_by_role("button", name="Post the need").click()
    expect(page.get_by_role("heading", name="A 2035 target")).to_be_visible()
    expect(page.get_by_role("heading", name="Offering target setting")).to_be_visible()
    expect(page.get_by_role("link", name="Northbridge")).to_be_visible()
    need_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "keeper@example.org", "consultant")
    page.goto(f"{live_server}/needs/")
    page.get_by_role("link", name="A 2035 target").click()
    expect(page.get_by_text("A company in Steel (name withheld)")).to_be_visible()
    page.get_by_label("How you would help").fill("A first draft in six weeks.")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("Answer sent.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "member@alpha.example", "company")
    page.goto(need_url)
    expect(page.get_by_text("A first draft in six weeks.")).to_be_visible()
    page.get_by_label("Decision on Northbridge's answer").select_option("accept")
    page.get_by_label(re.compile("On accepting, give keeper@example.org read-only access")).check()
    page.get_by_role("button", name="Save the decision").click()
    expect(
        page.get_by_text(re.compile("the consultant who answered now has read-only access"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Northbridge · accepted")).to_be_visible()
