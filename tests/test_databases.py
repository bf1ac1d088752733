"""The test databases themselves (tests/database.py): on PostgreSQL a schema a test is done
with is emptied and used again, unless the test changed it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from roadmap import migrate
from roadmap.db import make_engine
from roadmap.models import Platform, Sector
from tests import factories
from tests.database import Databases, PostgresDatabases


def _rows_and_next_id(url: str) -> tuple[int, int, int | None]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            factories.bind(session)
            sectors = session.exec(select(func.count()).select_from(Sector)).one()
            platforms = session.exec(select(func.count()).select_from(Platform)).one()
            new = factories.SectorFactory()
            session.commit()
            return sectors, platforms, new.id
    finally:
        factories.bind(None)
        engine.dispose()


@pytest.fixture
def postgres(databases: Databases) -> PostgresDatabases:
    if not isinstance(databases, PostgresDatabases):
        pytest.skip("needs PostgreSQL: run the suite with DATABASE_URL=postgresql+psycopg://...")
    return databases


def test_a_schema_is_emptied_and_used_again(postgres: PostgresDatabases, tmp_path: Path):
    with postgres.database(tmp_path, migrated=True) as first:
        engine = make_engine(first)
        with Session(engine) as session:
            factories.bind(session)
            factories.PlatformFactory()  # a sector and a platform, ids 1 and 1
            factories.PlatformFactory()
            session.commit()
        factories.bind(None)
        engine.dispose()
    with postgres.database(tmp_path, migrated=True) as second:
        assert second == first
        # No row is left, and ids start again from 1 as in a new schema.
        assert _rows_and_next_id(second) == (0, 0, 1)


def test_a_schema_the_test_changed_is_not_used_again(postgres: PostgresDatabases, tmp_path: Path):
    with postgres.database(tmp_path, migrated=True) as first:
        engine = make_engine(first)
        migrate.downgrade(engine, "base")
        engine.dispose()
    with postgres.database(tmp_path, migrated=True) as second:
        assert second != first
        assert _rows_and_next_id(second) == (0, 0, 1)  # migrated: the tables are there


def test_a_schema_still_connected_is_not_used_again(postgres: PostgresDatabases, tmp_path: Path):
    """A connection left open (a server thread still at work) could write into the next test:
    the schema is dropped instead."""
    with postgres.database(tmp_path, migrated=True) as first:
        engine = make_engine(first)
        lingering = engine.connect()
    try:
        with postgres.database(tmp_path, migrated=True) as second:
            assert second != first
    finally:
        lingering.close()
        engine.dispose()


def test_a_column_changed_in_place_is_not_used_again(postgres: PostgresDatabases, tmp_path: Path):
    with postgres.database(tmp_path, migrated=True) as first:
        engine = make_engine(first)
        with engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE sector ALTER COLUMN name TYPE text")
        engine.dispose()
    with postgres.database(tmp_path, migrated=True) as second:
        assert second != first


def test_two_schemas_made_alike_have_one_shape(postgres: PostgresDatabases):
    """What the reuse compares: definitions name objects with their schema's name, which must
    not make two freshly migrated schemas differ (else none would ever be used again)."""
    script = postgres._migration_script()
    one, other = postgres._create(script), postgres._create(script)
    try:
        assert postgres._shape_of(one) == postgres._shape_of(other)
        assert one not in str(postgres._shape_of(one))
    finally:
        postgres._drop(one)
        postgres._drop(other)
