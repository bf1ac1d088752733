"""``roadmap backup`` and ``roadmap restore``: every row of every table, exactly, into a fresh
database; the restored app serves pages and its users sign in with their old passwords."""

from __future__ import annotations

import base64
import json
import math
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import DateTime, Engine, insert, select
from sqlmodel import SQLModel

from roadmap import migrate, models
from roadmap.accounts import operations as account_operations
from roadmap.db import get_engine, get_session
from tests import factories
from tests.database import PostgresDatabases
from tests.world import PASSWORD, World, sign_in

TABLES = SQLModel.metadata.sorted_tables
# Values a careless format would change: doubles that print with many digits or at the edges
# of their range, a timestamp with microseconds, every byte value, text with
# quotes, newlines and letters outside ASCII.
THIRD = 1 / 3
POINT_THREE = 0.1 + 0.2  # 0.30000000000000004
LARGEST = 1.7976931348623157e308
SMALLEST_NORMAL = 2.2250738585072014e-308
EDITED_AT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
EVERY_BYTE = bytes(range(256))
NAME = 'Åsa Öberg "鋼鉄"\nsecond line\\'


def full_world(world: World) -> None:
    """The web tests' world, a row from every factory (so every table has one), and rows with
    the values above."""
    for factory_class in factories._FACTORIES:
        if not factory_class._meta.abstract:
            factory_class()
    factories.ScenarioFactory(name="Edges", temperature=1.5, global_budget=math.inf)
    factories.PathwayPointFactory(intensity=POINT_THREE, activity=LARGEST)
    factories.TrajectoryPointFactory(activity=THIRD, emissions=SMALLEST_NORMAL, intensity=None)
    factories.HistoryEntryFactory(platform_id=world.platform.id, at=EDITED_AT, detail=NAME)
    factories.PendingUploadFactory(content=EVERY_BYTE)
    factories.UserFactory(name=NAME, is_active=False)
    factories.SignatoryFactory(joined_on=date(2024, 2, 29))
    factories.KpiValueFactory(is_target=False, value=THIRD * 100)


def rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in primary-key order. Timestamps are compared as instants:
    SQLite hands back UTC without an offset, PostgreSQL with the session's."""
    found = {}
    with engine.connect() as connection:
        for table in TABLES:
            moments = [isinstance(c.type, DateTime) for c in table.columns]
            query = select(table).order_by(*table.primary_key.columns)
            found[table.name] = [
                tuple(_instant(v) if m else v for v, m in zip(row, moments, strict=True))
                for row in connection.execute(query)
            ]
    return found


