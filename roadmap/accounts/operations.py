"""Writes about users, tokens, reset links and grants. Each function takes ``session`` by
keyword and flushes; the caller (a view or a command) commits once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from roadmap.accounts import passwords
from roadmap.models import (
    ApiToken,
    ConsultantGrant,
    PasswordReset,
    PlatformCoordinator,
    SignIn,
    User,
    utcnow,
)
from roadmap.notifications import operations as notify

RESET_LIFETIME = timedelta(days=2)


def create_user(
    *,
    session: Session,
    email: str,
    password: str,
    role: str,
    name: str = "",
    company_id: int | None = None,
    platform_ids: list[int] | None = None,
    may_create_sectors: bool = False,
) -> User:
    """A user with a hashed password; a coordinator is linked to ``platform_ids`` and may be
    allowed to create sectors."""
    user = User(
        email=passwords.normalise_email(email),
        name=name,
        role=role,
        company_id=company_id if role == "company" else None,
        password_hash=passwords.hash_password(password),
        may_create_sectors=may_create_sectors and role == "coordinator",
    )
    session.add(user)
    session.flush()
    for platform_id in platform_ids or []:
        add_coordinator(user, platform_id, session=session)
    session.flush()
    return user


def set_sector_leave(user: User, allowed: bool, *, session: Session) -> None:
    """Allow a coordinator to create sectors, or take the leave back (only coordinators get
    it: admins always may, other roles never)."""
    user.may_create_sectors = allowed and user.role == "coordinator"
    session.add(user)
    session.flush()


def add_coordinator(user: User, platform_id: int, *, session: Session) -> None:
    """Make ``user`` a coordinator of the platform."""
    session.add(PlatformCoordinator(user_id=user.id, platform_id=platform_id))
    session.flush()


def create_password_reset(user: User, *, created_by: User, session: Session) -> str:
    """A one-time reset token for ``user`` (valid RESET_LIFETIME); returns the secret, of which
    only the digest is stored."""
    secret = passwords.new_secret()
    session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=passwords.digest(secret),
            created_by_id=created_by.id,
            expires_at=utcnow() + RESET_LIFETIME,
        )
    )
    session.flush()
    return secret


def use_password_reset(
    reset: PasswordReset, password: str, *, keep_tokens: bool = False, session: Session
) -> None:
    """Set the new password and end every signed-in session of the user (whoever knew the old
    password may hold one), and its API tokens unless the user keeps them."""
    user = session.get(User, reset.user_id)
    assert user is not None
    user.password_hash = passwords.hash_password(password)
    reset.used_at = utcnow()
    session.add_all([user, reset])
    end_sign_ins(user, session=session)
    if not keep_tokens:
        session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    session.flush()


def start_sign_in(user: User, *, session: Session) -> str:
    """A new signed-in session of ``user``; the secret for the cookie is returned once."""
    secret = passwords.new_secret()
    session.add(SignIn(user_id=user.id, token_hash=passwords.digest(secret)))
    session.flush()
    return secret


def end_sign_in(secret: str, *, session: Session) -> None:
    """End the signed-in session holding ``secret`` (signing out)."""
    session.execute(
        update(SignIn)
        .where(SignIn.token_hash == passwords.digest(secret), SignIn.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    session.flush()


def end_sign_ins(user: User, *, session: Session) -> None:
    """End every signed-in session of ``user``."""
    session.execute(
        update(SignIn)
        .where(SignIn.user_id == user.id, SignIn.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    session.flush()


def create_api_token(user: User, name: str, *, session: Session) -> tuple[ApiToken, str]:
    """A new bearer token; the secret is returned once and never stored."""
    secret = passwords.new_secret()
    token = ApiToken(
        user_id=user.id, token_hash=passwords.digest(secret), prefix=secret[:8], name=name
    )
    session.add(token)
    session.flush()
    return token, secret


def revoke_api_token(token: ApiToken, *, session: Session) -> None:
    token.revoked_at = token.revoked_at or utcnow()
    session.add(token)
    session.flush()


def touch_api_token(token: ApiToken, *, session: Session) -> None:
    """Record that the token was just used."""
    token.last_used_at = utcnow()
    session.add(token)
    session.flush()


def grant_consultant(
    company_id: int, consultant: User, *, granted_by: User, session: Session
) -> ConsultantGrant:
    """Give a consultant read-only access to a company (no-op if already granted)."""
    current = session.exec(
        select(ConsultantGrant).where(
            ConsultantGrant.company_id == company_id,
            ConsultantGrant.consultant_id == consultant.id,
            ConsultantGrant.revoked_at.is_(None),
        )
    ).first()
    if current is not None:
        return current
    grant = ConsultantGrant(
        company_id=company_id, consultant_id=consultant.id, granted_by_id=granted_by.id
    )
    session.add(grant)
    session.flush()
    notify.notify_consultant_access(grant, granted=True, session=session)
    return grant


def revoke_grant(grant: ConsultantGrant, *, session: Session) -> None:
    """End a grant (kept, with when); the consultant is told the first time only."""
    if grant.revoked_at is not None:
        return
    grant.revoked_at = utcnow()
    session.add(grant)
    session.flush()
    notify.notify_consultant_access(grant, granted=False, session=session)
