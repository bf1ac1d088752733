"""Finding 12 of issue 13: a pathway named like a spreadsheet formula ("=...") silently took
the platform's own roadmap scenarios away, and an unknown scope ("XYZ") was accepted. Both are
refused where they are typed, with the reason; one rule (roadmap.domain.names)."""

from __future__ import annotations

import io
import re

import pytest
from sqlmodel import func, select

from roadmap.domain import names
from roadmap.models import CompanyTarget, Platform, RoadmapPathway
from roadmap.reconciliation.scenarios import scenario_names
from roadmap.submissions import operations as submission_operations
from tests.domain.helpers import trajectories
from tests.factories import RoadmapMilestoneFactory, RoadmapPathwayFactory
from tests.platforms.test_views import _pathway_post, count
from tests.world import csrf_token, sign_in

GRID = [(y, str(2.0 - 0.05 * (y - 2020))) for y in range(2020, 2051, 5)]
ALLOWED = "scope must be one of S1, S2, S3, S1S2, S1S3, S2S3, S1S2S3"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Steel roadmap", None),
        ("=Steel roadmap", names.FORMULA_MESSAGE),
        ("+1.5C", names.FORMULA_MESSAGE),
        ("@x", names.FORMULA_MESSAGE),
        ("", "value is missing"),
        ("x" * 201, "longer than 200 characters"),
    ],
)
def test_name_problem(text, problem):
    assert names.name_problem(text) == problem


@pytest.mark.parametrize(
    ("text", "normal", "problem"),
    [
        ("S1S2", "S1S2", None),
        ("s1 + s2", "S1S2", None),
        ("S1S2S3", "S1S2S3", None),
        ("XYZ", "XYZ", ALLOWED),
        ("S2S1", "S2S1", ALLOWED),  # the contract's order only
        ("S4", "S4", ALLOWED),
        ("", "", ALLOWED),
    ],
)
def test_scope_rule(text, normal, problem):
    assert names.normal_scope(text) == normal
    assert names.scope_problem(text) == problem


def _published(platform_id: int, scenario: str) -> None:
    pathway = RoadmapPathwayFactory(platform_id=platform_id, scenario=scenario)
    for year, value in GRID:
        RoadmapMilestoneFactory(pathway_id=pathway.id, year=year, intensity=float(value))


def test_a_pathway_that_cannot_be_used_leaves_the_others_offered(session, world):
    """The fault: the platform's roadmap pathways were checked as one table, so one stored
    under "=..." (before any rule refused it) hid every one of them."""
    _published(world.platform.id, "Steel roadmap")
    _published(world.platform.id, "=Bad")
    session.commit()
    offered = scenario_names(world.platform, session=session)
    assert "Steel roadmap (platform roadmap)" in offered
    assert not [n for n in offered if n.startswith("=")]
    assert {"Test 1.5", "Test 2"} <= set(offered)


def test_the_pathway_form_refuses_a_formula_name(client, session, world):
    sign_in(client, world.coordinator.email)
    refused = _pathway_post(client, GRID, scenario="=Steel roadmap")
    assert refused.status_code == 422
    assert "Starts like a spreadsheet formula" in refused.get_data(as_text=True)
    assert count(session, RoadmapPathway) == 0
    assert _pathway_post(client, GRID).status_code == 302


def _import(client, text: str, scenario: str):  # type: ignore[no-untyped-def]
    page = client.get("/platforms/steel").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(page),
        "scenario": scenario,
        "base_year": "2020",
        "target_year": "2050",
        "file": (io.BytesIO(text.encode()), "mine.csv"),
    }
    return client.post(
        "/platforms/steel/pathways/import", data=data, content_type="multipart/form-data"
    )


def _pathway_file(*scenarios: str) -> str:
    return "sector,scenario,region,scope,year,intensity,intensity_unit\n" + "".join(
        f"Steel,{s},Global,S1S2,{y},{2.0 - 0.05 * (y - 2020):.2f},t CO2e/(t Steel)\n"
        for s in scenarios
        for y in range(2020, 2051, 5)
    )


