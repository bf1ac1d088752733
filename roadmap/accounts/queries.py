"""Reads about users, their tokens, reset links and consultants' grants."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from roadmap.accounts.passwords import digest, normalise_email
from roadmap.models import (
    ApiToken,
    Company,
    ConsultantGrant,
    PasswordReset,
    Platform,
    SignIn,
    User,
    utcnow,
)


def active_user(user_id: int, *, session: Session) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.is_active else None


def signed_in_user(user_id: int, secret: str, *, session: Session) -> User | None:
    """The active user whose signed-in session holds ``secret``, if it has not ended."""
    if not secret:
        return None
    found = session.exec(
        select(SignIn.id).where(
            SignIn.user_id == user_id,
            SignIn.token_hash == digest(secret),
            SignIn.ended_at.is_(None),
        )
    ).first()
    return active_user(user_id, session=session) if found is not None else None


def user(user_id: int, *, session: Session) -> User | None:
    return session.get(User, user_id)


def user_by_email(email: str, *, session: Session) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def users(*, session: Session) -> list[User]:
    """Every user, by role and email (``user.company`` names a member's company)."""
    return list(session.exec(select(User).order_by(User.role, User.email)).all())


def company_choices(*, session: Session) -> list[Company]:
    """Every company, for the admin's user form."""
    return list(session.exec(select(Company).order_by(Company.name)).all())


def platform_choices(*, session: Session) -> list[Platform]:
    """Every platform, for the admin's user form."""
    return list(session.exec(select(Platform).order_by(Platform.name)).all())


def api_tokens(owner: User, *, session: Session) -> list[ApiToken]:
    return list(
        session.exec(
            select(ApiToken)
            .where(ApiToken.user_id == owner.id)
            .order_by(ApiToken.created_at.desc())
        ).all()
    )


def api_token_of(owner: User, token_id: int, *, session: Session) -> ApiToken | None:
    """The token ``token_id`` if ``owner`` holds it (anyone else's is not found)."""
    token = session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == owner.id else None


def user_for_token(secret: str, *, session: Session) -> tuple[User, ApiToken] | None:
    """The active user owning this unrevoked bearer token."""
    found = session.exec(
        select(User, ApiToken)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == digest(secret),
            ApiToken.revoked_at.is_(None),
            User.is_active.is_(True),
        )
    ).first()
    return (found[0], found[1]) if found else None


def password_reset(secret: str, *, session: Session) -> PasswordReset | None:
    """The unused, unexpired reset link of this secret, or None."""
    found = session.exec(
        select(PasswordReset).where(
            PasswordReset.token_hash == digest(secret), PasswordReset.used_at.is_(None)
        )
    ).first()
    if found is None or _aware(found.expires_at) < utcnow():
        return None
    return found


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def consultant_grants(company_id: int, *, session: Session) -> list[ConsultantGrant]:
    """Current (unrevoked) grants of a company (``grant.consultant`` is the consultant)."""
    return list(
        session.exec(
            select(ConsultantGrant)
            .join(User, User.id == ConsultantGrant.consultant_id)
            .where(ConsultantGrant.company_id == company_id, ConsultantGrant.revoked_at.is_(None))
            .order_by(User.email)
        ).all()
    )


def current_grant(company_id: int, grant_id: int, *, session: Session) -> ConsultantGrant | None:
    """The unrevoked grant ``grant_id`` of this company, or None."""
    grant = session.get(ConsultantGrant, grant_id)
    if grant is None or grant.company_id != company_id or grant.revoked_at is not None:
        return None
    return grant


def active_consultant(email: str, *, session: Session) -> User | None:
    """The active consultant with this email, or None."""
    found = user_by_email(email, session=session)
    if found is None or found.role != "consultant" or not found.is_active:
        return None
    return found
