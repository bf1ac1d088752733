"""Units of stored sectors in the unit registry: rebuilt from the database after a restart (a
new registry), known only where the database has them, learnt by a process that started
before the sector was made (the other gunicorn worker), and never a reason for an error page
where the database has no tables."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from roadmap import migrate
from roadmap.db import get_engine
from roadmap.domain import units
from roadmap.domain.new_sector import new_sector
from roadmap.sectors import operations as sector_operations


def make_glass(app) -> None:  # type: ignore[no-untyped-def]
    """Glass stored as another process stores it: committed, this registry not told."""
    with Session(get_engine(app)) as session:
        sector_operations.create_sector(
            new_sector("Glass", "Glass", aliases=("Glas",)), user=None, session=session
        )
        session.commit()


def knows(app, unit: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether a request of ``app`` reads ``unit``."""
    with app.test_request_context():
        return units.compatible(unit, unit)


def test_a_restart_rebuilds_the_units_from_the_database(app, other_app):
    make_glass(app)
    units.forget_stored_units()  # a restart: a new registry, built-in units only
    assert knows(app, "t Glass")
    # 1 kt = 1000 t; the alias is the same unit.
    with app.test_request_context():
        assert units.conversion_factor("kt Glass", "t Glas") == 1000.0
        for other in ("t Steel", "t", "t Cement"):
            with pytest.raises(units.UnitError, match="cannot be converted"):
                units.conversion_factor("t Glass", other)
    # An app on a database without the row, in a process that never read it, does not.
    units.forget_stored_units()
    bare = other_app("bare")
    migrate.upgrade(get_engine(bare))
    assert not knows(bare, "t Glass")
    assert knows(app, "t Glass")  # and the first one still learns it on its first miss


def test_the_other_worker_learns_a_sector_made_after_it_started(app):
    units.forget_stored_units()
    assert not knows(app, "t Glass")  # it looked: no stored units yet
    make_glass(app)  # made by the other worker
    assert knows(app, "kt Glass")  # the stamp changed: this one reads them again


def test_outside_an_app_nothing_is_read(app):
    make_glass(app)
    units.forget_stored_units()
    with pytest.raises(units.UnitError, match="unknown unit 't Glass'"):
        units.parse_unit("t Glass")


def test_a_database_without_tables_leaves_the_unit_unknown(bare_app):
    units.forget_stored_units()
    assert not knows(bare_app, "t Glass")
    assert knows(bare_app, "t Steel")


GLASS_PATHWAY = """sector,scenario,region,scope,year,intensity,intensity_unit,source,licence
Glass,Glass 1.5,Global,S1S2,2020,0.6,t CO2e/(t Glass),test,CC0
Glass,Glass 1.5,Global,S1S2,2050,0.0,t CO2e/(t Glass),test,CC0
"""
GLASS_TRAJECTORY = """\
company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind
Clear,Glass,Global,S1S2,2020,100,kt Glass,60,kt CO2e,reported
Clear,Glass,Global,S1S2,2050,100,kt Glass,0,kt CO2e,planned
"""


def test_reconcile_reads_files_and_the_stored_units_only_on_a_miss(app, other_app, tmp_path):
    """The file-based command knows a stored sector's unit from the configured database;
    without the row the unit is unknown, said at its place."""
    (tmp_path / "p.csv").write_text(GLASS_PATHWAY)
    (tmp_path / "t.csv").write_text(GLASS_TRAJECTORY)
    args = ["reconcile", "--pathways", str(tmp_path / "p.csv"), "--trajectories"]
    args += [str(tmp_path / "t.csv"), "--scenario", "Glass 1.5", "--out", str(tmp_path / "o.csv")]
    units.forget_stored_units()
    bare = other_app("bare")
    migrate.upgrade(get_engine(bare))
    refused = bare.test_cli_runner().invoke(args=args)
    assert refused.exit_code == 2
    assert "unknown unit 't CO2e/(t Glass)'" in refused.output
    make_glass(app)
    units.forget_stored_units()
    done = app.test_cli_runner().invoke(args=args)
    assert done.exit_code == 0, done.output
    # 60 kt CO2e over 100 kt Glass is 0.6 t CO2e per t: the curve's 2020 value.
    first = (tmp_path / "o.csv").read_text().splitlines()[1].split(",")
    assert first[:4] == ["Clear", "Glass", "Glass 1.5", "2020"]
    assert float(first[6]) == 0.6
