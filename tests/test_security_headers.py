"""Security headers (roadmap.web.security): a Content-Security-Policy under which only the
request's own nonce-carrying inline scripts run, no framing, no sniffing, and nothing
confidential cached."""

from __future__ import annotations

import re

from flask import Flask

from roadmap import create_app
from roadmap.db import get_engine
from tests.reconciliation.test_views import COMPANIES, accept
from tests.world import World, sign_in


def policy(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    header = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.strip() for d in header.split(";") if d.strip()}


def test_every_page_forbids_inline_scripts_framing_and_sniffing(client, world: World) -> None:
    response = client.get("/")
    directives = policy(response)
    assert re.fullmatch(r"script-src 'self' 'nonce-[A-Za-z0-9_-]{22}'", directives["script-src"])
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["object-src"] == "object-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" not in response.headers.get("Cache-Control", "")  # public, may be cached
    assert "Strict-Transport-Security" not in response.headers


def test_each_request_has_a_new_nonce(client, world: World) -> None:
    first, second = (policy(client.get("/"))["script-src"] for _ in range(2))
    assert first != second


def test_the_charts_inline_scripts_carry_the_pages_nonce(client, session, world: World) -> None:
    accept(session, world.platform, COMPANIES)
    sign_in(client, world.coordinator.email)
    response = client.get("/platforms/steel/dashboard")
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    html = response.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline, "the dashboard draws its charts with inline scripts"
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline), inline
    assert " on" not in " ".join(re.findall(r"<[^>]+\son[a-z]+=", html))  # no inline handlers


def test_pages_of_signed_in_users_and_api_answers_are_not_stored(client, world: World) -> None:
    sign_in(client, world.member.email)
    assert client.get("/").headers["Cache-Control"] == "no-store"
    api = client.get("/api/v1/platforms", headers={"Authorization": "Bearer nothing"})
    assert api.headers["Cache-Control"] == "no-store"
    static = client.get("/static/roadmap.css")
    static.close()  # a file response keeps the file open until closed
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_over_https_cookies_are_secure_and_browsers_keep_to_https(
    migrated_database_url: str,
) -> None:
    app: Flask = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": migrated_database_url,
            "SECRET_KEY": "test",
            "HTTPS": True,
        }
    )
    try:
        response = app.test_client().get("/auth/login")
    finally:
        get_engine(app).dispose()  # its own app: close its connections before the next test
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "; Secure;" in session_cookie, cookies
