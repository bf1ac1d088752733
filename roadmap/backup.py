"""Backup of the whole database (``roadmap backup FILE``); roadmap.restore reads it back.

The format, version 1: a zip file holding

- ``manifest.json``: ``{"format": "roadmap-backup", "version": 1, "schema_revision": "<the
  Alembic revision of the database>", "created_at": "<ISO 8601 with offset>", "tables":
  {"<table>": <row count>, ...}}``. Every table of the schema is listed, empty ones too. The
  ``alembic_version`` table is not copied: ``schema_revision`` is its content.
- ``tables/<table>.jsonl`` for each table listed: one JSON object per line and per row, keyed
  by column name (every column, no other key), in primary-key order, UTF-8.

Values are typed by the column they belong to, so that nothing is lost:

| column type       | written as                                                           |
|-------------------|----------------------------------------------------------------------|
| integer           | JSON integer                                                         |
| float             | JSON number, the shortest text that reads back as the same double;   |
|                   | the strings "NaN", "Infinity", "-Infinity" for those values          |
| boolean           | JSON true / false                                                    |
| text              | JSON string                                                          |
| timestamp with tz | ISO 8601 string in UTC with its offset, e.g.                         |
|                   | "2026-03-01T09:30:00.123456+00:00" (SQLite keeps such timestamps in  |
|                   | UTC without an offset; they are read as UTC)                         |
| timestamp         | ISO 8601 string without offset (no such column exists today)         |
| date              | ISO 8601 date, "2026-06-30"                                          |
| bytes             | base64 string (RFC 4648, with padding)                               |
| JSON              | the JSON value itself                                                |
| NULL              | JSON null                                                            |

A column of any other type stops the backup with a message naming it, rather than writing
something that would not read back the same. The backup is written to a temporary file next
to FILE and renamed when complete, so a failed backup leaves no half file; it reads every table
in one transaction (a consistent snapshot) and streams rows, never holding a whole table.

The file holds password hashes, token hashes and every company's figures: keep it as safe as
the database. It does not hold the secret key (``instance/secret_key`` or
``ROADMAP_SECRET_KEY``), which signs browser sessions.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    TypeDecorator,
    select,
)
from sqlmodel import SQLModel

import roadmap.migrate as migrate
import roadmap.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from roadmap.db import whole_transaction_engine

FORMAT = "roadmap-backup"
VERSION = 1
MANIFEST = "manifest.json"
# Rows fetched from the database, or inserted into it, at a time.
BATCH = 1000
SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and where."""


@dataclass(frozen=True)
class Manifest:
    schema_revision: str
    created_at: str
    tables: dict[str, int]

    def as_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "schema_revision": self.schema_revision,
                "created_at": self.created_at,
                "tables": self.tables,
            },
            indent=2,
        )

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def tables() -> list[Table]:
    """Every table of the schema, parents before the tables that refer to them."""
    return list(SQLModel.metadata.sorted_tables)


def member(table_name: str) -> str:
    return f"tables/{table_name}.jsonl"


# --- values --------------------------------------------------------------------------------


def column_kind(column: Column[Any]) -> str:
    """How the values of ``column`` are written (see the module's table)."""
    kind = column.type
    if isinstance(kind, TypeDecorator):  # such as SQLModel's AutoString: stored as its impl
        kind = kind.impl_instance
    for sql_type, name in (
        (Boolean, "bool"),
        (Integer, "int"),
        (Float, "float"),
        (DateTime, "datetime"),
        (Date, "date"),
        (LargeBinary, "bytes"),
        (JSON, "json"),
        (String, "str"),
    ):
        if isinstance(kind, sql_type):
            if name == "datetime" and not getattr(kind, "timezone", False):
                return "naive datetime"
            return name
    raise BackupError(
        f"column {column.table.name}.{column.name}: the backup format has no encoding for "
        f"its type {kind!r}"
    )


