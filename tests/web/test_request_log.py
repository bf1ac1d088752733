"""One log line per request: method, path without query string or secret parts, status,
duration, the request id (the client's if sane, echoed back) and the user id, never the
email."""

from __future__ import annotations

import logging
import re

import pytest

from roadmap.config import ConfigurationError
from roadmap.web.request_log import configure_logging
from tests.world import sign_in

LOGGER = "roadmap.requests"


def _lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER]


def test_one_line_per_request_with_a_new_id_echoed_back(client, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    response = client.get("/platforms/?stage=2&secret=s3cr3t")
    (line,) = _lines(caplog)
    assert re.fullmatch(r"[0-9a-f]{32}", line.request_id)
    assert response.headers["X-Request-ID"] == line.request_id
    assert (line.method, line.path, line.status, line.user_id) == ("GET", "/platforms/", 200, None)
    assert isinstance(line.duration_ms, float) and line.duration_ms >= 0
    assert line.getMessage() == (
        f"GET /platforms/ 200 {line.duration_ms:.1f} ms request_id={line.request_id} user=-"
    )
    assert "s3cr3t" not in line.getMessage()


def test_a_sane_request_id_is_kept_and_an_odd_one_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    kept = client.get("/", headers={"X-Request-ID": "lb-4f2a:77.1_x"})
    odd = client.get("/", headers={"X-Request-ID": "<script> forged=line"})
    long = client.get("/", headers={"X-Request-ID": "a" * 129})
    assert kept.headers["X-Request-ID"] == "lb-4f2a:77.1_x"
    for response in (odd, long):
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    assert [line.request_id for line in _lines(caplog)] == [
        r.headers["X-Request-ID"] for r in (kept, odd, long)
    ]


def test_the_user_is_named_by_id_never_by_email(client, world, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    sign_in(client, world.member.email)
    client.get(f"/companies/{world.alpha.id}")
    signing_in, signed_in, line = _lines(caplog)
    assert (signing_in.path, signing_in.user_id) == ("/auth/login", None)
    assert (signed_in.method, signed_in.status, signed_in.user_id) == ("POST", 302, world.member.id)
    assert (line.user_id, line.status) == (world.member.id, 200)
    assert line.getMessage().endswith(f"user={world.member.id}")
    assert world.member.email not in caplog.text


def test_a_reset_links_token_never_reaches_the_log(client, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    client.get("/auth/reset/Zx9-the-secret-token")
    (line,) = _lines(caplog)
    assert line.path == "/auth/reset/<token>"
    assert "Zx9-the-secret-token" not in caplog.text


def test_a_path_cannot_forge_a_second_line(client, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    client.get("/no-such-page%0A2026-01-01 INFO roadmap.requests: GET / 200")
    (line,) = _lines(caplog)
    assert line.status == 404
    assert "\n" not in line.getMessage()
    assert line.path == "/no-such-page%0A2026-01-01%20INFO%20roadmap.requests:%20GET%20/%20200"


def test_the_level_is_configurable_and_a_wrong_one_named():
    ours = logging.getLogger("roadmap")
    before = ours.level
    try:
        configure_logging("warning")
        assert ours.level == logging.WARNING
        with pytest.raises(ConfigurationError, match="ROADMAP_LOG_LEVEL='loud' is not a log"):
            configure_logging("loud")
    finally:
        ours.setLevel(before)
