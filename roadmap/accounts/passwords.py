"""Passwords, tokens and the sign-in throttle.

Passwords are hashed with werkzeug's scrypt; API tokens and reset links are random 256-bit
strings of which only the SHA-256 is stored, so a leaked database does not leak them.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from roadmap.models import LoginAttempt, User, utcnow

MIN_PASSWORD_LENGTH = 10
MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
# Checked against when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


_hash_method = "scrypt"


def use_hash_method(method: str | None) -> None:
    """Hash new passwords with ``method`` (werkzeug's names; None: scrypt). The app sets it
    from PASSWORD_HASH_METHOD when it is made: the test suite uses a cheap method so that
    building its users does not dominate its run time."""
    global _hash_method
    _hash_method = method or "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_hash_method)


def new_secret() -> str:
    """A URL-safe random token (256 bits)."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def throttled_until(email: str, *, session: Session) -> datetime | None:
    """When sign-in to this account may be tried again, if it failed MAX_FAILURES times within
    THROTTLE_WINDOW; else None. Counted per account only: counting per address too would let
    20 failures from one address (every user behind one proxy) lock everyone out. Addresses
    are bounded by a rate limit instead (extensions.limiter)."""
    since = utcnow() - THROTTLE_WINDOW
    failures, oldest = session.exec(
        select(func.count(), func.min(LoginAttempt.attempted_at)).where(
            LoginAttempt.email == email,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at >= since,
        )
    ).one()
    if failures < MAX_FAILURES:
        return None
    if oldest.tzinfo is None:  # SQLite returns naive UTC
        oldest = oldest.replace(tzinfo=utcnow().tzinfo)
    return oldest + THROTTLE_WINDOW


def authenticate(email: str, password: str, remote_addr: str, *, session: Session) -> User | None:
    """The active user with this email and password, or None; records the attempt."""
    email = normalise_email(email)
    user = session.exec(select(User).where(User.email == email)).first()
    hashed = user.password_hash if user is not None else _DUMMY_HASH
    ok = check_password_hash(hashed, password) and user is not None and user.is_active
    session.add(LoginAttempt(email=email, remote_addr=remote_addr[:64], succeeded=ok))
    session.flush()
    return user if ok else None
