"""Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL,
and every test's database is an empty copy of that schema of its own (tests/database.py)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, func, inspect, pool, select, text
from sqlmodel import SQLModel

from roadmap import migrate
from roadmap.db import get_engine

# Migration 0003 gives platform.coverage_target a server default so that rows already stored get
# a value; the model gives its default in Python instead. Any other server default the models do
# not declare is a difference.
# Migration 0005 does the same for platform.treat_co2_as_co2e (true for platforms stored before
# it, which reconciled CO2 and CO2e as one; False for new ones, from the model).
KNOWN_SERVER_DEFAULTS = {("platform", "coverage_target"), ("platform", "treat_co2_as_co2e")}


def schema_differences(engine: Engine) -> list:
    """What autogenerate would change to make the database match the models, server defaults
    included."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_server_default": True})
        diff = compare_metadata(context, SQLModel.metadata)
    # Changes to one column come grouped in a list.
    changes = [
        change for entry in diff for change in (entry if isinstance(entry, list) else [entry])
    ]
    return [
        change
        for change in changes
        if not (change[0] == "modify_default" and (change[2], change[3]) in KNOWN_SERVER_DEFAULTS)
    ]


def test_upgrade_from_empty_matches_the_models(bare_app):
    engine = get_engine(bare_app)
    migrate.upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []
    assert schema_differences(engine) == []
    assert migrate.current(engine) == migrate.head()


def test_each_test_gets_an_empty_copy_of_the_migrated_schema(app):
    engine = get_engine(app)
    assert migrate.current(engine) == migrate.head()
    assert schema_differences(engine) == []
    with engine.connect() as connection:
        counts = {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }
    assert set(counts.values()) == {0}, counts


def test_a_tests_writes_stay_in_its_own_database(app, databases, tmp_path):
    with get_engine(app).begin() as connection:
        connection.execute(
            text("INSERT INTO sector (name, intensity_unit) VALUES ('Steel', 't CO2e/(t Steel)')")
        )
    other = tmp_path / "other"
    other.mkdir()
    with databases.database(other, migrated=True) as url:
        engine = create_engine(url, poolclass=pool.NullPool)
        try:
            with engine.connect() as connection:
                assert connection.execute(text("SELECT count(*) FROM sector")).scalar_one() == 0
        finally:
            engine.dispose()


def test_downgrade_to_base_removes_every_table(bare_app):
    engine = get_engine(bare_app)
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}


def test_db_upgrade_and_seed_commands(bare_app):
    runner = bare_app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"database at revision {migrate.head()}" in result.output
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    # 15 TPI + 45 OECM series (data/pathways/README.md); steel, cement, shipping, aluminium.
    assert "pathways: 60 added, 0 already there" in result.output
    # 6 steel + 5 cement + 5 shipping companies; the aluminium platform has no trajectories yet.
    assert (
        "demo platforms added: steel, cement, shipping, aluminium; submissions: 16" in result.output
    )
    again = runner.invoke(args=["seed"])
    assert again.exit_code == 0
    assert "pathways: 0 added, 60 already there" in again.output
    assert "none (present)" in again.output


def test_upgrade_keeps_existing_submissions(bare_app):
    """Data stored under 0001 survives the upgrade; submissions made before reviews existed
    were all used, so they become accepted."""
    engine = get_engine(bare_app)
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sector (id, name, intensity_unit) "
                "VALUES (1, 'Steel', 't CO2e/(t Steel)')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO platform (id, slug, name, sector_id, region, scope, stage, vision, "
                "is_public, created_at) VALUES (1, 'steel', 'Steel', 1, 'Global', 'S1S2', 1, '', "
                "false, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO company (id, name, created_at) VALUES (1, 'Alpha', CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO submission (id, company_id, platform_id, version, region, scope, "
                "source, filename, checksum, assurance, submitted_at) VALUES (1, 1, 1, 1, "
                "'Global', 'S1S2', 'upload', 'a.csv', 'abc', 'self-reported', CURRENT_TIMESTAMP)"
            )
        )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT version, filename, status, review_reason FROM submission")
        ).one()
    assert tuple(row) == (1, "a.csv", "accepted", "")
    with engine.connect() as connection:
        platform = connection.execute(text("SELECT treat_co2_as_co2e FROM platform")).one()
    # Stored before 0005, when CO2 and CO2e were one quantity: it keeps reconciling so.
    assert platform[0] in (True, 1)
