"""Test databases. The schema is built once per session the way production builds it (the
Alembic migrations) and each test gets a copy of its own, which is far cheaper than creating
the tables for every test.

SQLite: the migrations run once into a template file, which each test copies.

PostgreSQL: Alembic renders the migrations once as one SQL script (what ``alembic upgrade
--sql`` gives a DBA), and each test gets a schema of its own, filled by that script in one round
trip; the test's URL puts the schema on the search_path. Measured here, such a schema costs
about 0.1-0.2 s, and a copy of a migrated template database (``CREATE DATABASE ... TEMPLATE``)
0.15-0.5 s, because the copy writes all 9 MB of the template's system catalogues to the WAL.
Either way it is mostly the server's work, so a worker thread makes the next test's schema while
a test runs. A schema a test is done with is emptied and used again (deleting the few rows a
test leaves and restarting the sequences takes about 10 ms, making a schema about 150 ms and
dropping one 30 ms): only where the test changed its tables or its migration (a downgrade, a
test of the migrations) is it dropped and another made.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from alembic import command
from sqlalchemy import create_engine, make_url, pool, text

from roadmap import migrate
from roadmap.db import make_engine


class Databases(Protocol):
    def database(self, directory: Path, *, migrated: bool) -> AbstractContextManager[str]:
        """A URL to a new database of the caller's own, dropped when the context ends: empty,
        or with the migrated schema (every table, no rows)."""
        ...

    def close(self) -> None: ...


class SqliteDatabases:
    """One file per test, in the test's own folder."""

    def __init__(self, template_dir: Path) -> None:
        self._template = template_dir / "template.sqlite3"
        self._migrated = False

    @contextmanager
    def database(self, directory: Path, *, migrated: bool) -> Iterator[str]:
        path = directory / "test.sqlite3"
        if migrated:
            shutil.copyfile(self._migrated_template(), path)
        yield f"sqlite:///{path}"

    def close(self) -> None:
        """The template lives in pytest's temporary folder, which pytest cleans."""

    def _migrated_template(self) -> Path:
        if not self._migrated:
            engine = make_engine(f"sqlite:///{self._template}")
            try:
                migrate.upgrade(engine)
            except BaseException:
                # A half-migrated template must not be copied; the next test tries again.
                engine.dispose()
                self._template.unlink(missing_ok=True)
                raise
            # A byte copy is only whole once no connection holds the file.
            engine.dispose()
            self._migrated = True
        return self._template


