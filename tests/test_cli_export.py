"""``roadmap export``: a platform dashboard's tables (and charts) written to a folder."""

from __future__ import annotations

import io

import openpyxl

from roadmap.sectors import operations as sector_operations
from roadmap.submissions import operations as submission_operations
from tests.domain.helpers import pathways, trajectories
from tests.factories import PlatformFactory


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
    assert "against Test 1.5" in result.output


def test_export_refuses_what_it_cannot_do_and_writes_nothing(runner, session, tmp_path):
    _platform(session)
    out = tmp_path / "out"
    unknown = runner.invoke(args=["export", "nowhere", "--out", str(out)])
    assert unknown.exit_code == 2 and "no platform 'nowhere'" in unknown.output
    bad_year = runner.invoke(args=["export", "steel", "--out", str(out), "--start", "soon"])
    assert bad_year.exit_code == 2 and "From year 'soon' is not a year" in bad_year.output
    assert not out.exists()
