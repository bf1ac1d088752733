"""``roadmap export``: a platform dashboard's tables (and charts) written to a folder."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlmodel import select

from roadmap.sectors import operations as sector_operations
from roadmap.submissions import operations as submission_operations
from tests.domain.helpers import pathways, trajectories
from tests.factories import PlatformFactory, UserFactory


def _platform(session):  # type: ignore[no-untyped-def]
    sector_operations.import_pathways(pathways(), session=session)
    sector = sector_operations.get_or_create_sector("Steel", "t CO2e/(t Steel)", session=session)
    platform = PlatformFactory(slug="steel", name="Steel", sector_id=sector.id, scope="S1S2")
    submission_operations.create_submissions(
        trajectories(), platform=platform, source="seed", status="accepted", session=session
    )
    session.commit()


def test_export_writes_every_table(runner, session, tmp_path):
    _platform(session)
    out = tmp_path / "out"
    result = runner.invoke(
        args=[
            "export",
            "steel",
            "--out",
            str(out),
            "--format",
            "csv",
            "--format",
            "xlsx",
            "--end",
            "2030",
            "--live",
        ]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "steel-results.csv" in names and "steel-heatmap.xlsx" in names
    assert not [n for n in names if n.endswith((".png", ".svg"))]
    results = (out / "steel-results.csv").read_text(encoding="utf-8-sig").splitlines()
    assert results[0].startswith("Company,Year,Kind,Activity (t Steel),Emissions (t CO2e)")
    # 2030 is the last year kept: Alpha's 2030 row has its gap, 1.5 - 1.25.
    alpha = [line.split(",") for line in results if line.startswith("Alpha,2030,")]
    assert len(alpha) == 1 and float(alpha[0][8]) == 0.25
    assert not [line for line in results if ",2031," in line]
    sheet = openpyxl.load_workbook(io.BytesIO((out / "steel-ranking.xlsx").read_bytes())).active
    assert [c.value for c in sheet[1]][:3] == [
        "Company",
        "Year",
        "Cumulative excess emissions (t CO2e)",
    ]
    assert "against Test 1.5, live (accepted figures" in result.output
    assert results[0].endswith(",Figures")
    (alpha_2030,) = [line for line in results if line.startswith("Alpha,2030,")]
    assert alpha_2030.endswith(
        ',"live (accepted figures, unpublished changes included; coordinators\' view)"'
    )


def test_export_refuses_what_it_cannot_do_and_writes_nothing(runner, session, tmp_path):
    _platform(session)
    out = tmp_path / "out"
    unknown = runner.invoke(args=["export", "nowhere", "--out", str(out)])
    assert unknown.exit_code == 2 and "no platform 'nowhere'" in unknown.output
    bad_year = runner.invoke(args=["export", "steel", "--out", str(out), "--start", "soon"])
    assert bad_year.exit_code == 2 and "From year 'soon' is not a year" in bad_year.output
    assert not out.exists()


def test_export_writes_the_last_published_figures_unless_asked_for_live(runner, session, tmp_path):
    """Alpha, Delta and Gamma (activity 100, 300, 50 t) are published in the Initial round with
    2020 emissions 250, 450, 100: the platform's intensity is 800 / 450 = 1.777... Alpha's
    version 2 (260 t) is accepted but not published: live, 810 / 450 = 1.8."""
    from roadmap.models import ReportingRound
    from tests.submissions.test_rounds import START, restated

    sector_operations.import_pathways(pathways(), session=session)
    sector = sector_operations.get_or_create_sector("Steel", "t CO2e/(t Steel)", session=session)
    platform = PlatformFactory(slug="steel", name="Steel", sector_id=sector.id, scope="S1S2")
    submission_operations.create_submissions(
        trajectories(START), platform=platform, source="seed", status="accepted", session=session
    )
    (v2,) = submission_operations.create_submissions(
        restated("Alpha"), platform=platform, source="form", session=session
    )
    submission_operations.decide(
        v2, decision="accept", message="", reviewer=UserFactory(), session=session
    )
    session.commit()
    day = f"{session.exec(select(ReportingRound)).one().published_at:%Y-%m-%d}"

    def export(*extra: str) -> tuple[str, list[list[str]], list[str]]:
        out = tmp_path / ("live" if extra else "published")
        args = ["export", "steel", "--out", str(out), "--format", "csv", *extra]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        lines = (out / "steel-trajectories.csv").read_text(encoding="utf-8-sig").splitlines()
        return result.output, list(csv.reader(lines)), sorted(p.name for p in out.iterdir())

    output, rows, names = export()
    published = f"published round Initial, {day} (as everyone but the coordinators sees it)"
    assert published in output
    assert rows[0] == [
        "Year",
        "Test 1.5 (t CO2e/(t Steel))",
        "Test 2 (t CO2e/(t Steel))",
        "Platform aggregate (t CO2e/(t Steel))",
        "Figures",
    ]
    assert rows[1][0] == "2020" and float(rows[1][3]) == pytest.approx(800 / 450, rel=1e-12)
    assert {row[-1] for row in rows[1:]} == {published}
    # As everyone else sees it: no company by name, so no results or ranking tables.
    assert "steel-results.csv" not in names and "steel-ranking.csv" not in names
    output, rows, names = export("--live")
    assert "live (accepted figures, unpublished changes included" in output
    aggregate = rows[0].index("Platform aggregate (t CO2e/(t Steel))")
    assert float(rows[1][aggregate]) == pytest.approx(1.8, rel=1e-12)
    assert "Alpha (t CO2e/(t Steel))" in rows[0] and "steel-results.csv" in names
