"""Restore of a backup (``roadmap restore FILE``; the format is described in roadmap.backup).

A backup goes only into an empty database: one with no tables at all, which is migrated to the
backup's revision first, or one migrated to that revision with no rows. Everything (the schema
made, every row) happens in one transaction: a backup that is refused, at any point, leaves the
database as it was. Refused: a file that is not a roadmap backup, another format version, a
revision other than this roadmap's, a damaged or cut-short zip, a row that does not fit its
table, a table whose rows are not as many as the manifest says, a database that is not empty or
is at another revision.

Rows go in in foreign-key order with their own ids; on PostgreSQL each id sequence then starts
after the largest id restored, so new rows do not collide with old ones.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

import roadmap.migrate as migrate
from roadmap.backup import (
    BATCH,
    FORMAT,
    MANIFEST,
    VERSION,
    BackupError,
    Manifest,
    column_kind,
    decode,
    member,
    tables,
)
from roadmap.db import whole_transaction_engine

# What a damaged zip raises while it is read.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError)


def restore_backup(url: str, path: Path) -> Manifest:
    """Put every row of the backup at ``path`` into the empty database at ``url``."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = read_manifest(archive, path)
            engine = whole_transaction_engine(url)
            try:
                with engine.begin() as connection:
                    _prepare(connection, manifest.schema_revision)
                    for table in tables():
                        _load(connection, archive, table, manifest.tables[table.name], path)
                    if connection.dialect.name == "postgresql":
                        _restart_sequences(connection)
            finally:
                engine.dispose()
    except OSError as error:
        raise BackupError(f"{path}: cannot be read ({error.strerror or error})") from error
    except DAMAGED as error:
        raise BackupError(f"{path} is damaged or cut short ({error}); nothing restored") from error
    return manifest


def read_manifest(archive: zipfile.ZipFile, path: Path) -> Manifest:
    """The manifest, checked against this roadmap's format, schema and the archive's files."""
    try:
        data = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        raise BackupError(f"{path} is not a roadmap backup: it has no {MANIFEST}") from error
    except json.JSONDecodeError as error:
        raise BackupError(f"{path}: {MANIFEST} is not valid JSON ({error})") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a roadmap backup ({MANIFEST} names no format {FORMAT})")
    if data.get("version") != VERSION:
        raise BackupError(
            f"{path} is a roadmap backup of format version {data.get('version')!r}; this roadmap "
            f"reads version {VERSION}"
        )
    counts = data.get("tables")
    if not isinstance(counts, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts.values()
    ):
        raise BackupError(f"{path}: {MANIFEST} has no row count for each table")
    manifest = Manifest(str(data.get("schema_revision")), str(data.get("created_at")), counts)
    _check_schema(manifest, path)
    _check_members(archive, manifest, path)
    return manifest


def _check_schema(manifest: Manifest, path: Path) -> None:
    if manifest.schema_revision != migrate.head():
        raise BackupError(
            f"{path} was made at schema revision {manifest.schema_revision}; this roadmap's is "
            f"{migrate.head()}: restore it with the roadmap version that made it"
        )
    expected = {table.name for table in tables()}
    missing = ", ".join(sorted(expected - set(manifest.tables))) or "none"
    unknown = ", ".join(sorted(set(manifest.tables) - expected)) or "none"
    if (missing, unknown) != ("none", "none"):
        raise BackupError(
            f"{path}: the manifest's tables are not the schema's (missing: {missing}; "
            f"unknown: {unknown})"
        )


def _check_members(archive: zipfile.ZipFile, manifest: Manifest, path: Path) -> None:
    expected = {MANIFEST} | {member(name) for name in manifest.tables}
    present = set(archive.namelist())
    if present != expected:
        raise BackupError(
            f"{path} is damaged: missing {', '.join(sorted(expected - present)) or 'nothing'}, "
            f"unexpected {', '.join(sorted(present - expected)) or 'nothing'}"
        )


def _prepare(connection: Connection, revision: str) -> None:
    """Migrate a database with no tables (or only Alembic's, emptied by ``roadmap db downgrade
    base``); otherwise check its revision and that it is empty."""
    current = migrate.current_within(connection)
    if current is None and not set(inspect(connection).get_table_names()) - {"alembic_version"}:
        migrate.upgrade_within(connection, revision)
        return
    if current != revision:
        raise BackupError(
            f"the database is at schema revision {current or 'none (tables not made by roadmap)'}"
            f" and the backup at {revision}: restore into an empty database"
        )
    for table in tables():
        count = connection.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            raise BackupError(
                f"the database is not empty (table {table.name} has {count} rows): restore "
                "only into an empty database"
            )


def _load(
    connection: Connection, archive: zipfile.ZipFile, table: Table, expected: int, path: Path
) -> None:
    name = member(table.name)
    count = 0
    for batch in _batches(_records(archive, table, path)):
        try:
            connection.execute(table.insert(), batch)
        except DBAPIError as error:
            reason = str(error.orig).strip().splitlines()[0]
            raise BackupError(f"{path}, {name}: the database refused a row ({reason})") from error
        count += len(batch)
    if count != expected:
        raise BackupError(
            f"{path}, {name}: {count} rows, but the manifest says {expected}; nothing restored"
        )


def _records(archive: zipfile.ZipFile, table: Table, path: Path) -> Iterator[dict[str, Any]]:
    name = member(table.name)
    kinds = {column.name: column_kind(column) for column in table.columns}
    with io.TextIOWrapper(archive.open(name), encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            where = f"{path}, {name}, line {number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise BackupError(f"{where}: not a JSON row ({error})") from error
            yield _row(record, kinds, where)


def _row(record: Any, kinds: dict[str, str], where: str) -> dict[str, Any]:
    if not isinstance(record, dict) or set(record) != set(kinds):
        got = sorted(record) if isinstance(record, dict) else type(record).__name__
        raise BackupError(f"{where}: the row's columns are {got}, the table's {sorted(kinds)}")
    row = {}
    for column, kind in kinds.items():
        try:
            row[column] = decode(kind, record[column])
        except (ValueError, KeyError) as error:
            raise BackupError(f"{where}, column {column}: {error}") from error
    return row


def _batches(records: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _restart_sequences(connection: Connection) -> None:
    """Each id sequence restarts after the largest id stored (at 1 for an empty table)."""
    quote = connection.dialect.identifier_preparer
    for table in tables():
        column = table.autoincrement_column
        if column is None:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"coalesce(max({quote.quote(column.name)}), 0) + 1, false) "
                f"FROM {quote.format_table(table)}"
            ),
            {"table": quote.format_table(table), "column": column.name},
        )
