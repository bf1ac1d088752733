"""A reporting round end to end in a real browser: the coordinator opens a round, a member
submits and the coordinator is mailed, the coordinator requests changes and the member is
mailed, the member resubmits, the coordinator accepts and publishes; a signed-out visitor's
platform aggregate changes only then. Mail goes to a real SMTP server in the test process
(aiosmtpd), and each message's link opens the page it names."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Browser, Page, expect

from roadmap.accounts import operations as account_operations
from roadmap.accounts.queries import user_by_email
from roadmap.companies.queries import company_named
from roadmap.notifications.mail import wait_for_mail
from roadmap.sectors import operations as sector_operations
from roadmap.submissions import operations
from tests.domain.helpers import TRAJECTORY_HEADER, pathways, trajectories
from tests.factories import PlatformFactory
from tests.mail_server import SmtpServer, send_mail_to

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
COORDINATOR, MEMBER = "coord@example.org", "member@alpha.example"
# Activity flat: Alpha 100 t, Delta 300 t, Gamma 50 t; 2020 emissions 250 + 450 + 100 = 800 t
# over 450 t, a platform intensity of 800 / 450 = 1.7778 t/t.
START = f"""{TRAJECTORY_HEADER}
Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported
Alpha,Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned
Delta,Steel,Global,S1S2,2020,300,t Steel,450,t CO2e,reported
Delta,Steel,Global,S1S2,2050,300,t Steel,0,t CO2e,planned
Gamma,Steel,Global,S1S2,2020,50,t Steel,100,t CO2e,reported
Gamma,Steel,Global,S1S2,2050,50,t Steel,10,t CO2e,planned
"""


@pytest.fixture
def mailing_server(app, smtp: SmtpServer, live_server: str) -> str:  # type: ignore[no-untyped-def]
    """The live server's base URL, its app sending mail to ``smtp`` with links to itself."""
    send_mail_to(app, smtp, live_server)
    return live_server


def mail_to(app, smtp: SmtpServer, address: str, subject: str) -> str:  # type: ignore[no-untyped-def]
    """The body of the one message to ``address`` with ``subject``, once the app's mail is out."""
    assert wait_for_mail(app)
    found = [m for m in smtp.inbox.to(address) if m["Subject"] == subject]
    assert len(found) == 1, [m["Subject"] for m in smtp.inbox.to(address)]
    return found[0].get_content().replace("\r\n", "\n")


def link_in(body: str, label: str) -> str:
    (line,) = [line for line in body.splitlines() if line.startswith(label)]
    return line.removeprefix(label).strip()


@pytest.fixture
def steel(session):  # type: ignore[no-untyped-def]
    sector_operations.import_pathways(pathways(), session=session)
    sector = sector_operations.get_or_create_sector("Steel", "t CO2e/(t Steel)", session=session)
    platform = PlatformFactory(slug="steel", name="Steel", sector_id=sector.id, is_public=True)
    operations.create_submissions(
        trajectories(START), platform=platform, source="seed", status="accepted", session=session
    )
    alpha = company_named("Alpha", session=session)
    account_operations.create_user(
        session=session, email=MEMBER, password=PASSWORD, role="company", company_id=alpha.id
    )
    account_operations.create_user(
        session=session,
        email=COORDINATOR,
        password=PASSWORD,
        role="coordinator",
        platform_ids=[platform.id],
    )
    session.commit()
    return platform


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(email)).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def public_intensity_2020(browser: Browser, base: str) -> str:
    """The platform aggregate's 2020 intensity a signed-out visitor downloads."""
    visitor = browser.new_context()
    try:
        response = visitor.request.get(f"{base}/platforms/steel/dashboard/trajectories.csv")
        assert response.ok, response.status
        rows = list(csv.DictReader(io.StringIO(response.text())))
    finally:
        visitor.close()
    column = next(c for c in rows[0] if c.startswith("Platform aggregate"))
    return next(r[column] for r in rows if r[next(iter(rows[0]))] == "2020")


def member_submits(page: Page, base: str, alpha_id: int, emissions_2020: str) -> None:
    page.goto(f"{base}/")
    page.get_by_role("link", name="Submit").click()
    page.get_by_label("Emissions, row 1").fill(emissions_2020)
    page.get_by_role("button", name="Submit this trajectory").click()
    expect(page.get_by_text("submitted; the platform's coordinator will review it")).to_be_visible()


def review(page: Page, base: str, decision: str, message: str = "") -> None:
    page.goto(f"{base}/")
    page.get_by_role("link", name="Review (1)").click()
    page.get_by_role("link", name="Review", exact=True).click()
    # The review page reconciles both versions: allow for a busy machine.
    expect(page.get_by_role("heading", name="Plausibility checks")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("restated base year: emissions in 2020 was 250")).to_be_visible()
    page.get_by_label(decision).check()
    if message:
        page.get_by_label("Message (required to request changes or reject)").fill(message)
    page.get_by_role("button", name="Record the decision").click()


