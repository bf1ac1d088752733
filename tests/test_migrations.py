"""Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL,
and every test's database is an empty copy of that schema of its own (tests/database.py)."""

from __future__ import annotations

import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, func, inspect, pool, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from roadmap import migrate
from roadmap.db import get_engine

# Migrations 0003, 0005 and 0009 give platform.coverage_target, platform.treat_co2_as_co2e and
# company.key server defaults so that rows already stored get a value (treat_co2_as_co2e true for
# platforms stored before 0005, which reconciled CO2 and CO2e as one; company.key then filled
# from the name); the models set them in Python instead. Any other server default the models do
# not declare is a difference.
KNOWN_SERVER_DEFAULTS = {
    ("platform", "coverage_target"),
    ("platform", "treat_co2_as_co2e"),
    ("company", "key"),
    ("user", "may_create_sectors"),
    # 0020: KPIs stored before were typed in; platforms get the default utilisation; signals
    # stored before were procurement pledges.
    ("kpi", "source"),
    ("platform", "supply_utilisation"),
    ("demand_signal", "commitment"),
}


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
    # 14 TPI + 45 OECM series (data/pathways/README.md); steel, cement, shipping, aluminium.
    assert "pathways: 59 added, 0 already there" in result.output
    # 6 steel + 5 cement + 5 shipping + 3 glass companies; aluminium has no trajectories yet.
    assert (
        "demo platforms added: steel, cement, shipping, glass, aluminium; submissions: 19"
        in result.output
    )
    again = runner.invoke(args=["seed"])
    assert again.exit_code == 0
    assert "pathways: 0 added, 59 already there" in again.output
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


def _companies_at_0003(engine, names: list[str]) -> None:
    migrate.upgrade(engine, "0003")
    with engine.begin() as connection:
        for number, name in enumerate(names, start=1):
            connection.execute(
                text(
                    "INSERT INTO company (id, name, created_at) "
                    "VALUES (:id, :name, CURRENT_TIMESTAMP)"
                ),
                {"id": number, "name": name},
            )


def test_upgrade_gives_stored_companies_their_key(bare_app):
    engine = get_engine(bare_app)
    _companies_at_0003(engine, ["Northwind  Steel (Fictional)", "Alpha"])
    migrate.upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT name, key FROM company ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [
        ("Northwind  Steel (Fictional)", "northwind steel (fictional)"),
        ("Alpha", "alpha"),
    ]


def test_upgrade_refuses_companies_that_differ_only_in_case(bare_app):
    """Two rows for one company (made before the key existed) are named, not merged blindly."""
    engine = get_engine(bare_app)
    _companies_at_0003(engine, ["Northwind Steel", "NORTHWIND STEEL"])
    with pytest.raises(RuntimeError, match=re.escape("'Northwind Steel' / 'NORTHWIND STEEL'")):
        migrate.upgrade(engine)


def test_a_failed_upgrade_changes_nothing_and_can_be_run_again(bare_app):
    """Migrations 0004-0008 run before 0009 refuses the duplicate: all of it is undone (on
    SQLite too, whose driver would otherwise have kept their tables under revision 0003), so
    once the names are told apart the same command brings the database to the newest one."""
    engine = get_engine(bare_app)
    _companies_at_0003(engine, ["Northwind Steel", "NORTHWIND STEEL"])
    tables_at_0003 = set(inspect(engine).get_table_names())
    with pytest.raises(RuntimeError, match="NORTHWIND STEEL"):
        migrate.upgrade(engine)
    assert migrate.current(engine) == "0003"
    assert set(inspect(engine).get_table_names()) == tables_at_0003
    assert "key" not in {c["name"] for c in inspect(engine).get_columns("company")}
    with engine.begin() as connection:
        connection.execute(text("UPDATE company SET name = 'Northwind Steel (old)' WHERE id = 2"))
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    assert schema_differences(engine) == []


