"""What ``roadmap restore`` and ``roadmap backup`` refuse: each with a message saying why, and
nothing written (a restore that fails late, after the schema was made and rows went in, leaves
a database with no tables as it found it)."""

from __future__ import annotations

import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from roadmap import migrate, models
from roadmap.db import get_engine
from tests.factories import CompanyFactory, SectorFactory, UserFactory
from tests.test_cli_backup import back_up, run

Members = dict[str, bytes]


@pytest.fixture
def backup(app, session, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """A backup of two sectors, a company and a user."""
    SectorFactory(name="Steel")
    SectorFactory(name="Cement")
    UserFactory(company_id=CompanyFactory().id, role="company")
    session.commit()
    path = tmp_path / "roadmap.zip"
    back_up(app, path)
    return path


def changed(path: Path, change: Callable[[Members], None]) -> Path:
    """A copy of the backup at ``path`` with its members changed by ``change``."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    out = path.with_name("changed.zip")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def manifest(edit: Callable[[dict], None]) -> Callable[[Members], None]:  # type: ignore[type-arg]
    def change(members: Members) -> None:
        data = json.loads(members["manifest.json"])
        edit(data)
        members["manifest.json"] = json.dumps(data).encode()

    return change


def sectors(edit: Callable[[list[bytes]], None]) -> Callable[[Members], None]:
    def change(members: Members) -> None:
        lines = members["tables/sector.jsonl"].splitlines()
        edit(lines)
        members["tables/sector.jsonl"] = b"".join(line + b"\n" for line in lines)

    return change


def _set(key: str, value: object) -> Callable[[dict], None]:  # type: ignore[type-arg]
    return lambda data: data.__setitem__(key, value)


def _count(table: str, value: int) -> Callable[[dict], None]:  # type: ignore[type-arg]
    return lambda data: data["tables"].__setitem__(table, value)


def _duplicate_first_sector(members: Members) -> None:
    sectors(lambda lines: lines.append(lines[0]))(members)
    manifest(_count("sector", 3))(members)


REFUSED = [
    ("format", manifest(_set("format", "other-backup")), "is not a roadmap backup"),
    ("version", manifest(_set("version", 2)), "format version 2; this roadmap reads version 1"),
    ("revision", manifest(_set("schema_revision", "0001")), "made at schema revision 0001"),
    (
        "table missing",
        manifest(lambda data: data["tables"].pop("user")),
        "tables are not the schema's (missing: user; unknown: none)",
    ),
    (
        "counts",
        manifest(_count("sector", 3)),
        "tables/sector.jsonl: 2 rows, but the manifest says 3",
    ),
    ("no manifest", lambda m: m.pop("manifest.json"), "is not a roadmap backup: it has no"),
    ("file missing", lambda m: m.pop("tables/user.jsonl"), "missing tables/user.jsonl"),
    (
        "bad value",
        sectors(lambda lines: lines.__setitem__(0, lines[0].replace(b'"id":1', b'"id":"one"'))),
        'tables/sector.jsonl, line 1, column id: "one" is not of type int',
    ),
    (
        "extra column",
        sectors(lambda lines: lines.__setitem__(1, lines[1].replace(b"{", b'{"colour":1,'))),
        "tables/sector.jsonl, line 2: the row's columns are ['colour', 'id'",
    ),
    (
        "not JSON",
        sectors(lambda lines: lines.__setitem__(1, b"{id: 2}")),
        "tables/sector.jsonl, line 2: not a JSON row",
    ),
    ("same row twice", _duplicate_first_sector, "tables/sector.jsonl: the database refused a row"),
]


@pytest.mark.parametrize(
    ("change", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_a_restore_refused_leaves_the_database_without_tables(backup, other_app, change, message):
    target = other_app("target")
    result = run(target, "restore", str(changed(backup, change)))
    assert result.exit_code == 2 and message in result.output, result.output
    assert inspect(get_engine(target)).get_table_names() == []


def _flip_a_byte_of(path: Path, member: str) -> Path:
    """The backup with one byte in the middle of ``member``'s compressed data changed."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        entry = archive.getinfo(member)
    # A local file header is 30 bytes, then the name and an extra field of the lengths given.
    name_length, extra_length = struct.unpack("<HH", data[entry.header_offset + 26 :][:4])
    start = entry.header_offset + 30 + name_length + extra_length
    data[start + entry.compress_size // 2] ^= 0xFF
    out = path.with_name("flipped.zip")
    out.write_bytes(bytes(data))
    return out


def _cut_in_half(path: Path) -> Path:
    out = path.with_name("cut.zip")
    out.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return out


def _not_a_zip(path: Path) -> Path:
    out = path.with_name("notes.zip")
    out.write_text("company,sector\n")
    return out


@pytest.mark.parametrize(
    "damage",
    [lambda p: _flip_a_byte_of(p, "tables/user.jsonl"), _cut_in_half, _not_a_zip],
    ids=["a byte changed", "cut short", "not a zip"],
)
def test_a_damaged_file_is_refused(backup, other_app, damage):
    target = other_app("target")
    result = run(target, "restore", str(damage(backup)))
    assert result.exit_code == 2 and "is damaged or cut short" in result.output, result.output
    assert "nothing restored" in result.output
    assert inspect(get_engine(target)).get_table_names() == []


def test_a_database_with_rows_is_refused(backup, other_app):
    target = other_app("target")
    migrate.upgrade(get_engine(target))
    with get_engine(target).begin() as connection:
        connection.execute(
            models.Sector.__table__.insert(), {"name": "Glass", "intensity_unit": ""}
        )
    result = run(target, "restore", str(backup))
    assert result.exit_code == 2, result.output
    assert "the database is not empty (table sector has 1 rows)" in result.output
    assert _sectors(target) == ["Glass"]


def test_a_database_at_another_revision_is_refused(backup, other_app):
    target = other_app("target")
    older = _revision_before_head()
    migrate.upgrade(get_engine(target), older)
    result = run(target, "restore", str(backup))
    assert result.exit_code == 2, result.output
    assert (
        f"the database is at schema revision {older} and the backup at {migrate.head()}"
        in result.output
    )
    assert migrate.current(get_engine(target)) == older
    assert _sectors(target) == []


def _revision_before_head() -> str:
    config = Config()
    config.set_main_option("script_location", str(migrate.SCRIPTS))
    down = ScriptDirectory.from_config(config).get_revision(migrate.head()).down_revision
    assert isinstance(down, str)
    return down


def _sectors(app) -> list[str]:  # type: ignore[no-untyped-def]
    with get_engine(app).connect() as connection:
        return list(connection.scalars(select(models.Sector.name)))


def test_a_backup_never_overwrites_a_file(app, tmp_path):
    path = tmp_path / "roadmap.zip"
    path.write_text("an older backup")
    result = run(app, "backup", str(path))
    assert result.exit_code == 2 and f"{path} already exists" in result.output
    assert path.read_text() == "an older backup"


def test_a_backup_of_a_database_without_schema_writes_nothing(other_app, tmp_path):
    empty = other_app("empty")
    out = tmp_path / "out"
    out.mkdir()
    result = run(empty, "backup", str(out / "roadmap.zip"))
    assert result.exit_code == 2, result.output
    assert "the database has no schema (run: roadmap db upgrade)" in result.output
    assert list(out.iterdir()) == []


def test_a_backup_of_an_older_schema_asks_for_the_upgrade(other_app, tmp_path):
    older = other_app("older")
    migrate.upgrade(get_engine(older), _revision_before_head())
    result = run(older, "backup", str(tmp_path / "roadmap.zip"))
    assert result.exit_code == 2 and "run roadmap db upgrade first" in result.output
    assert not (tmp_path / "roadmap.zip").exists()


def test_a_backup_into_a_missing_folder_is_refused(app, tmp_path):
    result = run(app, "backup", str(tmp_path / "nowhere" / "roadmap.zip"))
    assert result.exit_code == 2 and "folder" in result.output and "does not exist" in result.output