def test_a_round_from_opening_to_publication(
    page: Page, browser: Browser, app, smtp, mailing_server: str, steel, session
) -> None:  # type: ignore[no-untyped-def]
    base = mailing_server
    alpha = company_named("Alpha", session=session)
    before = public_intensity_2020(browser, base)
    assert float(before) == pytest.approx(800 / 450, rel=1e-3)

    sign_in(page, base, COORDINATOR)
    page.goto(f"{base}/platforms/steel/rounds")
    page.get_by_label("Name").fill("2026 disclosure")
    page.get_by_label("Reported years up to").fill("2025")
    page.get_by_label("Plan to").fill("2050")
    page.get_by_label("Opens on").fill("2026-03-01")
    page.get_by_label("Deadline").fill("2026-06-30")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_text("2026 disclosure is open until 2026-06-30.")).to_be_visible()
    opened = mail_to(app, smtp, MEMBER, "Steel: 2026 disclosure is open, due 2026-06-30")
    assert link_in(opened, "Submit:") == f"{base}/companies/{alpha.id}/submissions/new"
    sign_out(page)

    sign_in(page, base, MEMBER)
    expect(page.locator("td.round-status")).to_have_text("not started")
    member_submits(page, base, alpha.id, "300")  # a slip: 250 -> 300 t
    sign_out(page)

    # The coordinator is mailed, and the message's link opens version 2.
    arrived = mail_to(app, smtp, COORDINATOR, "Steel: Alpha submitted version 2")
    assert "Submitted by: member@alpha.example\n" in arrived
    sign_in(page, base, COORDINATOR)
    page.goto(link_in(arrived, "Review it:"))
    expect(page.get_by_role("heading", name="Alpha: version 2 on Steel")).to_be_visible()
    review(page, base, "Request changes (the member resubmits)", "2020 looks too high")
    expect(page.get_by_text("changes requested: 2020 looks too high")).to_be_visible()
    sign_out(page)

    # The member is mailed the decision with its reason, and the link opens the version.
    asked = mail_to(app, smtp, MEMBER, "Steel: version 2 of Alpha changes requested")
    assert "Reason given:\n2020 looks too high\n" in asked
    sign_in(page, base, MEMBER)
    page.goto(link_in(asked, "See it:"))
    expect(page.get_by_role("heading", name="Alpha: version 2 on Steel")).to_be_visible()
    page.goto(f"{base}/")
    expect(page.locator("td.round-status")).to_have_text("changes requested")
    member_submits(page, base, alpha.id, "260")
    page.goto(f"{base}/")
    expect(page.locator("td.round-status")).to_have_text("submitted")
    sign_out(page)

    mail_to(app, smtp, COORDINATOR, "Steel: Alpha submitted version 3")
    sign_in(page, base, COORDINATOR)
    review(page, base, "Accept for the platform's reconciliation")
    expect(page.get_by_text("Version 3 of Alpha accepted.")).to_be_visible()
    accepted = mail_to(app, smtp, MEMBER, "Steel: version 3 of Alpha accepted")
    assert link_in(accepted, "See it:").startswith(f"{base}/submissions/")
    reviewer = user_by_email(COORDINATOR, session=session)
    # Two peers restate too (Delta 450 -> 470 t, Gamma 100 -> 120 t), accepted the same way.
    for name, old, new in (("Delta", "450", "470"), ("Gamma", "100", "120")):
        lines = [line for line in START.splitlines() if line.startswith(name)]
        text = "\n".join([TRAJECTORY_HEADER, *lines]).replace(
            f",{old},t CO2e,reported", f",{new},t CO2e,reported"
        )
        (made,) = operations.create_submissions(
            trajectories(text + "\n"), platform=steel, source="form", session=session
        )
        operations.decide(made, decision="accept", message="", reviewer=reviewer, session=session)
    session.commit()
    # Accepted but not published: the visitor still reads 800 / 450.
    assert public_intensity_2020(browser, base) == before
    page.goto(f"{base}/platforms/steel/rounds")
    expect(
        page.get_by_text("Unpublished changes: 3 companies' accepted figures differ")
    ).to_be_visible()
    page.get_by_role("button", name="Publish 2026 disclosure").click()
    expect(
        page.get_by_text("2026 disclosure is published: 3 companies' figures changed")
    ).to_be_visible()
    # 260 + 470 + 120 = 850 t over 450 t.
    assert float(public_intensity_2020(browser, base)) == pytest.approx(850 / 450, rel=1e-3)
