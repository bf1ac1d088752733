"""Schema migrations through Alembic, with the scripts inside the package."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from roadmap.db import whole_transaction_engine

SCRIPTS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to ``revision`` (creating it from empty if need be), in one
    transaction: a migration that fails leaves the database as it was, schema included."""
    with whole(engine) as connection:
        upgrade_within(connection, revision)


@contextmanager
def whole(engine: Engine) -> Iterator[Connection]:
    """A transaction on ``engine``'s database that DDL cannot escape: on SQLite, through an
    engine of its own whose transactions begin explicitly (``db.whole_transaction_engine``);
    PostgreSQL rolls DDL back anyway. An in-memory SQLite database is only ``engine``'s."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        with engine.begin() as connection:
            yield connection
        return
    own = whole_transaction_engine(engine.url.render_as_string(hide_password=False))
    try:
        with own.begin() as connection:
            yield connection
    finally:
        own.dispose()


def upgrade_within(connection: Connection, revision: str = "head") -> None:
    """``upgrade`` inside the caller's transaction, so that a failure after it also undoes the
    schema it made (on a connection that can roll DDL back: PostgreSQL, or SQLite with an
    explicit BEGIN, as roadmap.backup opens it)."""
    cfg = alembic_config(connection.engine)
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    with whole(engine) as connection:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


@cache
def head() -> str:
    """The newest revision in the migration scripts (read once per process: the scripts do not
    change under a running app)."""
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    return str(ScriptDirectory.from_config(cfg).get_current_head())


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return current_within(connection)


def current_within(connection: Connection) -> str | None:
    """The revision recorded in the database, read on the caller's connection."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a new migration from the models (for developers; review it by hand)."""
    with engine.begin() as connection:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        command.revision(cfg, message=message, autogenerate=True)


@dataclass(frozen=True)
class Health:
    """What /healthz reports: the database reachable, at the scripts' newest revision."""

    reachable: bool
    revision: str | None
    head: str

    @property
    def current(self) -> bool:
        return self.reachable and self.revision == self.head

    @property
    def problem(self) -> str | None:
        if not self.reachable:
            return "database unreachable"
        if self.revision is None:
            return "database has no schema: run roadmap db upgrade"
        if self.revision != self.head:
            return (
                f"database at revision {self.revision}, the code needs {self.head}: "
                "run roadmap db upgrade"
            )
        return None


def health(engine: Engine) -> Health:
    """One query: the database's revision. A database that cannot be reached (or whose
    connection dies on the way) is unreachable; one without Alembic's table has no schema."""
    try:
        connection = engine.connect()
    except SQLAlchemyError:
        return Health(False, None, head())
    with connection:
        try:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        except DBAPIError as error:
            if error.connection_invalidated:
                return Health(False, None, head())
            return Health(True, None, head())
    return Health(True, ",".join(sorted(row[0] for row in rows)) or None, head())
