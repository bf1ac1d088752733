"""Security headers on every response: a Content-Security-Policy that lets no inline script
run but those carrying this request's nonce (the charts' own), no framing, no MIME sniffing,
a referrer kept on this site, and no caching of anything confidential. Over HTTPS
(``ROADMAP_HTTPS=1``) cookies are Secure and browsers are told to keep to HTTPS."""

from __future__ import annotations

import secrets

from flask import Flask, Response, current_app, g, request
from flask_login import current_user

# Plotly styles its elements inline, so styles may be inline; scripts may not.
_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    if app.config.get("HTTPS"):
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    app.before_request(_new_nonce)
    app.after_request(_headers)
    app.add_template_global(csp_nonce, "csp_nonce")


def csp_nonce() -> str:
    """This request's nonce, for the few inline scripts a page has."""
    if "csp_nonce" not in g:
        _new_nonce()
    return str(g.csp_nonce)


def _new_nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(16)


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _POLICY.format(nonce=csp_nonce()))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure or _https():
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if _confidential(response):
        headers["Cache-Control"] = "no-store"
    return response


def _https() -> bool:
    return bool(current_app.config.get("HTTPS"))


def _confidential(response: Response) -> bool:
    """Anything shown to a signed-in user or an API token holder, and every download: none of
    it may stay in a shared or browser cache. Static assets and public pages may. Error
    responses of the server are never kept (and are decided without loading the user, which
    needs the database that may be the error)."""
    if response.status_code >= 500:
        return True
    if request.endpoint in ("static", "assets.plotly_js", "health.healthz"):
        return False
    if request.headers.get("Authorization"):
        return True
    if "attachment" in response.headers.get("Content-Disposition", ""):
        return True
    return bool(getattr(current_user, "is_authenticated", False))