def test_the_pathway_import_refuses_a_formula_name(client, session, world):
    sign_in(client, world.coordinator.email)
    asked = _import(client, _pathway_file("=Mine"), "=Mine")
    assert asked.status_code == 422
    assert "Starts like a spreadsheet formula" in asked.get_data(as_text=True)
    # Another scenario of the file named so: the file's check names file, row and column.
    other = _import(client, _pathway_file("Mine", "=Other"), "Mine")
    assert other.status_code == 422
    assert re.search(
        r"mine\.csv, row 9, column (&#39;|')scenario(&#39;|'): starts like a spreadsheet formula",
        other.get_data(as_text=True),
    )
    assert count(session, RoadmapPathway) == 0


def test_the_cli_refuses_a_formula_name(runner, session, tmp_path):
    path = tmp_path / "roadmap.csv"
    path.write_text(_pathway_file("=Mine"))
    result = runner.invoke(args=["import-pathways", str(path)])
    assert result.exit_code == 2
    assert (
        "error: roadmap.csv, row 2, column 'scenario': starts like a spreadsheet formula"
        in result.output
    )


def _platform_data(client, **extra):  # type: ignore[no-untyped-def]
    page = client.get("/platforms/new").get_data(as_text=True)
    sector = re.search(r'<option (?:selected )?value="(\d+)"', page).group(1)
    return {
        "csrf_token": csrf_token(page),
        "name": "Cement",
        "slug": "cement",
        "sector": sector,
        "region": "Global",
        "scope": "S1",
        "net_zero_year": "2050",
        "coverage_target": "0.5",
    } | extra


def test_the_platform_form_refuses_an_unknown_scope(client, session, world):
    sign_in(client, world.coordinator.email)
    refused = client.post("/platforms/new", data=_platform_data(client, scope="XYZ"))
    assert refused.status_code == 422
    assert "Scope must be one of S1, S2, S3, S1S2, S1S3, S2S3, S1S2S3." in refused.get_data(
        as_text=True
    )
    assert count(session, Platform) == 1
    # Spelled another way, a scope is stored as the data contract spells it.
    created = client.post("/platforms/new", data=_platform_data(client, scope="s1 + s2"))
    assert created.status_code == 302
    session.expire_all()
    assert session.exec(select(Platform.scope).where(Platform.slug == "cement")).one() == "S1S2"


def test_the_company_target_form_refuses_an_unknown_scope(client, session, world):
    submission_operations.create_submissions(
        trajectories(), platform=world.platform, source="seed", status="accepted", session=session
    )
    session.commit()
    sign_in(client, world.coordinator.email)
    page = client.get("/platforms/steel").get_data(as_text=True)
    alpha = re.search(r'<option value="(\d+)">Alpha</option>', page).group(1)
    data = {
        "csrf_token": csrf_token(page),
        "company_id": alpha,
        "target_year": "2030",
        "kind": "intensity",
        "value": "1.2",
        "scope": "XYZ",
        "validation": "self-declared",
    }
    refused = client.post("/platforms/steel/records/targets", data=data)
    assert refused.status_code == 422
    assert "Scope must be one of S1, S2" in refused.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(CompanyTarget)).one() == 0


def test_an_upload_refuses_an_unknown_scope(client, session, world):
    sign_in(client, world.member.email)
    page = client.get(f"/companies/{world.alpha.id}/submissions/upload").get_data(as_text=True)
    text = (
        "company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind\n"
        "Alpha,Steel,Global,XYZ,2020,100,t Steel,250,t CO2e,reported\n"
    )
    response = client.post(
        f"/companies/{world.alpha.id}/submissions/upload",
        data={
            "csrf_token": csrf_token(page),
            "platform": str(world.platform.id),
            "assurance": "self-reported",
            "file": (io.BytesIO(text.encode()), "alpha.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = re.sub(r"\s+", " ", response.get_data(as_text=True))
    assert "<h1>alpha.csv for Alpha on Steel</h1>" in page
    assert f"<tr><td>2</td><td>scope</td><td>{ALLOWED}</td></tr>" in page
