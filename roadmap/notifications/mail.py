"""Sending the outbox by SMTP (the standard library's smtplib and email.message: no further
dependency, and the connection is ours to open once per batch and to test against a real
server).

After a transaction that queued messages commits, a background worker (one thread per app)
sends them, so no request waits for the mail server; ``wait_for_mail`` lets tests and commands
wait for it. A message the server does not take stays in the outbox with the error;
``roadmap send-mail`` (``deliver``) tries every waiting message again. With no mail server set,
messages are only written to the log, after the commit.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_all
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from roadmap.config import MailSettings, mail_settings
from roadmap.db import get_engine
from roadmap.models import OutboxMessage
from roadmap.notifications import operations, queries

log = logging.getLogger("roadmap.mail")
_WORKER = "roadmap.mail.worker"


@dataclass(frozen=True)
class Delivery:
    """What one pass over the outbox did: messages sent, messages the server refused or could
    not be reached for (they stay in the outbox), messages another sender had."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0


def init_app(app: Any) -> None:
    """Give ``app`` its mail worker; the commit hook is installed once per process."""
    app.extensions[_WORKER] = Worker(app)
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    pending = session.info.pop(operations.PENDING, None)
    app = session.info.get("app")
    if not pending or app is None:
        return
    ids = [p for p in pending if isinstance(p, int)]
    for logged in (p for p in pending if isinstance(p, operations.LoggedMail)):
        log.info(
            "mail not sent (no ROADMAP_MAIL_SERVER) to %s: %s\n%s",
            logged.recipient,
            logged.subject,
            logged.body,
        )
    if ids:
        app.extensions[_WORKER].submit(ids)


def _after_rollback(session: Session) -> None:
    # What the transaction queued was never stored: nothing to send.
    session.info.pop(operations.PENDING, None)


class Worker:
    """One background thread per app that sends what each commit queued."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._executor: ThreadPoolExecutor | None = None
        self._futures: set[Future[Delivery]] = set()
        self._lock = threading.Lock()

    def submit(self, ids: list[int]) -> None:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="roadmap-mail")
            future = self._executor.submit(self._send, ids)
            self._futures.add(future)
            future.add_done_callback(self._futures.discard)

    def _send(self, ids: list[int]) -> Delivery:
        try:
            with self.app.app_context(), Session(get_engine(self.app)) as session:
                return deliver(session=session, settings=mail_settings(), ids=ids)
        except Exception:  # the messages stay in the outbox for `roadmap send-mail`
            log.exception("sending mail failed; the messages wait in the outbox")
            return Delivery(failed=len(ids))

    def wait(self, timeout: float = 30) -> bool:
        """Wait until every message queued so far was tried; False on time-out."""
        with self._lock:
            futures = list(self._futures)
        done, not_done = wait_all(futures, timeout=timeout)
        return not not_done

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)


def wait_for_mail(app: Any, timeout: float = 30) -> bool:
    """Block until the app's mail worker has tried every message queued so far."""
    return bool(app.extensions[_WORKER].wait(timeout))


def shutdown(app: Any) -> None:
    app.extensions[_WORKER].shutdown()


def deliver(*, session: Session, settings: MailSettings, ids: list[int] | None = None) -> Delivery:
    """Send the outbox's waiting messages (only ``ids`` where given) through one SMTP
    connection, committing each outcome as it happens. Needs ``settings.server``."""
    if not settings.server:
        raise ValueError("no mail server set (ROADMAP_MAIL_SERVER)")
    waiting = queries.unsent_messages(session=session, ids=ids)
    claimed = [m for m in waiting if operations.claim_message(m, session=session)]
    session.commit()
    skipped = len(waiting) - len(claimed)
    if not claimed:
        return Delivery(skipped=skipped)
    try:
        connection = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        for message in claimed:
            operations.mark_failed(message, f"mail server: {error}", session=session)
        session.commit()
        log.warning("mail server %s unreachable: %s", settings.server, error)
        return Delivery(failed=len(claimed), skipped=skipped)
    sent = failed = 0
    with connection:
        for message in claimed:
            try:
                connection.send_message(email_of(message, settings))
            except (OSError, smtplib.SMTPException) as error:
                operations.mark_failed(message, str(error), session=session)
                failed += 1
            else:
                operations.mark_sent(message, session=session)
                sent += 1
            session.commit()
    return Delivery(sent=sent, failed=failed, skipped=skipped)


def _connect(settings: MailSettings) -> smtplib.SMTP:
    connection = smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout)
    try:
        if settings.use_tls:
            connection.starttls()
        if settings.username:
            connection.login(settings.username, settings.password)
    except BaseException:
        connection.close()
        raise
    return connection


def email_of(message: OutboxMessage, settings: MailSettings) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(message.created_at.timestamp(), usegmt=True)
    email["Message-ID"] = make_msgid("roadmap")
    email.set_content(message.body)
    return email
