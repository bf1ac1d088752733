"""The notifications' writes and reads without HTTP: users' choices, who is told, and the
outbox's claim, so two senders never send one message twice."""

from __future__ import annotations

from datetime import timedelta

from roadmap.models import OutboxMessage, utcnow
from roadmap.notifications import operations, queries
from tests import factories


def test_every_event_is_on_until_turned_off(session):
    member = factories.UserFactory(role="company", company_id=factories.CompanyFactory().id)
    assert queries.wants(member, "review_decision", session=session)
    off = operations.set_preferences(
        member,
        # submission_received is a coordinator's event: a member's choice of it is ignored
        {"review_decision": False, "round_opened": True, "submission_received": False},
        session=session,
    )
    assert off == ["review_decision"]
    assert queries.opted_out_events(member.id, session=session) == {"review_decision"}
    assert not queries.wants(member, "review_decision", session=session)
    assert operations.set_preferences(member, {"review_decision": True}, session=session) == []
    assert queries.opted_out_events(member.id, session=session) == set()


def test_an_inactive_user_is_told_nothing(session):
    user = factories.UserFactory(role="consultant", is_active=False)
    assert not queries.wants(user, "consultant_access", session=session)


def test_only_active_coordinators_of_the_platform(session):
    platform = factories.PlatformFactory()
    other = factories.PlatformFactory(sector_id=platform.sector_id)
    for email, active, on in [
        ("b@example.org", True, platform),
        ("a@example.org", True, platform),
        ("gone@example.org", False, platform),
        ("other@example.org", True, other),
    ]:
        user = factories.UserFactory(email=email, role="coordinator", is_active=active)
        factories.PlatformCoordinatorFactory(user_id=user.id, platform_id=on.id)
    coordinators = queries.platform_coordinators(platform.id, session=session)
    assert [u.email for u in coordinators] == ["a@example.org", "b@example.org"]


def message(**fields) -> OutboxMessage:  # type: ignore[no-untyped-def]
    return OutboxMessage(
        event="submission_received", recipient="a@example.org", subject="s", body="b", **fields
    )


def test_a_message_is_claimed_once(session):
    waiting = message()
    session.add(waiting)
    session.flush()
    assert operations.claim_message(waiting, session=session)
    assert waiting.claimed_at is not None
    assert not operations.claim_message(waiting, session=session)  # a second sender
    operations.mark_failed(waiting, "421 try later", session=session)
    assert (waiting.claimed_at, waiting.attempts, waiting.last_error) == (None, 1, "421 try later")
    assert operations.claim_message(waiting, session=session)  # the next run tries again
    operations.mark_sent(waiting, session=session)
    assert not operations.claim_message(waiting, session=session)  # sent: never again
    assert queries.unsent_messages(session=session) == []


def test_a_claim_of_a_sender_that_died_lapses(session):
    """A claim older than CLAIM_TIMEOUT (10 minutes) is taken over; a newer one is not."""
    recent = message(claimed_at=utcnow() - timedelta(minutes=9))
    stale = message(claimed_at=utcnow() - timedelta(minutes=11))
    session.add_all([recent, stale])
    session.flush()
    assert not operations.claim_message(recent, session=session)
    assert operations.claim_message(stale, session=session)
