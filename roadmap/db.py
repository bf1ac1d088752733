"""The database engine (one per app) and a session per request.

Views and CLI commands commit once, at the end of their work; the functions below them only
flush. The teardown rolls back whatever was not committed and closes the session.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

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
