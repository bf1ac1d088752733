"""The events a user may be emailed about, what the preferences form calls them, and which
roles they concern."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmap.models import NOTIFICATION_EVENTS

# Members are reminded this many days before a round's deadline (``roadmap remind``).
REMINDER_DAYS = 7


@dataclass(frozen=True)
class Event:
    name: str
    label: str
    roles: tuple[str, ...]


EVENTS = {
    e.name: e
    for e in (
        Event("round_opened", "A reporting round opens on a platform I report to", ("company",)),
        Event(
            "deadline_reminder",
            f"A round's deadline is {REMINDER_DAYS} days away and I have not submitted",
            ("company",),
        ),
        Event(
            "deadline_changed",
            "The deadline of an open round on a platform I report to changes",
            ("company",),
        ),
        Event(
            "submission_received",
            "A submission arrives on a platform I coordinate",
            ("coordinator",),
        ),
        Event("review_decision", "A coordinator decides on a submission I made", ("company",)),
        Event(
            "consultant_access",
            "A company grants or revokes my read access",
            ("consultant",),
        ),
        Event(
            "need_posted",
            "A need is posted that a provider I list could answer",
            ("consultant",),
        ),
        Event(
            "need_answered",
            "A provider answers a need I posted",
            ("company", "coordinator"),
        ),
        Event(
            "answer_decided",
            "A need's poster accepts or declines my provider's answer",
            ("consultant",),
        ),
    )
}
assert tuple(EVENTS) == NOTIFICATION_EVENTS


def events_for(role: str) -> list[Event]:
    """The events that can concern a user of ``role`` (an admin: all)."""
    return [e for e in EVENTS.values() if role == "admin" or role in e.roles]


def reminder_due(deadline: date, today: date) -> bool:
    """Whether members are reminded today: exactly REMINDER_DAYS before the deadline (a daily
    ``roadmap remind`` tells each member once)."""
    return (deadline - today).days == REMINDER_DAYS
