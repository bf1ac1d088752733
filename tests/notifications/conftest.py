"""An app that sends its mail to the test's SMTP server (tests/mail_server.py)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.mail_server import SmtpServer, send_mail_to

BASE_URL = "https://roadmap.example.test"


@pytest.fixture
def mail_app(app: Flask, smtp: SmtpServer) -> Flask:
    """The test's app, sending mail to ``smtp`` with links under BASE_URL."""
    return send_mail_to(app, smtp, BASE_URL)
