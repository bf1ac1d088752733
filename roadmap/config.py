"""Configuration: defaults here, then ROADMAP_* environment variables, then DATABASE_URL.

``ROADMAP_SECRET_KEY`` signs sessions; without it the key is read from ``instance/secret_key``
(written by ``roadmap db upgrade``), so several workers share one key and no secret sits in the
repository. In production (``ROADMAP_ENV=production``) the key must be given: the app refuses
to start without it.

``templates/`` and ``data/`` sit at the top of a checkout; the built wheel carries them inside
the package (setup.py), and ``shipped_folder`` finds them in either place.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
PRODUCTION = "production"


def shipped_folder(name: str) -> Path:
    """``templates`` or ``data``: inside the installed package (where the wheel puts them),
    else at the top of the checkout."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PROJECT_ROOT / name


class ConfigurationError(RuntimeError):
    """A setting the app cannot start without; the message says which and how to set it."""


class Defaults:
    # ROADMAP_ENV=production: the secret key must be given (README "Deploying").
    ENV = "development"
    DATA_DIR = str(shipped_folder("data"))
    # Level of the app's log (logger "roadmap"): one line per request, mail, errors.
    LOG_LEVEL = "INFO"
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
    # Email (README "Notifications"): with no MAIL_SERVER, messages are only logged.
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_SENDER = "roadmap@localhost"
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_USE_TLS = False
    MAIL_TIMEOUT = 10
    # The site's address for links in emails, e.g. https://roadmap.example.org; without it,
    # the request's address (or SERVER_NAME) is used.
    BASE_URL = ""


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


def instance_path() -> str | None:
    """``ROADMAP_INSTANCE_PATH`` if set; else None, and Flask chooses: ``instance/`` of the
    checkout, or ``<prefix>/var/roadmap-instance`` for an installed package."""
    path = os.environ.get("ROADMAP_INSTANCE_PATH")
    return str(Path(path).resolve()) if path else None


def require_secret_key(config: dict[str, Any], instance_path: str) -> str:
    """The configured key; in development, else the instance file's (or one for this process).
    In production a missing key stops the app: a key per worker or per restart would sign
    every user out and make sessions unverifiable between workers."""
    if config.get("SECRET_KEY"):
        return str(config["SECRET_KEY"])
    if config.get("ENV") == PRODUCTION:
        raise ConfigurationError(
            "ROADMAP_SECRET_KEY is not set. In production (ROADMAP_ENV=production) the app "
            "needs a secret key that every worker shares and that survives restarts, e.g. "
            "ROADMAP_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'), "
            "kept out of the repository."
        )
    return secret_key(instance_path)


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


@dataclass(frozen=True)
class MailSettings:
    """How to reach the mail server; ``server`` empty means: only log messages."""

    server: str
    port: int
    sender: str
    username: str
    password: str
    use_tls: bool
    timeout: float


def mail_settings() -> MailSettings:
    """The app's ``ROADMAP_MAIL_*`` settings."""
    from flask import current_app

    c = current_app.config
    return MailSettings(
        server=str(c.get("MAIL_SERVER") or ""),
        port=int(c.get("MAIL_PORT") or 25),
        sender=str(c.get("MAIL_SENDER") or "roadmap@localhost"),
        username=str(c.get("MAIL_USERNAME") or ""),
        password=str(c.get("MAIL_PASSWORD") or ""),
        use_tls=bool(c.get("MAIL_USE_TLS")),
        timeout=float(c.get("MAIL_TIMEOUT") or 10),
    )


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute address of a page, for links sent by email: under ``ROADMAP_BASE_URL``
    where it is set, else the request's address or SERVER_NAME, else http://localhost (a
    command run without either)."""
    from flask import current_app, has_request_context, url_for

    base = str(current_app.config.get("BASE_URL") or "")
    if not base and (has_request_context() or current_app.config.get("SERVER_NAME")):
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or "http://localhost")
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)