class PostgresDatabases:
    """A schema per test in the database of ``server_url``."""

    def __init__(self, server_url: str) -> None:
        self._server = make_url(server_url)
        self._admin = create_engine(self._server, isolation_level="AUTOCOMMIT")
        self._script: str | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-databases")
        self._next_schema: Future[str] | None = None
        self._pending: list[Future[object]] = []
        self._emptied: list[str] = []  # migrated schemas emptied after their test, to reuse
        self._shape: tuple[object, ...] | None = None  # what a migrated schema's catalogue says
        self._may_empty: bool | None = None  # whether this role may switch triggers off

    @contextmanager
    def database(self, directory: Path, *, migrated: bool) -> Iterator[str]:
        self._raise_failures()
        if migrated and self._emptied:
            schema = self._emptied.pop()
        elif migrated:
            script = self._migration_script()
            made = self._next_schema or self._worker.submit(self._create, script)
            self._next_schema = self._worker.submit(self._create, script)
            schema = made.result()
            if self._shape is None:
                self._shape = self._shape_of(schema)
        else:
            schema = self._create(None)
        try:
            yield self._url(schema)
        finally:
            if migrated and self._emptied_for_reuse(schema):
                self._emptied.append(schema)
            else:
                self._pending.append(self._worker.submit(self._drop, schema))

    def close(self) -> None:
        try:
            for job in self._pending:
                job.result()
        finally:
            for schema in self._emptied:
                self._drop(schema)
            if self._next_schema is not None and self._next_schema.exception() is None:
                self._drop(self._next_schema.result())
            self._worker.shutdown()
            self._vacuum_catalogues()
            self._admin.dispose()

    def _vacuum_catalogues(self) -> None:
        """Schemas made and dropped leave dead rows in the system catalogues; where the server
        runs without autovacuum (as the CI machine's does) they pile up run after run, and every
        later schema and catalogue read slows down. A plain VACUUM of the catalogues this work
        touches lets their space be used again."""
        with contextlib.suppress(Exception), self._admin.connect() as connection:
            connection.exec_driver_sql(
                "VACUUM pg_class, pg_attribute, pg_attrdef, pg_depend, pg_constraint, "
                "pg_index, pg_type, pg_trigger, pg_sequence, pg_namespace"
            )

    def _shape_of(self, schema: str) -> tuple[object, ...]:
        """The schema's relations (tables, indexes, sequences) with each column's name, type,
        nullability and whether it has a default, their constraints (kind, columns, the table
        referred to) and triggers; the functions and types it holds; and its migration: equal
        to a freshly migrated schema's only if the test left them so. Read from the catalogue's
        own columns (no definitions printed: that costs tens of ms and names the schema)."""
        with self._admin.connect() as connection:
            catalogue = connection.execute(
                text(
                    "SELECT c.relname, c.relkind, "
                    "(SELECT string_agg(a.attname || ' ' || y.typname || ' ' || a.atttypmod"
                    "   || ' ' || a.attnotnull || ' ' || a.atthasdef, ',' ORDER BY a.attnum) "
                    " FROM pg_attribute a JOIN pg_type y ON y.oid = a.atttypid "
                    " WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), "
                    "(SELECT string_agg(k.conname || ' ' || k.contype::text || ' ' || "
                    "   coalesce(k.conkey::text, '') || ' ' || coalesce(r.relname, '') || ' ' || "
                    "   coalesce(k.confkey::text, ''), ',' ORDER BY k.conname) "
                    " FROM pg_constraint k LEFT JOIN pg_class r ON r.oid = k.confrelid "
                    " WHERE k.conrelid = c.oid), "
                    "(SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid) "
                    "FROM pg_class c WHERE c.relnamespace = CAST(:schema AS regnamespace) "
                    "ORDER BY c.relname"
                ),
                {"schema": schema},
            ).all()
            others = connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM pg_proc "
                    "        WHERE pronamespace = CAST(:schema AS regnamespace)), "
                    "       (SELECT count(*) FROM pg_type "
                    "        WHERE typnamespace = CAST(:schema AS regnamespace))"
                ),
                {"schema": schema},
            ).one()
            version = connection.execute(
                text(f'SELECT version_num FROM "{schema}".alembic_version')
            ).all()
        return (tuple(map(tuple, catalogue)), tuple(others), tuple(map(tuple, version)))

    def _still_used(self, schema: str) -> bool:
        """Whether a connection to the schema is still open (a test's engine not disposed, a
        server thread of a browser test still at work): what it writes later would land in
        the next test. Its connections carry the schema's name (``_url``); one just closed may
        show for a moment, so this looks a few times."""
        for attempt in range(5):
            with self._admin.connect() as connection:
                open_ = connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :schema"),
                    {"schema": schema},
                ).scalar_one()
            if not open_:
                return False
            time.sleep(0.01 * (attempt + 1))
        return True

    def _role_may_empty(self) -> bool:
        """Switching foreign-key triggers off (``session_replication_role``) takes a
        superuser; without one, schemas are dropped and made as before."""
        if self._may_empty is None:
            with self._admin.connect() as connection:
                self._may_empty = bool(
                    connection.execute(
                        text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                    ).scalar()
                )
        return self._may_empty

    def _emptied_for_reuse(self, schema: str) -> bool:
        """Delete every row the test left (the migration's version aside) and restart the
        sequences, if the schema is still what the migrations made; False where it is not
        (or could not be emptied): then it is dropped."""
        try:
            if not self._role_may_empty() or self._shape is None or self._still_used(schema):
                return False
            if self._shape_of(schema) != self._shape:
                return False
            tables = [row[0] for row in self._shape[0] if row[1] == "r"]
            sequences = [row[0] for row in self._shape[0] if row[1] == "S"]
            with self._admin.connect() as connection:
                # One transaction, in one round trip: rows go table by table with the foreign
                # keys' triggers off for it alone (SET LOCAL), nothing else uses the schema.
                connection.connection.driver_connection.execute(
                    "BEGIN; SET LOCAL lock_timeout = '5s';"
                    " SET LOCAL session_replication_role = replica;"
                    + "".join(
                        f' DELETE FROM "{schema}"."{table}";'
                        for table in tables
                        if table != "alembic_version"
                    )
                    + "".join(f' ALTER SEQUENCE "{schema}"."{name}" RESTART;' for name in sequences)
                    + " COMMIT;"
                )
            return True
        except Exception:  # noqa: BLE001 - any failure: the schema is dropped instead
            return False

    def _migration_script(self) -> str:
        """The migrations from empty to head as one SQL script, alembic_version included."""
        if self._script is None:
            output = io.StringIO()
            config = migrate.alembic_config(self._admin)
            config.output_buffer = output
            command.upgrade(config, "head", sql=True)
            self._script = output.getvalue()
        return self._script

    def _create(self, script: str | None) -> str:
        schema = f"test_{uuid.uuid4().hex[:16]}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        if script is not None:
            try:
                self._run(script, schema)
            except BaseException:
                # A half-built schema must be neither used nor left behind.
                self._drop(schema)
                raise
        return schema

    def _run(self, script: str, schema: str) -> None:
        # The schema's own URL, so that the script's unqualified names land in it; the script
        # opens and commits its own transaction.
        engine = create_engine(
            self._url(schema), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT"
        )
        try:
            with engine.connect() as connection:
                # psycopg sends a script without parameters in one round trip.
                connection.connection.driver_connection.execute(script)
        finally:
            engine.dispose()

    def _drop(self, schema: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    def _url(self, schema: str) -> str:
        # The connections carry the schema's name, so that any left open can be seen.
        url = self._server.update_query_dict(
            {"options": f"-csearch_path={schema}", "application_name": schema}
        )
        return url.render_as_string(hide_password=False)

    def _raise_failures(self) -> None:
        """A failed drop surfaces in the next test rather than only at the end."""
        pending = []
        for job in self._pending:
            if job.done():
                job.result()
            else:
                pending.append(job)
        self._pending = pending
