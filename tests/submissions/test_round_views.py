"""Round and review pages: each form valid, invalid and forbidden; the inbox, the review page,
the members' home page and the navigation's count."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from roadmap.models import ReportingRound, Submission
from roadmap.submissions import operations, round_operations
from roadmap.web.util import CONFIRMED
from tests.domain.helpers import TRAJECTORY_HEADER, trajectories
from tests.world import csrf_token, sign_in

ALPHA_V1 = f"""{TRAJECTORY_HEADER}
Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported
Alpha,Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned
Alpha,Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned
"""
# v2 restates 2020 (250 -> 260 t) and adds 2021 at 350 t: intensity 2.6 -> 3.5, +34.6 %.
ALPHA_V2 = ALPHA_V1.replace("2020,100,t Steel,250", "2020,100,t Steel,260").replace(
    "Alpha,Steel,Global,S1S2,2030",
    "Alpha,Steel,Global,S1S2,2021,100,t Steel,350,t CO2e,reported\nAlpha,Steel,Global,S1S2,2030",
)
ROUND = {
    "name": "2026 disclosure",
    "reported_up_to": "2025",
    "plan_to": "2050",
    "opens_on": "2026-03-01",
    "deadline": "2026-06-30",
}


def rounds_page(client, world) -> str:  # type: ignore[no-untyped-def]
    return client.get(f"/platforms/{world.platform.slug}/rounds").get_data(as_text=True)


def test_a_coordinator_opens_a_round(client, session, world):
    sign_in(client, world.coordinator.email)
    page = rounds_page(client, world)
    response = client.post("/platforms/steel/rounds", data=ROUND | {"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    stored = session.exec(select(ReportingRound)).one()
    assert (stored.name, stored.reported_up_to, stored.plan_to, stored.status) == (
        "2026 disclosure",
        2025,
        2050,
        "open",
    )
    assert (stored.opens_on, stored.deadline) == (date(2026, 3, 1), date(2026, 6, 30))


def test_a_round_whose_plan_ends_before_its_reported_years_is_refused(client, session, world):
    sign_in(client, world.coordinator.email)
    page = rounds_page(client, world)
    response = client.post(
        "/platforms/steel/rounds",
        data=ROUND | {"plan_to": "2024", "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 422
    assert "The plan must reach beyond the last reported year (2025)." in response.get_data(
        as_text=True
    )
    assert session.exec(select(ReportingRound)).all() == []


def test_a_member_cannot_open_close_or_publish_a_round(client, session, world):
    round_ = _open(session, world)
    sign_in(client, world.member.email)
    token = csrf_token(rounds_page(client, world))
    for url in (
        "/platforms/steel/rounds",
        f"/platforms/steel/rounds/{round_.id}/close",
        f"/platforms/steel/rounds/{round_.id}/publish",
    ):
        assert client.post(url, data=ROUND | {"csrf_token": token}).status_code == 403
    session.expire_all()
    assert session.get(ReportingRound, round_.id).status == "open"


def _open(session, world):  # type: ignore[no-untyped-def]
    made = round_operations.open_round(
        world.platform,
        name="2026 disclosure",
        reported_up_to=2025,
        plan_to=2050,
        opens_on=date(2026, 3, 1),
        deadline=date(2026, 6, 30),
        user=world.coordinator,
        session=session,
    )
    session.commit()
    return made


def test_closing_then_a_refused_publication_says_why(client, session, world):
    round_ = _open(session, world)
    sign_in(client, world.coordinator.email)
    token = csrf_token(rounds_page(client, world))
    closed = client.post(f"/platforms/steel/rounds/{round_.id}/close", data={"csrf_token": token})
    assert closed.status_code == 302
    refused = client.post(
        f"/platforms/steel/rounds/{round_.id}/publish", data={"csrf_token": token}
    )
    assert refused.status_code == 409
    assert "No company&#39;s accepted figures differ" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(ReportingRound, round_.id).status == "closed"


def _pending(session, world, text=ALPHA_V2):  # type: ignore[no-untyped-def]
    (made,) = operations.create_submissions(
        trajectories(text),
        platform=world.platform,
        source="form",
        submitted_by=world.member,
        session=session,
    )
    session.commit()
    return made


def test_member_home_shows_what_is_due_and_the_status(client, session, world):
    operations.create_submissions(
        trajectories(ALPHA_V1),
        platform=world.platform,
        source="seed",
        status="accepted",
        session=session,
    )
    _open(session, world)
    sign_in(client, world.member.email)
    page = client.get("/").get_data(as_text=True)
    assert "Due from Alpha" in page and "2026-06-30" in page
    assert '<td class="round-status">not started</td>' in page
    _pending(session, world)
    page = client.get("/").get_data(as_text=True)
    assert '<td class="round-status">submitted</td>' in page


def test_inbox_and_review_page_show_the_checks_and_the_effect(client, session, world):
    operations.create_submissions(
        trajectories(ALPHA_V1),
        platform=world.platform,
        source="seed",
        status="accepted",
        session=session,
    )
    _open(session, world)
    made = _pending(session, world)
    sign_in(client, world.coordinator.email)
    inbox = client.get("/review").get_data(as_text=True)
    assert "Review (1)" in inbox
    assert "2026 disclosure" in inbox and "member@alpha.example" in inbox
    # 2021 over 2020: 3.5 / 2.6 - 1 = +34.6 %, shown rounded to +35 %.
    assert "intensity changes by +35% from 2020 to 2021 (more than 30%)" in inbox
    assert "restated base year: emissions in 2020 was 250, now 260" in inbox
    page = client.get(f"/submissions/{made.id}/review").get_data(as_text=True)
    assert "accepted version 1 against version 2" in page
    assert 'id="effect-chart"' in page
    # The restated base year: intensity 250 / 100 = 2.5 now, 260 / 100 = 2.6 if accepted.
    # Intensities read to 3 significant digits (roadmap.formatting).
    assert "<td>2020</td>" in page and '<td class="num">2.50</td><td class="num">2.60</td>' in page


def test_a_member_may_not_open_the_inbox_or_a_review_page(client, session, world):
    made = _pending(session, world)
    sign_in(client, world.member.email)
    assert client.get("/review").status_code == 403
    assert client.get(f"/submissions/{made.id}/review").status_code == 403
    assert "Review (" not in client.get("/").get_data(as_text=True)


def test_requesting_changes_then_the_decision_is_final(client, session, world):
    made = _pending(session, world)
    sign_in(client, world.coordinator.email)
    page = client.get(f"/submissions/{made.id}").get_data(as_text=True)
    token = csrf_token(page)
    url = f"/submissions/{made.id}/review"
    missing = client.post(url, data={"csrf_token": token, "decision": "request_changes"})
    assert missing.status_code == 422
    assert "Say what the member should change." in missing.get_data(as_text=True)
    asked = client.post(
        url,
        data={"csrf_token": token, "decision": "request_changes", "reason": "2021 looks wrong"},
    )
    assert asked.status_code == 302
    again = client.post(url, data={"csrf_token": token, "decision": "accept"})
    assert again.status_code == 409
    assert "already decided by coord@example.org" in again.get_data(as_text=True)
    assert "a decision is final" in again.get_data(as_text=True)
    session.expire_all()
    stored = session.get(Submission, made.id)
    assert (stored.status, stored.review_reason) == ("changes_requested", "2021 looks wrong")


def test_disclosure_is_public_once_published(client, session, world):
    from roadmap.models import Signatory

    session.add(
        Signatory(
            platform_id=world.platform.id,
            organisation="Alpha",
            kind="company",
            joined_on=date(2024, 1, 1),
        )
    )
    operations.create_submissions(
        trajectories(ALPHA_V1),
        platform=world.platform,
        source="seed",
        status="accepted",
        session=session,
    )
    session.commit()
    page = rounds_page(client, world)  # signed out
    assert "Initial · published" in page
    assert "<td>Alpha</td><td>disclosed</td>" in page
    assert "Open a round" not in page and "Each company" not in page


def test_the_review_page_of_a_version_that_cannot_be_reconciled_says_why(client, session, world):
    """Without a 2020 figure (Test 1.5 starts in 2020) there is no base year to start the SDA
    target from: the page says so instead of failing."""
    made = _pending(
        session,
        world,
        f"""{TRAJECTORY_HEADER}
