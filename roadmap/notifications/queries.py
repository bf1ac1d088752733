"""Reads for notifications: who wants which events, who coordinates a platform, and what the
outbox still holds."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from roadmap.models import (
    NotificationOptOut,
    OutboxMessage,
    Platform,
    PlatformCoordinator,
    Submission,
    User,
)


def opted_out_events(user_id: int, *, session: Session) -> set[str]:
    """The events ``user_id`` chose not to be emailed about."""
    return set(
        session.exec(
            select(NotificationOptOut.event).where(NotificationOptOut.user_id == user_id)
        ).all()
    )


def wants(user: User, event: str, *, session: Session) -> bool:
    """Whether ``user`` is emailed about ``event``: active, and not opted out (default on)."""
    return user.is_active and event not in opted_out_events(user.id, session=session)  # type: ignore[arg-type]


def platform_coordinators(platform_id: int, *, session: Session) -> list[User]:
    """The active coordinators of a platform, by email."""
    return list(
        session.exec(
            select(User)
            .join(PlatformCoordinator, col(PlatformCoordinator.user_id) == User.id)
            .where(PlatformCoordinator.platform_id == platform_id, col(User.is_active))
            .order_by(User.email)
        ).all()
    )


def company_versions(company_id: int, *, session: Session) -> list[tuple[str, int]]:
    """Each platform a company submitted to, by name, with its latest version there."""
    return [
        (name, version)
        for name, version in session.exec(
            select(Platform.name, func.max(Submission.version))
            .join(Submission, col(Submission.platform_id) == Platform.id)
            .where(Submission.company_id == company_id)
            .group_by(Platform.name)
            .order_by(Platform.name)
        ).all()
    ]


def unsent_messages(*, session: Session, ids: Iterable[int] | None = None) -> list[OutboxMessage]:
    """Messages no mail server has taken yet, oldest first (only ``ids`` where given)."""
    query = select(OutboxMessage).where(col(OutboxMessage.sent_at).is_(None))
    if ids is not None:
        query = query.where(col(OutboxMessage.id).in_(list(ids)))
    return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def outbox(*, session: Session) -> list[OutboxMessage]:
    """Every message of the outbox, oldest first."""
    return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())