def test_upgrade_gives_old_history_entries_their_kind(bare_app):
    """Entries written before 0008 had only their text; the upgrade reads their kind from it
    and leaves the text as it was."""
    engine = get_engine(bare_app)
    migrate.upgrade(engine, "0003")
    old = [
        "created the platform (stage 1)",
        "edited vision, net_zero_year",
        "advanced to stage 2",
        "added signatory Ministry (fictional)",
        "removed company target for 2030",
        "added demand signal from Carmaker (fictional)",
        "added policy ask 'Green public procurement'",
        "action 'H2-DRI pilot': planned -> under way",
        "saved pathway 'Steel roadmap' (7 milestones)",
        "saved KPI 'Near-zero share'",
        "recorded Near-zero share 2024: 3 %",
    ]
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
                "is_public, coverage_target, created_at) VALUES (1, 'steel', 'Steel', 1, "
                "'Global', 'S1S2', 1, '', false, 0.5, CURRENT_TIMESTAMP)"
            )
        )
        for n, what in enumerate(old, start=1):
            connection.execute(
                text(
                    "INSERT INTO history_entry (id, platform_id, at, what) "
                    "VALUES (:id, 1, CURRENT_TIMESTAMP, :what)"
                ),
                {"id": n, "what": what},
            )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT what, kind, detail FROM history_entry ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [
        (what, kind, "")
        for what, kind in zip(
            old,
            [
                "platform",
                "platform",
                "stage",
                "signatory",
                "company target",
                "demand signal",
                "policy ask",
                "action",
                "pathway",
                "kpi",
                "kpi",
            ],
            strict=True,
        )
    ]
    assert schema_differences(engine) == []


def test_upgrade_puts_existing_submissions_in_one_published_initial_round(bare_app):
    """Under 0003: Alpha v1 accepted and v2 pending; Beta v1 and v2 accepted (reported to
    2022, planned to 2050). After 0007 every row is still there, all four belong to one
    published "Initial" round, and its publication holds Alpha v1 and Beta v2: each company's
    newest accepted version, what the dashboards showed before."""
    engine = get_engine(bare_app)
    migrate.upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO sector (id, name, intensity_unit) VALUES (1, 'Steel', 't')")
        )
        connection.execute(
            text(
                "INSERT INTO platform (id, slug, name, sector_id, region, scope, stage, vision, "
                "is_public, created_at) VALUES (1, 'steel', 'Steel', 1, 'Global', 'S1S2', 1, '', "
                "true, CURRENT_TIMESTAMP)"
            )
        )
        for company_id, name in ((1, "Alpha"), (2, "Beta")):
            connection.execute(
                text(
                    "INSERT INTO company (id, name, created_at) "
                    "VALUES (:id, :name, CURRENT_TIMESTAMP)"
                ),
                {"id": company_id, "name": name},
            )
        for sid, company_id, version, status in (
            (1, 1, 1, "accepted"),
            (2, 1, 2, "pending"),
            (3, 2, 1, "accepted"),
            (4, 2, 2, "accepted"),
        ):
            connection.execute(
                text(
                    "INSERT INTO submission (id, company_id, platform_id, version, region, scope, "
                    "source, filename, checksum, assurance, submitted_at, status, review_reason) "
                    "VALUES (:id, :company, 1, :version, 'Global', 'S1S2', 'seed', '', 'x', "
                    "'self-reported', '2026-01-15 10:00:00', :status, '')"
                ),
                {"id": sid, "company": company_id, "version": version, "status": status},
            )
            for year, kind in ((2022, "reported"), (2050, "planned")):
                connection.execute(
                    text(
                        "INSERT INTO trajectory_point (submission_id, year, kind, activity, "
                        "activity_unit, emissions, emissions_unit, intensity_unit) VALUES "
                        "(:id, :year, :kind, 100, 't', 100, 't CO2e', '')"
                    ),
                    {"id": sid, "year": year, "kind": kind},
                )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        rounds = connection.execute(
            text(
                "SELECT id, platform_id, name, status, reported_up_to, plan_to FROM reporting_round"
            )
        ).all()
        assert [tuple(r)[1:] for r in rounds] == [(1, "Initial", "published", 2022, 2050)]
        round_id = rounds[0][0]
        submissions = connection.execute(
            text("SELECT id, version, status, round_id FROM submission ORDER BY id")
        ).all()
        assert [tuple(s) for s in submissions] == [
            (1, 1, "accepted", round_id),
            (2, 2, "pending", round_id),
            (3, 1, "accepted", round_id),
            (4, 2, "accepted", round_id),
        ]
        published = connection.execute(
            text("SELECT company_id, submission_id FROM round_publication ORDER BY company_id")
        ).all()
        assert [tuple(p) for p in published] == [(1, 1), (2, 4)]
        points = connection.execute(text("SELECT count(*) FROM trajectory_point")).scalar_one()
        assert points == 8


