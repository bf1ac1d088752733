"""Writes for notifications: a message for each person an event concerns (in the outbox,
sent once the transaction commits), users' choices of events, and the outbox's bookkeeping.
Functions take ``session`` by keyword and flush; the caller commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import or_, update
from sqlmodel import Session, col, delete

from roadmap.config import external_url, mail_settings, shipped_folder
from roadmap.models import (
    Company,
    ConsultantGrant,
    NotificationOptOut,
    OutboxMessage,
    Platform,
    Submission,
    User,
    utcnow,
)
from roadmap.notifications import queries
from roadmap.notifications.events import EVENTS, events_for
from roadmap.submissions.queries import latest_version

# Where the commit hook (roadmap.notifications.mail) finds what a transaction queued.
PENDING = "roadmap.mail.pending"
# A claim older than this is taken to be of a sender that died; the message is sent again.
CLAIM_TIMEOUT = timedelta(minutes=10)

_TEMPLATES = Environment(
    loader=FileSystemLoader(shipped_folder("templates") / "notifications"),
    autoescape=False,  # plain-text email: nothing is HTML
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class LoggedMail:
    """A message for the log only (no mail server set)."""

    recipient: str
    subject: str
    body: str


def render(event: str, **context: Any) -> tuple[str, str]:
    """The subject (the template's ``subject`` block, made one line whatever the names in it
    hold) and body (its ``body`` block) of ``event``'s message."""
    template = _TEMPLATES.get_template(f"{event}.txt")
    values = template.new_context(context)
    subject = " ".join("".join(template.blocks["subject"](values)).split())
    body = "".join(template.blocks["body"](values)).lstrip("\n")
    return subject[:300], body


def queue_message(user: User, event: str, *, session: Session, **context: Any) -> bool:
    """Write ``event``'s message to ``user`` if they want it; it goes out after the commit.
    With no mail server set it is only logged then. Returns whether a message was made."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    if not queries.wants(user, event, session=session):
        return False
    subject, body = render(event, user=user, **context)
    pending = session.info.setdefault(PENDING, [])
    if not mail_settings().server:
        pending.append(LoggedMail(user.email, subject, body))
        return True
    message = OutboxMessage(
        event=event, user_id=user.id, recipient=user.email, subject=subject, body=body
    )
    session.add(message)
    session.flush()
    pending.append(message.id)
    return True


# --- the events ----------------------------------------------------------------------------


def notify_submission_received(submission: Submission, *, session: Session) -> int:
    """Tell the platform's coordinators that a new version waits for their review."""
    link = external_url("submissions.detail", submission_id=submission.id)
    submitter = submission.submitted_by
    return sum(
        queue_message(
            coordinator,
            "submission_received",
            session=session,
            platform=submission.platform,
            company=submission.company,
            submission=submission,
            submitted_by=submitter.email if submitter else "an import",
            link=link,
        )
        for coordinator in queries.platform_coordinators(submission.platform_id, session=session)
    )


def notify_review_decision(submission: Submission, *, session: Session) -> int:
    """Tell whoever submitted a version what the coordinator decided, and why."""
    submitter = submission.submitted_by
    if submitter is None:
        return 0
    return int(
        queue_message(
            submitter,
            "review_decision",
            session=session,
            platform=submission.platform,
            company=submission.company,
            submission=submission,
            link=external_url("submissions.detail", submission_id=submission.id),
        )
    )


def notify_consultant_access(grant: ConsultantGrant, *, granted: bool, session: Session) -> int:
    """Tell a consultant a company granted (or revoked) their read access."""
    company = session.get(Company, grant.company_id)
    assert company is not None
    link = (
        external_url("companies.detail", company_id=company.id)
        if granted
        else external_url("companies.index")
    )
    return int(
        queue_message(
            grant.consultant,
            "consultant_access",
            session=session,
            company=company,
            granted=granted,
            versions=queries.company_versions(company.id, session=session),  # type: ignore[arg-type]
            link=link,
        )
    )


@dataclass(frozen=True)
class RoundNotice:
    """What the messages about a reporting round need: its platform, name and deadline, and
    the company members to tell (for a reminder: those whose company has not submitted)."""

    platform: Platform
    name: str
    deadline: date
    members: Sequence[User] = field(default_factory=tuple)


def notify_round_opened(notice: RoundNotice, *, session: Session) -> int:
    """Tell each member that a round is open and what is due by when."""
    return _tell_members(notice, "round_opened", session=session)


def notify_deadline_reminder(notice: RoundNotice, *, session: Session) -> int:
    """Remind each member (who has not submitted) that the deadline is near."""
    return _tell_members(notice, "deadline_reminder", session=session)


def notify_deadline_changed(notice: RoundNotice, old_deadline: date, *, session: Session) -> int:
    """Tell each member of an open round that its deadline moved (from ``old_deadline`` to
    the notice's)."""
    return _tell_members(notice, "deadline_changed", session=session, old_deadline=old_deadline)


def _tell_members(notice: RoundNotice, event: str, *, session: Session, **extra: Any) -> int:
    told = 0
    for member in notice.members:
        company = member.company
        if company is None:
            continue
        latest = latest_version(company.id, notice.platform.id, session=session)  # type: ignore[arg-type]
        told += queue_message(
            member,
            event,
            session=session,
            platform=notice.platform,
            company=company,
            round_name=notice.name,
            deadline=notice.deadline,
            latest_version=latest,
            link=external_url("submissions.create", company_id=company.id),
            **extra,
        )
    return told


# --- preferences ---------------------------------------------------------------------------


def set_preferences(user: User, wanted: dict[str, bool], *, session: Session) -> list[str]:
    """Turn the events of ``wanted`` on or off for ``user`` (only those of their role);
    returns the events turned off."""
    mine = {e.name for e in events_for(user.role)}
    changed = {event: on for event, on in wanted.items() if event in mine}
    session.exec(  # type: ignore[call-overload]
        delete(NotificationOptOut).where(
            col(NotificationOptOut.user_id) == user.id,
            col(NotificationOptOut.event).in_(list(changed)),
        )
    )
    off = sorted(event for event, on in changed.items() if not on)
    session.add_all([NotificationOptOut(user_id=user.id, event=event) for event in off])
    session.flush()
    return off


# --- the outbox ----------------------------------------------------------------------------


def claim_message(message: OutboxMessage, *, session: Session) -> bool:
    """Mark ``message`` as being sent by this sender; False if another sender has it (or it
    was sent meanwhile). One UPDATE, so two senders cannot both win."""
    now = utcnow()
    result = session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id) == message.id,
            col(OutboxMessage.sent_at).is_(None),
            or_(
                col(OutboxMessage.claimed_at).is_(None),
                col(OutboxMessage.claimed_at) < now - CLAIM_TIMEOUT,
            ),
        )
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    won = result.rowcount == 1  # type: ignore[attr-defined]
    if won:
        session.refresh(message)  # the UPDATE went past the object; read what it holds now
    return won


def mark_sent(message: OutboxMessage, *, session: Session) -> None:
    message.sent_at = utcnow()
    message.attempts += 1
    message.last_error = ""
    session.add(message)
    session.flush()


def mark_failed(message: OutboxMessage, error: str, *, session: Session) -> None:
    """Leave ``message`` in the outbox for the next try, with what went wrong."""
    message.claimed_at = None
    message.attempts += 1
    message.last_error = error[:500]
    session.add(message)
    session.flush()
