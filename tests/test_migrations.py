"""Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from roadmap import migrate
from roadmap.db import get_engine


def test_upgrade_from_empty_matches_the_models(bare_app):
    engine = get_engine(bare_app)
    migrate.upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []
    assert migrate.current(engine) == "0001"


def test_downgrade_to_base_removes_every_table(bare_app):
    engine = get_engine(bare_app)
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}


def test_db_upgrade_and_seed_commands(bare_app):
    runner = bare_app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "database at revision 0001" in result.output
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