Alpha,Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned
Alpha,Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned
""",
    )
    sign_in(client, world.coordinator.email)
    response = client.get(f"/submissions/{made.id}/review")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This version cannot be reconciled against Test 1.5:" in page
    assert 'id="effect-chart"' not in page


def _accepted_v1_and_pending_v2(session, world):  # type: ignore[no-untyped-def]
    operations.create_submissions(
        trajectories(ALPHA_V1),
        platform=world.platform,
        source="seed",
        status="accepted",
        session=session,
    )
    return _pending(session, world)


def test_the_coordinator_chooses_the_scenario_of_the_review_page(client, session, world):
    """SDA targets in 2030 for C(2020) = 2.5 (v1) and 2.6 (v2). Test 1.5: S = 2, 1, 0 in
    2020, 2030, 2050, p(2030) = 0.5, T = 1.25 and 1.30. Test 2: S = 2, 1.6, 1.0,
    p(2030) = 0.6, T = 1.5 * 0.6 + 1 = 1.90 and 1.6 * 0.6 + 1 = 1.96."""
    made = _accepted_v1_and_pending_v2(session, world)
    sign_in(client, world.coordinator.email)
    url = f"/submissions/{made.id}/review"
    page = client.get(url).get_data(as_text=True)
    assert "Effect of accepting, against Test 1.5" in page
    assert '<option value="Test 2" >Test 2</option>' in " ".join(page.split())
    assert '<td class="num">1.25</td><td class="num">1.30</td>' in page
    chosen = client.get(url, query_string={"scenario": "Test 2"}).get_data(as_text=True)
    assert "Effect of accepting, against Test 2" in chosen
    assert '<td class="num">1.90</td><td class="num">1.96</td>' in chosen
    unknown = client.get(url, query_string={"scenario": "Test 9"})
    assert unknown.status_code == 200
    text = unknown.get_data(as_text=True)
    assert "Scenario \u2018Test 9\u2019 is not offered on Steel; its default is shown." in text
    assert "Effect of accepting, against Test 1.5" in text


def test_a_decided_version_shows_the_decision_not_the_form(client, session, world):
    made = _accepted_v1_and_pending_v2(session, world)
    operations.decide(
        made,
        decision="request_changes",
        message="2021 looks wrong",
        reviewer=world.coordinator,
        session=session,
    )
    session.commit()
    sign_in(client, world.coordinator.email)
    for url in (f"/submissions/{made.id}/review", f"/submissions/{made.id}"):
        page = client.get(url).get_data(as_text=True)
        assert (
            'Decided: <strong class="status-changes_requested">changes requested</strong> '
            "by coord@example.org on " in page
        )
        assert "with the message: &ldquo;2021 looks wrong&rdquo;" in page
        assert "Effect of accepting" not in page
        assert f'action="/submissions/{made.id}/review"' not in page


def test_a_decision_on_a_page_someone_else_decided_meanwhile_is_409(app, client, session, world):
    from sqlmodel import Session

    from roadmap.accounts import operations as account_operations
    from roadmap.db import get_engine
    from roadmap.models import User

    second = account_operations.create_user(
        session=session,
        email="second@example.org",
        password="correct horse battery",
        role="coordinator",
        platform_ids=[world.platform.id],
    )
    made = _accepted_v1_and_pending_v2(session, world)
    url = f"/submissions/{made.id}/review"
    sign_in(client, world.coordinator.email)
    token = csrf_token(client.get(url).get_data(as_text=True))
    # Meanwhile the other coordinator accepts it, in a session (a request) of their own.
    with Session(get_engine(app)) as theirs:
        operations.decide(
            theirs.get(Submission, made.id),
            decision="accept",
            message="",
            reviewer=theirs.get(User, second.id),
            session=theirs,
        )
        theirs.commit()
    reject = {"csrf_token": token, "decision": "reject", "reason": "figures too low"}
    # Confirmed on the page read before: the conditional update finds nothing pending.
    confirmed = client.post(url, data=reject | {"confirmed": CONFIRMED})
    assert confirmed.status_code == 409
    assert "was already decided by second@example.org on " in confirmed.get_data(as_text=True)
    # A new request reads the decision first (the tests share one session across requests).
    session.expire_all()
    rejected = client.post(url, data=reject)
    # No confirmation of a rejection that can no longer happen: who decided, and what.
    assert rejected.status_code == 409
    page = rejected.get_data(as_text=True)
    assert "Reject the submission" not in page
    assert "was already decided by second@example.org on " in page
    assert "(accepted); a decision is final." in page
    assert 'Decided: <strong class="status-accepted">accepted</strong> by second@' in page
    session.expire_all()
    stored = session.get(Submission, made.id)
    assert (stored.status, stored.reviewed_by_id) == ("accepted", second.id)


def test_a_coordinator_edits_an_open_round(client, session, world):
    round_ = _open(session, world)
    sign_in(client, world.coordinator.email)
    url = f"/platforms/steel/rounds/{round_.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="2026 disclosure"' in page and 'value="2026-06-30"' in page
    changes = {"name": "2026 steel disclosure", "deadline": "2026-07-31"}
    response = client.post(url, data=ROUND | changes | {"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    flashed = client.get("/platforms/steel/rounds").get_data(as_text=True)
    assert "2026 steel disclosure: changed name, deadline. Its members are told of the new" in (
        flashed
    )
    session.expire_all()
    stored = session.get(ReportingRound, round_.id)
    assert (stored.name, stored.deadline, stored.status) == (
        "2026 steel disclosure",
        date(2026, 7, 31),
        "open",
    )


def test_an_invalid_round_edit_says_where_and_changes_nothing(client, session, world):
    round_ = _open(session, world)
    sign_in(client, world.coordinator.email)
    url = f"/platforms/steel/rounds/{round_.id}/edit"
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(url, data=ROUND | {"deadline": "2026-02-01", "csrf_token": token})
    assert response.status_code == 422
    assert "The deadline cannot come before the opening (2026-03-01)." in response.get_data(
        as_text=True
    )
    session.expire_all()
    assert session.get(ReportingRound, round_.id).deadline == date(2026, 6, 30)


def test_a_member_may_not_edit_or_reopen_a_round(client, session, world):
    round_ = _open(session, world)
    round_operations.close_round(round_, session=session)
    session.commit()
    sign_in(client, world.member.email)
    token = csrf_token(rounds_page(client, world))
    base = f"/platforms/steel/rounds/{round_.id}"
    assert client.get(f"{base}/edit").status_code == 403
    assert client.post(f"{base}/edit", data=ROUND | {"csrf_token": token}).status_code == 403
    assert client.post(f"{base}/reopen", data={"csrf_token": token}).status_code == 403
    session.expire_all()
    assert session.get(ReportingRound, round_.id).status == "closed"


def test_a_closed_round_is_reopened_and_a_published_one_is_final(client, session, world):
    round_ = _open(session, world)
    round_operations.close_round(round_, session=session)
    session.commit()
    sign_in(client, world.coordinator.email)
    page = rounds_page(client, world)
    assert "Reopen 2026 disclosure" in page
    token = csrf_token(page)
    reopened = client.post(
        f"/platforms/steel/rounds/{round_.id}/reopen", data={"csrf_token": token}
    )
    assert reopened.status_code == 302
    assert "2026 disclosure is open again, until 2026-06-30." in rounds_page(client, world)
    session.expire_all()
    assert session.get(ReportingRound, round_.id).status == "open"
    # The Initial round of the figures stored as accepted is published: final.
    operations.create_submissions(
        trajectories(ALPHA_V1),
        platform=world.platform,
        source="seed",
        status="accepted",
        session=session,
    )
    session.commit()
    initial = session.exec(select(ReportingRound).where(ReportingRound.name == "Initial")).one()
    assert "Published rounds are final" in rounds_page(client, world)
    refused = client.post(
        f"/platforms/steel/rounds/{initial.id}/reopen", data={"csrf_token": token}
    )
    assert refused.status_code == 409
    assert "Initial is published, and a published round is final" in refused.get_data(as_text=True)
    edit_page = client.get(f"/platforms/steel/rounds/{initial.id}/edit")
    assert edit_page.status_code == 409
    assert "it cannot be edited" in edit_page.get_data(as_text=True)
    assert "Save the round" not in edit_page.get_data(as_text=True)
