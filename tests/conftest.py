"""Fixtures: each test gets its own database (a SQLite file, or a PostgreSQL schema of its
own when DATABASE_URL points at PostgreSQL), an app bound to it, and a session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlmodel import Session, SQLModel

from roadmap import create_app
from roadmap.config import database_url as configured_url
from roadmap.db import get_engine, get_session
from tests import factories

pytest_plugins = ["tests.world"]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def _postgres_url() -> str | None:
    if not (os.environ.get("DATABASE_URL") or os.environ.get("ROADMAP_DATABASE_URL")):
        return None
    url = configured_url("unused")
    return url if url.startswith("postgresql") else None


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database of this test's own."""
    server = _postgres_url()
    if server is None:
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def bare_app(database_url: str) -> Iterator[Flask]:
    """An app on an empty database (no tables), for migration and set-up tests."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            # Cheap hashing for test users; production keeps scrypt.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    yield app
    get_engine(app).dispose()


@pytest.fixture
def app(bare_app: Flask) -> Flask:
    """An app whose database has every table, empty."""
    SQLModel.metadata.create_all(get_engine(bare_app))
    return bare_app


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