def _instant(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def run(app, *args: str) -> Any:  # type: ignore[no-untyped-def]
    """``roadmap ARGS`` on ``app``; its own context, since the test's session holds the first
    app's and a command runs in the context it finds."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def back_up(app, path: Path) -> Any:  # type: ignore[no-untyped-def]
    result = run(app, "backup", str(path))
    assert result.exit_code == 0, result.output
    return result


def restore(app, path: Path) -> Any:  # type: ignore[no-untyped-def]
    result = run(app, "restore", str(path))
    assert result.exit_code == 0, result.output
    return result


def test_every_table_is_restored_row_for_row(app, session, world, other_app, tmp_path):
    full_world(world)
    session.commit()
    before = rows(get_engine(app))
    assert [name for name, found in before.items() if not found] == []
    path = tmp_path / "roadmap.zip"

    backed = back_up(app, path)

    total = sum(len(found) for found in before.values())
    assert f"backed up {total} rows of {len(TABLES)} tables" in backed.output
    restored_app = other_app("restored")
    restored = restore(restored_app, path)
    assert f"restored {total} rows of {len(TABLES)} tables" in restored.output
    assert rows(get_engine(restored_app)) == before
    assert migrate.current(get_engine(restored_app)) == migrate.head()


def test_the_file_holds_typed_values_as_documented(app, session, world, tmp_path):
    full_world(world)
    session.commit()
    path = tmp_path / "roadmap.zip"
    back_up(app, path)
    assert path.stat().st_mode & 0o777 == 0o600  # it holds password hashes
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    lines = {t.name: [json.loads(x) for x in _raw(path, t.name).splitlines()] for t in TABLES}
    assert manifest["format"] == "roadmap-backup" and manifest["version"] == 1
    assert manifest["schema_revision"] == migrate.head()
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert manifest["tables"] == {name: len(found) for name, found in lines.items()}
    points = [p for p in lines["pathway_point"] if p["intensity"] == POINT_THREE]
    assert points and points[0]["activity"] == LARGEST
    assert b'"intensity":0.30000000000000004' in _raw(path, "pathway_point")
    assert [s["global_budget"] for s in lines["scenario"] if s["name"] == "Edges"] == ["Infinity"]
    edited = [h for h in lines["history_entry"] if h["detail"] == NAME]
    assert edited[0]["at"] == "2026-03-01T09:30:15.123456+00:00"
    uploads = [u["content"] for u in lines["pending_upload"]]
    assert base64.b64encode(EVERY_BYTE).decode() in uploads
    assert "Y29tcGFueSxzZWN0b3IK" in uploads  # the factory's b"company,sector\n"
    assert {"joined_on": "2024-02-29"}.items() <= lines["signatory"][-1].items()
    assert {False, True} <= {u["is_active"] for u in lines["user"]}


def _raw(path: Path, table: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"tables/{table}.jsonl")


def test_the_restored_app_serves_pages_and_its_users_sign_in(
    app, session, world, other_app, tmp_path
):
    full_world(world)
    session.commit()
    path = tmp_path / "roadmap.zip"
    back_up(app, path)
    restored_app = other_app("restored")
    restore(restored_app, path)

    client = restored_app.test_client()
    sign_in(client, world.coordinator.email, PASSWORD)
    page = client.get(f"/platforms/{world.platform.slug}")
    assert page.status_code == 200 and world.platform.name in page.get_data(as_text=True)
    # New rows take ids after the restored ones (PostgreSQL's sequences were moved on).
    largest = max(row[0] for row in rows(get_engine(app))["user"])
    with restored_app.app_context():
        made = account_operations.create_user(
            session=get_session(), email="new@example.org", password=PASSWORD, role="admin"
        )
        get_session().commit()
        assert made.id == largest + 1


def test_tables_larger_than_a_batch_are_restored_whole(app, other_app, tmp_path):
    # Rows are read and inserted a thousand at a time: 2,001 rows make three batches.
    attempts = [
        {
            "email": f"user{n}@example.org",
            "remote_addr": "10.0.0.1",
            "succeeded": n % 2 == 0,
            "attempted_at": datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=n),
        }
        for n in range(2001)
    ]
    with get_engine(app).begin() as connection:
        connection.execute(insert(models.LoginAttempt.__table__), attempts)
    path = tmp_path / "roadmap.zip"
    back_up(app, path)
    restored_app = other_app("restored")
    restore(restored_app, path)
    restored = rows(get_engine(restored_app))["login_attempt"]
    assert restored == rows(get_engine(app))["login_attempt"]
    assert len(restored) == 2001 and restored[-1][1] == "user2000@example.org"


@pytest.mark.parametrize("made_by", ["db upgrade", "db downgrade base"])
def test_into_a_database_emptied_by_the_migrations_too(
    app, session, world, other_app, tmp_path, made_by
):
    session.commit()
    path = tmp_path / "roadmap.zip"
    back_up(app, path)
    target = other_app("target")
    migrate.upgrade(get_engine(target))
    if made_by == "db downgrade base":  # leaves Alembic's table, with no revision in it
        migrate.downgrade(get_engine(target), "base")
    restore(target, path)
    assert rows(get_engine(target)) == rows(get_engine(app))


def test_between_postgresql_and_sqlite_both_ways(
    app, session, world, databases, other_app, tmp_path
):
    """The suite's PostgreSQL database to SQLite, and that SQLite database's backup into a new
    PostgreSQL one: the same rows throughout."""
    if not isinstance(databases, PostgresDatabases):
        pytest.skip("needs PostgreSQL: run the suite with DATABASE_URL=postgresql+psycopg://...")
    full_world(world)
    session.commit()
    before = rows(get_engine(app))
    from_postgres, from_sqlite = tmp_path / "from-postgres.zip", tmp_path / "from-sqlite.zip"
    back_up(app, from_postgres)
    sqlite_app = other_app("sqlite", sqlite=True)
    restore(sqlite_app, from_postgres)
    assert rows(get_engine(sqlite_app)) == before
    back_up(sqlite_app, from_sqlite)
    postgres_app = other_app("postgres")
    restore(postgres_app, from_sqlite)
    assert rows(get_engine(postgres_app)) == before