def encode(kind: str, value: Any) -> Any:
    """``value`` as read from the database, as written to the backup."""
    if value is None:
        return None
    if kind == "float":
        number = float(value)
        if math.isfinite(number):
            return number
        return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
    if kind == "datetime":
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    if kind in ("naive datetime", "date"):
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def decode(kind: str, value: Any) -> Any:
    """``value`` as read from the backup, as given to the database; ValueError says what is
    wrong with it."""
    if value is None or kind == "json":
        return value
    json_types, convert = _DECODERS[kind]
    if not isinstance(value, json_types) or (kind != "bool" and isinstance(value, bool)):
        raise ValueError(f"{json.dumps(value)[:40]} is not of type {kind}")
    return convert(value)


def _float(value: Any) -> float:
    if isinstance(value, str):
        if value not in SPECIAL_FLOATS:
            raise ValueError(f"{value!r} is not a number")
        return SPECIAL_FLOATS[value]
    return float(value)


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no UTC offset")
    return moment.astimezone(UTC)


def _bytes(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as error:
        raise ValueError(f"{value[:40]!r} is not base64 ({error})") from error


def _same(value: Any) -> Any:
    return value


# For each kind: the JSON types it is written as, and what turns them into the column's value.
_DECODERS: dict[str, tuple[type | tuple[type, ...], Callable[[Any], Any]]] = {
    "bool": (bool, _same),
    "int": (int, _same),
    "float": ((int, float, str), _float),
    "datetime": (str, _moment),
    "naive datetime": (str, datetime.fromisoformat),
    "date": (str, date.fromisoformat),
    "bytes": (str, _bytes),
    "str": (str, _same),
}


# --- writing -------------------------------------------------------------------------------


def write_backup(url: str, path: Path) -> Manifest:
    """Write every row of the database at ``url`` to ``path`` (which must not exist yet)."""
    if path.exists():
        raise BackupError(f"{path} already exists; choose another name or remove it first")
    if not path.parent.is_dir():
        raise BackupError(f"{path}: folder {path.parent} does not exist")
    engine = whole_transaction_engine(url)
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    try:
        with _snapshot(engine) as connection:
            revision = _revision_to_back_up(connection)
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                counts = {t.name: _write_table(connection, t, archive) for t in tables()}
                manifest = Manifest(revision, datetime.now(UTC).isoformat(), counts)
                archive.writestr(MANIFEST, manifest.as_json())
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)
        engine.dispose()
    return manifest


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction that sees one state of every table: REPEATABLE READ on
    PostgreSQL; on SQLite any transaction (the engine opens it with BEGIN), during which writers
    wait (up to the engine's 30 s lock timeout) unless the database is in WAL mode."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def _revision_to_back_up(connection: Connection) -> str:
    revision = migrate.current_within(connection)
    if revision is None:
        raise BackupError(
            "the database has no schema (run: roadmap db upgrade); nothing to back up"
        )
    if revision != migrate.head():
        raise BackupError(
            f"the database is at schema revision {revision} and this roadmap's is "
            f"{migrate.head()}; run roadmap db upgrade first"
        )
    return revision


def _write_table(connection: Connection, table: Table, archive: zipfile.ZipFile) -> int:
    kinds = [(column.name, column_kind(column)) for column in table.columns]
    count = 0
    entry = zipfile.ZipInfo(member(table.name), datetime.now().timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(entry, "w", force_zip64=True) as out:
        for row in _rows(connection, table):
            record = {
                name: encode(kind, value) for (name, kind), value in zip(kinds, row, strict=True)
            }
            out.write(_line(record))
            count += 1
    return count


def _rows(connection: Connection, table: Table) -> Iterator[Any]:
    query = select(table).order_by(*table.primary_key.columns)
    result = connection.execution_options(yield_per=BATCH).execute(query)
    yield from result


def _line(record: dict[str, Any]) -> bytes:
    text = json.dumps(record, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")
