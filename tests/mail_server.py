"""A real SMTP server in the test process (aiosmtpd) that keeps what it receives, and the
settings that send an app's mail there (the ``smtp`` fixture is in tests/conftest.py)."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from flask import Flask

from tests.network import free_port


class Inbox:
    """aiosmtpd's handler: every message received, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    """A server on a port of its own that can be stopped and started again (the same port)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def send_mail_to(app: Flask, smtp: SmtpServer, base_url: str) -> Flask:
    """``app`` sending its mail to ``smtp``, with links under ``base_url``."""
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        MAIL_SENDER="roadmap@example.test",
        MAIL_TIMEOUT=5,
        BASE_URL=base_url,
    )
    return app
