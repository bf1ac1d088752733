"""The database engine (one per app) and a session per request.

Views and CLI commands commit once, at the end of their work; the functions below them only
flush. The teardown rolls back whatever was not committed and closes the session.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session
from werkzeug.exceptions import Conflict

T = TypeVar("T")
CONFLICT_MESSAGE = (
    "Another change to the same records was saved at the same moment; nothing of yours was "
    "stored. Please try again."
)

_ENGINE = "roadmap.engine"


def init_app(app: Flask) -> None:
    app.extensions[_ENGINE] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(close_session)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys switched on and a wait on locks."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def whole_transaction_engine(url: str) -> Engine:
    """An engine whose transactions cover everything run in them. SQLite's Python driver opens
    a transaction only before a write and never before DDL; here every transaction starts with
    an explicit BEGIN, so a backup reads one snapshot, and a migration or a restore (schema
    included) is undone whole when it fails. (The app's own engine keeps the driver's way:
    reads outside a transaction do not hold SQLite's lock.)"""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _no_implicit_transactions)
        event.listen(engine, "begin", _begin)
    return engine


def _no_implicit_transactions(connection, _record) -> None:  # type: ignore[no-untyped-def]
    connection.isolation_level = None


def _begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _sqlite_pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def get_engine(app: Flask | None = None) -> Engine:
    return (app or current_app).extensions[_ENGINE]


def get_session() -> Session:
    """The session of the current request or CLI command, opened on first use."""
    if "db_session" not in g:
        # The app rides along so that work waiting for the commit (sending mail) finds it.
        g.db_session = Session(
            get_engine(), expire_on_commit=False, info={"app": current_app._get_current_object()}
        )
    return g.db_session


def close_session(_error: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()


def commit_retrying(session: Session, work: Callable[[], T], *, attempts: int = 12) -> T:
    """Run ``work`` (writes that flush) and commit; if a simultaneous writer took the same key
    first (a unique constraint) or, on SQLite, held the write lock when this transaction
    turned from reading to writing ("database is locked"), roll back, wait a moment and run it
    again on what is now stored. After ``attempts`` tries, 409 Conflict: the client retries.

    Each round lets at least one of the writers through, so a burst of n writers needs at
    most n rounds; on PostgreSQL, writers of one company wait for each other on a row lock
    instead (submissions.operations) and rarely come here at all."""
    for attempt in range(attempts):
        try:
            result = work()
            session.commit()
            return result
        except (IntegrityError, OperationalError) as error:
            session.rollback()
            if isinstance(error, OperationalError) and "locked" not in str(error.orig):
                raise
            time.sleep(random.uniform(0, 0.01 * (attempt + 1)))  # noqa: S311 - jitter only
    raise Conflict(CONFLICT_MESSAGE)