def test_upgrade_leaves_one_open_round_per_platform(bare_app):
    """Under 0012 two coordinators could open rounds at one instant: platform 1 has rounds 1, 2
    and 3 open, platform 2 round 4 open and round 5 closed. After 0019 only each platform's
    newest open round is open (3 and 4), the others are closed, and a second open round is
    refused by the database itself."""
    engine = get_engine(bare_app)
    migrate.upgrade(engine, "0012")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO sector (id, name, intensity_unit) VALUES (1, 'Steel', 't')")
        )
        for platform_id in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO platform (id, slug, name, sector_id, region, scope, stage, "
                    "vision, is_public, coverage_target, treat_co2_as_co2e, created_at) VALUES "
                    "(:id, :slug, :slug, 1, 'Global', 'S1S2', 3, '', true, 0.5, false, "
                    "CURRENT_TIMESTAMP)"
                ),
                {"id": platform_id, "slug": f"p{platform_id}"},
            )
        for round_id, platform_id, status in (
            (1, 1, "open"),
            (2, 1, "open"),
            (3, 1, "open"),
            (4, 2, "open"),
            (5, 2, "closed"),
        ):
            connection.execute(
                text(
                    "INSERT INTO reporting_round (id, platform_id, name, reported_up_to, plan_to, "
                    "opens_on, deadline, status, created_at) VALUES (:id, :platform, :name, "
                    "2024, 2050, '2026-01-01', '2026-03-01', :status, CURRENT_TIMESTAMP)"
                ),
                {"id": round_id, "platform": platform_id, "name": f"R{round_id}", "status": status},
            )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        statuses = connection.execute(
            text("SELECT id, status, closed_at IS NOT NULL FROM reporting_round ORDER BY id")
        ).all()
    assert [tuple(s) for s in statuses] == [
        (1, "closed", True),
        (2, "closed", True),
        (3, "open", False),
        (4, "open", False),
        (5, "closed", False),
    ]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE reporting_round SET status = 'open' WHERE id = 5"))


def test_upgrade_keeps_rows_that_point_at_altered_tables(bare_app):
    """From 0012 with a coordinator (user <- platform_coordinator), a KPI and a demand signal
    (platform <- kpi, demand_signal) stored, the later revisions add columns to user, platform,
    kpi and demand_signal without copying the tables, which SQLite's foreign keys would refuse,
    and every row keeps its values with the new columns' defaults."""
    engine = get_engine(bare_app)
    migrate.upgrade(engine, "0012")
    with engine.begin() as connection:
        for sql in (
            "INSERT INTO sector (id, name, intensity_unit) VALUES (1, 'Steel', 't')",
            "INSERT INTO platform (id, slug, name, sector_id, region, scope, stage, vision, "
            "is_public, coverage_target, treat_co2_as_co2e, created_at) VALUES (1, 'steel', "
            "'Steel', 1, 'Global', 'S1S2', 2, '', true, 0.5, false, CURRENT_TIMESTAMP)",
            'INSERT INTO "user" (id, email, name, password_hash, role, is_active, created_at) '
            "VALUES (1, 'c@example.org', '', 'x', 'coordinator', true, CURRENT_TIMESTAMP)",
            "INSERT INTO platform_coordinator (user_id, platform_id) VALUES (1, 1)",
            "INSERT INTO kpi (id, platform_id, name, unit, direction) "
            "VALUES (1, 1, 'Capacity', 'Mt', 'increase')",
            "INSERT INTO demand_signal (id, platform_id, buyer, product, volume, volume_unit, "
            "year) VALUES (1, 1, 'Carmaker', 'steel', 5, 't Steel', 2030)",
        ):
            connection.execute(text(sql))
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text('SELECT email, may_create_sectors FROM "user"')).all() == [
            ("c@example.org", False)
        ]
        assert connection.execute(text("SELECT user_id FROM platform_coordinator")).all() == [(1,)]
        assert connection.execute(text("SELECT name, source FROM kpi")).all() == [
            ("Capacity", "typed")
        ]
        assert connection.execute(
            text("SELECT buyer, commitment, until_year FROM demand_signal")
        ).all() == [("Carmaker", "procurement pledge", None)]
        assert connection.execute(text("SELECT supply_utilisation FROM platform")).all() == [
            (0.85,)
        ]
