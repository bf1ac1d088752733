"""Fixtures: each test gets its own database (a SQLite file, or a PostgreSQL schema of its own
when DATABASE_URL points at PostgreSQL), an app bound to it, and a session. The schema is
migrated once per session and copied for each test (tests/database.py)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session

from roadmap import create_app
from roadmap.config import database_url as configured_url
from roadmap.db import get_engine, get_session
from roadmap.notifications import mail
from roadmap.sectors.stored_units import forget_learnt_units
from tests import factories
from tests.database import Databases, PostgresDatabases, SqliteDatabases
from tests.mail_server import SmtpServer

pytest_plugins = ["tests.world"]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


# CI's second pass (.ci/run), on PostgreSQL: what the first pass, on SQLite, ran the same way
# is left out: the tests that use no database (nothing differs on another), and the browser
# tests (the pages they drive run every query on PostgreSQL in the view tests too). Said in
# the summary, never silently.
SECOND_PASS = "ROADMAP_SECOND_PASS"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get(SECOND_PASS) != "1":
        return
    if _postgres_url() is None:
        raise pytest.UsageError(f"{SECOND_PASS}=1 is for the PostgreSQL pass: set DATABASE_URL")
    kept, left_out = [], []
    for item in items:
        same_anywhere = "databases" not in getattr(item, "fixturenames", ())
        (left_out if same_anywhere or "browser" in item.keywords else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
    config.stash[_LEFT_OUT] = len(left_out)
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker: the controller prints it
        config.workeroutput[_LEFT_OUT_KEY] = len(left_out)


_LEFT_OUT = pytest.StashKey[int]()
_LEFT_OUT_KEY = "roadmap_second_pass_left_out"


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist's controller: each worker collected the same tests and left out as many."""
    left_out = getattr(node, "workeroutput", {}).get(_LEFT_OUT_KEY)
    if left_out is not None:
        node.config.stash[_LEFT_OUT] = left_out


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if os.environ.get(SECOND_PASS) != "1":
        return
    left_out = config.stash.get(_LEFT_OUT, None)
    count = "" if left_out is None else f"{left_out} "
    terminalreporter.write_line(
        f"{SECOND_PASS}=1: {count}tests left out that the SQLite pass ran the same way (no "
        "database used, or driven in the browser)"
    )


def _postgres_url() -> str | None:
    if not (os.environ.get("DATABASE_URL") or os.environ.get("ROADMAP_DATABASE_URL")):
        return None
    url = configured_url("unused")
    return url if url.startswith("postgresql") else None


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """Where test databases come from; the schema is migrated when a test first needs it, so
    a run without database tests builds none."""
    server = _postgres_url()
    made: Databases = (
        PostgresDatabases(server)
        if server
        else SqliteDatabases(tmp_path_factory.mktemp("database-template"))
    )
    yield made
    made.close()


@pytest.fixture
def database_url(databases: Databases, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database of this test's own."""
    with databases.database(tmp_path, migrated=False) as url:
        yield url


@pytest.fixture
def migrated_database_url(databases: Databases, tmp_path: Path) -> Iterator[str]:
    """A URL to a database of this test's own with the migrated schema and no rows."""
    with databases.database(tmp_path, migrated=True) as url:
        yield url


def _app(database_url: str) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            # Cheap hashing for test users; production keeps scrypt.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )


@pytest.fixture(autouse=True)
def _built_in_units_after() -> Iterator[None]:
    """Sectors' units a test stored and the unit registry learnt are forgotten after it."""
    yield
    forget_learnt_units()


@pytest.fixture
def bare_app(database_url: str) -> Iterator[Flask]:
    """An app on an empty database (no tables), for migration and set-up tests."""
    app = _app(database_url)
    yield app
    get_engine(app).dispose()


@pytest.fixture
def app(migrated_database_url: str) -> Iterator[Flask]:
    """An app whose database has every table, built by the migrations as in production, and
    no rows."""
    app = _app(migrated_database_url)
    yield app
    mail.shutdown(app)  # mail still being sent finishes before its database goes
    get_engine(app).dispose()


@pytest.fixture
def other_app(databases: Databases, tmp_path: Path) -> Iterator[Callable[[str], Flask]]:
    """Makes an app on a further database of this test's own, with no tables, for tests that
    move data between databases: ``make(name)`` on the suite's kind of database, or
    ``make(name, sqlite=True)`` on a SQLite file whatever the suite runs on."""
    made: list[Flask] = []
    with contextlib.ExitStack() as stack:

        def make(name: str, *, sqlite: bool = False) -> Flask:
            folder = tmp_path / name
            folder.mkdir()
            source = SqliteDatabases(folder) if sqlite else databases
            made.append(_app(stack.enter_context(source.database(folder, migrated=False))))
            return made[-1]

        yield make
        for app in made:
            mail.shutdown(app)
            get_engine(app).dispose()


@pytest.fixture
def offline_app(tmp_path: Path) -> Flask:
    """An app for commands that need no database. Its URL names a file in a folder that does
    not exist, so any use of the database fails loudly instead of creating one."""
    return _app(f"sqlite:///{tmp_path / 'no-database' / 'unused.sqlite3'}")


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """The app's session inside an app context; factories write through it."""
    with app.app_context():
        db_session = get_session()
        factories.bind(db_session)
        yield db_session
        factories.bind(None)


@pytest.fixture
def client(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server in the test process, keeping what it receives (tests/mail_server.py)."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
