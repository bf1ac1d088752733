"""Email through a real SMTP server (aiosmtpd, in the test process): who is told what, the
links in the messages, users' choices, and the outbox when the server is down."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlmodel import select

from roadmap.models import HistoryEntry, Submission
from roadmap.notifications import operations as notify
from roadmap.notifications.mail import wait_for_mail
from roadmap.notifications.queries import outbox
from roadmap.submissions import operations as submission_operations
from roadmap.submissions import round_operations
from tests.domain import helpers
from tests.notifications.conftest import BASE_URL
from tests.world import csrf_token, sign_in

ALPHA = f"""{helpers.TRAJECTORY_HEADER}
Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported
Alpha,Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned
"""


def token(client) -> str:  # type: ignore[no-untyped-def]
    return csrf_token(client.get("/account/tokens").get_data(as_text=True))


def submit_by_form(client, world) -> int:  # type: ignore[no-untyped-def]
    """Alpha's member submits a three-year trajectory through the web form; its id."""
    rows = {
        f"rows-{i}-{name}": value
        for i, (year, kind, emissions) in enumerate(
            [(2020, "reported", 250), (2030, "planned", 120), (2050, "planned", 40)]
        )
        for name, value in (
            ("year", year),
            ("kind", kind),
            ("activity", 100),
            ("emissions", emissions),
        )
    }
    response = client.post(
        f"/companies/{world.alpha.id}/submissions/new",
        data={
            "csrf_token": token(client),
            "platform": world.platform.id,
            "assurance": "limited assurance",
            "activity_unit": "t Steel",
            "emissions_unit": "t CO2e",
            "submit": "Submit this trajectory",
            **rows,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def stored_submission(session, world) -> Submission:  # type: ignore[no-untyped-def]
    """Alpha's member's version 1, stored and committed (its coordinator is told)."""
    created = submission_operations.submit(
        helpers.trajectories(ALPHA),
        company=world.alpha,
        platform=world.platform,
        source="form",
        user=world.member,
        assurance="self-reported",
        session=session,
    )
    session.commit()
    return created


def test_a_submission_tells_the_platforms_coordinators(mail_app, smtp, session, world, client):
    sign_in(client, world.member.email)
    submission_id = submit_by_form(client, world)
    assert wait_for_mail(mail_app)
    (message,) = smtp.inbox.messages
    assert message["To"] == "coord@example.org"
    assert message["From"] == "roadmap@example.test"
    assert message["Subject"] == "Steel: Alpha submitted version 1"
    body = message.get_content().replace("\r\n", "\n")
    assert "Platform:     Steel\n" in body
    assert "Company:      Alpha\n" in body
    assert "Version:      1\n" in body
    assert "Submitted by: member@alpha.example\n" in body
    assert "Assurance:    limited assurance\n" in body
    assert f"Review it: {BASE_URL}/submissions/{submission_id}\n" in body
    session.expire_all()
    (stored,) = outbox(session=session)
    assert stored.sent_at is not None
    assert (stored.attempts, stored.last_error, stored.event) == (1, "", "submission_received")


def test_a_decision_tells_the_submitter_with_its_reason(mail_app, smtp, session, world, client):
    submission = stored_submission(session, world)
    assert wait_for_mail(mail_app)
    assert [m["To"] for m in smtp.inbox.messages] == ["coord@example.org"]
    sign_in(client, world.coordinator.email)
    reason = "The 2050 plan has no activity path; please add 2030."
    response = client.post(
        f"/submissions/{submission.id}/review",
        data={
            "csrf_token": token(client),
            "decision": "reject",
            "reason": reason,
            "confirmed": "yes",  # past the confirmation page a rejection asks for
        },
    )
    assert response.status_code == 302
    assert wait_for_mail(mail_app)
    (message,) = smtp.inbox.to("member@alpha.example")
    assert message["Subject"] == "Steel: version 1 of Alpha rejected"
    body = message.get_content().replace("\r\n", "\n")
    assert f"Reason given:\n{reason}\n" in body
    assert "Decision: rejected\n" in body
    assert f"See it: {BASE_URL}/submissions/{submission.id}\n" in body
    # ... and the decision is in the platform's history with its reason.
    entry = session.exec(select(HistoryEntry).where(HistoryEntry.kind == "review")).one()
    assert (entry.what, entry.detail, entry.user_id) == (
        "rejected Alpha version 1",
        reason,
        world.coordinator.id,
    )


def test_consultant_told_of_access_granted_and_revoked(mail_app, smtp, session, world, client):
    from roadmap.accounts import operations as account_operations

    consultant = account_operations.create_user(
        session=session,
        email="consultant@example.org",
        password="correct horse battery",
        role="consultant",
    )
    stored_submission(session, world)
    assert wait_for_mail(mail_app)
    sign_in(client, world.member.email)
    granted = client.post(
        f"/companies/{world.alpha.id}/grants",
        data={"csrf_token": token(client), "email": consultant.email},
    )
    assert granted.status_code == 302
    assert wait_for_mail(mail_app)
    (message,) = smtp.inbox.to(consultant.email)
    assert message["Subject"] == "Alpha granted you read access"
    body = message.get_content().replace("\r\n", "\n")
    assert "Company: Alpha\nPlatform: Steel, latest version 1\n" in body
    assert f"See it: {BASE_URL}/companies/{world.alpha.id}\n" in body
    page = client.get(f"/companies/{world.alpha.id}").get_data(as_text=True)
    revoke = page[page.index(f"/companies/{world.alpha.id}/grants/") :].split('"', 1)[0]
    revoked = client.post(revoke, data={"csrf_token": token(client), "confirmed": "yes"})
    assert revoked.status_code == 302
    assert wait_for_mail(mail_app)
    first, second = smtp.inbox.to(consultant.email)
    assert second["Subject"] == "Alpha revoked your read access"
    assert f"Your companies: {BASE_URL}/companies/\n" in second.get_content().replace("\r\n", "\n")


def test_preferences_default_on_and_an_event_turned_off_is_not_sent(
    mail_app, smtp, session, world, client
):
    sign_in(client, world.coordinator.email)
    page = client.get("/account/notifications").get_data(as_text=True)
    # A coordinator is offered the one event that concerns them, ticked.
    assert '<input checked id="submission_received" name="submission_received"' in page
    assert 'name="review_decision"' not in page
    saved = client.post("/account/notifications", data={"csrf_token": csrf_token(page)})
    assert saved.headers["Location"] == "/account/notifications"
    page = client.get("/account/notifications").get_data(as_text=True)
    assert '<input id="submission_received" name="submission_received"' in page  # unticked
    stored_submission(session, world)
    assert wait_for_mail(mail_app)
    assert smtp.inbox.messages == []
    assert outbox(session=session) == []
    # Ticked again, the next submission is sent.
    client.post(
        "/account/notifications",
        data={"csrf_token": csrf_token(page), "submission_received": "y"},
    )
    stored_submission(session, world)
    assert wait_for_mail(mail_app)
    assert [m["Subject"] for m in smtp.inbox.messages] == ["Steel: Alpha submitted version 2"]


def test_preferences_need_a_csrf_token_and_a_sign_in(mail_app, world, client):
    assert client.get("/account/notifications").status_code == 302  # to sign in
    sign_in(client, world.coordinator.email)
    assert client.post("/account/notifications", data={}).status_code == 400


def test_server_down_keeps_the_message_and_send_mail_delivers_it_later(
    mail_app, smtp, session, world
):
    smtp.stop()
    stored_submission(session, world)
    assert wait_for_mail(mail_app)
    session.expire_all()
    (waiting,) = outbox(session=session)
    assert waiting.sent_at is None and waiting.claimed_at is None
    assert waiting.attempts == 1
    assert waiting.last_error.startswith("mail server:")
    runner = mail_app.test_cli_runner()
    still_down = runner.invoke(args=["send-mail"])
    assert still_down.exit_code == 1
    assert "sent 0; 1 could not be delivered (kept in the outbox)" in still_down.output
    smtp.start()
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent 1; 0 could not be delivered" in result.output
    (message,) = smtp.inbox.messages
    assert message["Subject"] == "Steel: Alpha submitted version 1"
    session.expire_all()
    (sent,) = outbox(session=session)
    assert sent.sent_at is not None and sent.attempts == 3
    again = runner.invoke(args=["send-mail"])
    assert "sent 0; 0 could not be delivered" in again.output
    assert len(smtp.inbox.messages) == 1


def test_a_rolled_back_change_sends_nothing(mail_app, smtp, session, world):
    submission_operations.submit(
        helpers.trajectories(ALPHA),
        company=world.alpha,
        platform=world.platform,
        source="form",
        user=world.member,
        assurance="self-reported",
        session=session,
    )
    session.rollback()
    session.commit()
    assert wait_for_mail(mail_app)
    assert smtp.inbox.messages == []
    assert outbox(session=session) == []


def test_without_a_mail_server_messages_are_only_logged(app, session, world, caplog):
    with caplog.at_level(logging.INFO, logger="roadmap.mail"):
        stored_submission(session, world)
    assert outbox(session=session) == []
    (record,) = [r for r in caplog.records if r.name == "roadmap.mail"]
    assert "to coord@example.org: Steel: Alpha submitted version 1" in record.getMessage()
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0
    assert "no mail server set (ROADMAP_MAIL_SERVER); 0 message(s) wait" in result.output


def test_round_opened_and_reminder_name_platform_company_version(mail_app, smtp, session, world):
    notice = notify.RoundNotice(
        world.platform, "2026 disclosure", date(2026, 12, 31), [world.member]
    )
    assert notify.notify_round_opened(notice, session=session) == 1
    session.commit()
    assert wait_for_mail(mail_app)
    (opened,) = smtp.inbox.messages
    assert opened["To"] == "member@alpha.example"
    assert opened["Subject"] == "Steel: 2026 disclosure is open, due 2026-12-31"
    body = opened.get_content().replace("\r\n", "\n")
    assert "Company:  Alpha\nRound:    2026 disclosure\nDeadline: 2026-12-31\n" in body
    assert "Your latest version: none yet\n" in body
    assert f"Submit: {BASE_URL}/companies/{world.alpha.id}/submissions/new\n" in body
    stored_submission(session, world)  # version 1 (tells the coordinator)
    assert notify.notify_deadline_reminder(notice, session=session) == 1
    session.commit()
    assert wait_for_mail(mail_app)
    (reminder,) = smtp.inbox.to("member@alpha.example")[1:]
    assert reminder["Subject"] == "Steel: 2026 disclosure is due on 2026-12-31"
    assert "Your latest version: 1\n" in reminder.get_content().replace("\r\n", "\n")


def test_a_member_who_turned_reminders_off_is_not_reminded(mail_app, smtp, session, world):
    notify.set_preferences(world.member, {"deadline_reminder": False}, session=session)
    notice = notify.RoundNotice(
        world.platform, "2026 disclosure", date(2026, 12, 31), [world.member]
    )
    assert notify.notify_deadline_reminder(notice, session=session) == 0
    assert notify.notify_round_opened(notice, session=session) == 1
    session.commit()
    assert wait_for_mail(mail_app)
    assert [m["Subject"] for m in smtp.inbox.messages] == [
        "Steel: 2026 disclosure is open, due 2026-12-31"
    ]


@pytest.mark.parametrize(
    ("deadline", "today", "due"),
    [
        (date(2026, 12, 31), date(2026, 12, 24), True),  # 31 - 24 = 7 days
        (date(2026, 12, 31), date(2026, 12, 23), False),  # 8 days: not yet
        (date(2026, 12, 31), date(2026, 12, 25), False),  # 6 days: told yesterday
        (date(2027, 1, 3), date(2026, 12, 27), True),  # across the year's end: 4 + 3
    ],
)
def test_reminder_due_exactly_seven_days_before(deadline, today, due):
    from roadmap.notifications.events import reminder_due

    assert reminder_due(deadline, today) is due


def test_a_subject_is_one_line_whatever_a_name_holds(app):
    from types import SimpleNamespace

    with app.app_context():
        subject, body = notify.render(
            "submission_received",
            user=SimpleNamespace(name="", email="c@example.org"),
            platform=SimpleNamespace(name="Steel"),
            company=SimpleNamespace(name="Evil\r\nBcc: all@example.org"),
            submission=SimpleNamespace(version=3, assurance="self-reported"),
            submitted_by="x@example.org",
            link="https://example.test/submissions/1",
        )
    assert subject == "Steel: Evil Bcc: all@example.org submitted version 3"
    assert "\n" not in subject


def test_opening_a_round_tells_members_and_remind_tells_those_not_started(
    mail_app, smtp, session, world
):
    """Alpha submitted to the platform before, so its member is asked to disclose when a round
    opens; seven days before the deadline, with nothing submitted in the round, it is reminded
    (and not on the day before that). Both steps are kept in the platform's history."""
    stored_submission(session, world)
    assert wait_for_mail(mail_app)  # the coordinator's message about version 1
    opened = round_operations.open_round(
        world.platform,
        name="2027 disclosure",
        reported_up_to=2026,
        plan_to=2050,
        opens_on=date(2027, 1, 1),
        deadline=date(2027, 3, 31),
        user=world.coordinator,
        session=session,
    )
    session.commit()
    assert wait_for_mail(mail_app)
    (message,) = smtp.inbox.to("member@alpha.example")
    assert message["Subject"] == "Steel: 2027 disclosure is open, due 2027-03-31"
    assert round_operations.remind_members(date(2027, 3, 23), session=session) == 0
    assert round_operations.remind_members(date(2027, 3, 24), session=session) == 1
    session.commit()
    assert wait_for_mail(mail_app)
    reminder = smtp.inbox.to("member@alpha.example")[1]
    assert reminder["Subject"] == "Steel: 2027 disclosure is due on 2027-03-31"
    history = session.exec(select(HistoryEntry.what).where(HistoryEntry.kind == "round")).all()
    assert history == [
        "opened round 2027 disclosure (reported years to 2026, plans to 2050, deadline 2027-03-31)"
    ]
    assert opened.status == "open"


def test_remind_command_queues_reminders(mail_app, session, world):
    runner = mail_app.test_cli_runner()
    result = runner.invoke(args=["remind", "--today", "2027-03-24"])
    assert result.exit_code == 0, result.output
    assert result.output == "reminders queued: 0\n"  # no open round


def _open_2027(session, world):  # type: ignore[no-untyped-def]
    opened = round_operations.open_round(
        world.platform,
        name="2027 disclosure",
        reported_up_to=2026,
        plan_to=2050,
        opens_on=date(2027, 1, 1),
        deadline=date(2027, 3, 31),
        user=world.coordinator,
        session=session,
    )
    session.commit()
    return opened


def _edit(round_, session, **changes):  # type: ignore[no-untyped-def]
    fields = {
        "name": round_.name,
        "reported_up_to": round_.reported_up_to,
        "plan_to": round_.plan_to,
        "opens_on": round_.opens_on,
        "deadline": round_.deadline,
    }
    changed = round_operations.edit_round(
        round_,
        round_operations.RoundRequest(**(fields | changes)),
        user=None,
        session=session,
    )
    session.commit()
    return changed


def test_an_edited_round_mails_members_only_of_a_new_deadline(mail_app, smtp, session, world):
    stored_submission(session, world)
    round_ = _open_2027(session, world)
    assert wait_for_mail(mail_app)
    assert len(smtp.inbox.to("member@alpha.example")) == 1  # the opening
    # A new name and plan year: nobody is mailed again.
    assert _edit(round_, session, name="2027 disclosure (steel)", plan_to=2045) == [
        "name",
        "plan_to",
    ]
    assert wait_for_mail(mail_app)
    assert len(smtp.inbox.to("member@alpha.example")) == 1
    # A new deadline: one message to each member, saying both dates.
    assert _edit(round_, session, deadline=date(2027, 4, 30)) == ["deadline"]
    assert wait_for_mail(mail_app)
    (_opening, moved) = smtp.inbox.to("member@alpha.example")
    assert moved["Subject"] == "Steel: 2027 disclosure (steel) is now due on 2027-04-30"
    body = moved.get_content().replace("\r\n", "\n")
    assert "changed\nfrom 2027-03-31 to 2027-04-30." in body
    assert f"Submit: {BASE_URL}/companies/{world.alpha.id}/submissions/new\n" in body
    # The coordinator had the submission's message only.
    assert len(smtp.inbox.to("coord@example.org")) == 1


def test_a_member_who_turned_deadline_changes_off_is_not_told(mail_app, smtp, session, world):
    stored_submission(session, world)
    round_ = _open_2027(session, world)
    notify.set_preferences(world.member, {"deadline_changed": False}, session=session)
    session.commit()
    assert _edit(round_, session, deadline=date(2027, 4, 30)) == ["deadline"]
    assert wait_for_mail(mail_app)
    assert [m["Subject"] for m in smtp.inbox.to("member@alpha.example")] == [
        "Steel: 2027 disclosure is open, due 2027-03-31"
    ]
