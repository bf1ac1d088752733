"""Configuration: defaults here, then ROADMAP_* environment variables, then DATABASE_URL.

``ROADMAP_SECRET_KEY`` signs sessions; without it the key is read from ``instance/secret_key``
(written by ``roadmap db upgrade``), so several workers share one key and no secret sits in the
repository.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    DATA_DIR = str(PROJECT_ROOT / "data")
    # Uploads are bounded; a larger request is refused before it is read.
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Served over HTTPS (ROADMAP_HTTPS=1): Secure cookies and Strict-Transport-Security.
    HTTPS = False
    SESSION_COOKIE_SECURE = False
    # CSRF tokens last as long as the session, so a long form is not lost to a time-out.
    WTF_CSRF_TIME_LIMIT = None
    # Upload bounds (DESIGN.md: bad input changes nothing).
    MAX_UPLOAD_ROWS = 5000
    DEFAULT_SCENARIO = "TPI 1.5 Degrees"
    # Requests to sign in (or to make an API token with a password) per client address: a bound
    # on guessing from one place that a proxy cannot turn into a lockout, since accounts are
    # throttled each on its own (accounts.passwords). Behind a reverse proxy, set PROXY_COUNT
    # to the number of proxies so that the client's address is read from X-Forwarded-For.
    SIGN_IN_RATE_LIMIT = "30 per minute; 300 per hour"
    PROXY_COUNT = 0
    # Where rate-limit counts live: memory (per worker) unless a shared store is given, such as
    # redis://host:6379 (see the Flask-Limiter documentation).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True


def database_url(instance_path: str) -> str:
    """DATABASE_URL if set (``postgresql://`` is given the psycopg 3 driver), else a SQLite
    file in the instance folder."""
    url = os.environ.get("DATABASE_URL") or os.environ.get("ROADMAP_DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'roadmap.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance_path: str) -> str:
    """The key from instance/secret_key, or a random one for this process only."""
    path = Path(instance_path) / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    return secrets.token_hex(32)


def write_secret_key(instance_path: str) -> Path:
    """Create instance/secret_key (readable by its owner only) if it does not exist."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path


def default_scenario() -> str:
    """The scenario pages, the API and the commands reconcile against when none is asked for
    (``ROADMAP_DEFAULT_SCENARIO``)."""
    from flask import current_app

    return str(current_app.config["DEFAULT_SCENARIO"])
