"""The demo glass coalition: a sector made like in the browser, seeded once however often the
seed runs, at stage 2 with its own published roadmap, its companies reconciled against it by
a command that starts with no unit of Glass in its registry."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlmodel import func, select

from roadmap.config import Defaults
from roadmap.domain import units
from roadmap.models import Platform, RoadmapMilestone, RoadmapPathway, SectorUnit, Submission
from roadmap.seed import seed


def test_the_glass_coalition_is_seeded_once_and_reconciles(app, session, runner, tmp_path):
    seed(Path(Defaults.DATA_DIR), session=session)
    session.commit()
    seed(Path(Defaults.DATA_DIR), session=session)  # a second run adds nothing
    session.commit()
    unit = session.exec(select(SectorUnit)).one()
    assert (unit.sector.name, unit.name, unit.aliases, unit.activity_unit) == (
        "Glass",
        "Glass",
        "Glas",
        "t Glass",
    )
    glass = session.exec(select(Platform).where(Platform.slug == "glass")).one()
    assert (glass.stage, glass.sector.intensity_unit) == (2, "t CO2e/(t Glass)")
    pathway = session.exec(
        select(RoadmapPathway).where(RoadmapPathway.platform_id == glass.id)
    ).one()
    assert pathway.published
    milestones = session.exec(
        select(RoadmapMilestone.year, RoadmapMilestone.intensity)
        .where(RoadmapMilestone.pathway_id == pathway.id)
        .order_by(RoadmapMilestone.year)
    ).all()
    assert [tuple(m) for m in milestones] == [
        (2020, 0.6), (2025, 0.52), (2030, 0.42), (2035, 0.31), (2040, 0.2), (2045, 0.1),
        (2050, 0.03),
    ]  # fmt: skip
    submitted = session.exec(
        select(func.count()).select_from(Submission).where(Submission.platform_id == glass.id)
    ).one()
    assert submitted == 3

    units.forget_stored_units()  # the command starts like a new process
    out = tmp_path / "out"
    result = runner.invoke(args=["export", "glass", "--out", str(out), "--format", "csv", "--live"])
    assert result.exit_code == 0, result.output
    assert "against Net-zero glass 2050 (platform roadmap)" in result.output
    with (out / "glass-results.csv").open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    assert {r["Company"] for r in rows} == {
        "Clearwater Glass (fictional)",
        "Fenwick Glassworks (fictional)",
        "Lumen Float Glass (fictional)",
    }
    first = next(r for r in rows if r["Year"] == "2020" and r["Company"].startswith("Clear"))
    # The roadmap's own 2020 milestone is the sector curve.
    assert float(first["Sector curve (t CO2e/(t Glass))"]) == 0.6
    assert {r["Status"] for r in rows} == {"aligned", "behind"}
