"""The projects page per role: who sees which project (on the page, in the downloads), who may
add, edit and remove, the form's checks with their messages, exact edit values and the
history."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from sqlmodel import select

from roadmap.accounts import operations as account_operations
from roadmap.models import HistoryEntry, Project, utcnow
from roadmap.pipeline.numbers import publish_projects
from roadmap.sectors import operations as sector_operations
from tests import factories
from tests.pipeline.records_world import Projects
from tests.world import PASSWORD, csrf_token, sign_in

ALL = ("Lulea H2", "Alpha secret line", "Beta open", "Beta hidden furnace")
URL = "/platforms/steel/projects"


def names_on(html: str) -> set[str]:
    return {name for name in ALL if name in html}


def exported(client, kind: str) -> set[str]:  # type: ignore[no-untyped-def]
    response = client.get(f"{URL}/export.{kind}")
    assert response.status_code == 200
    data = io.BytesIO(response.data)
    frame = pd.read_csv(data) if kind == "csv" else pd.read_excel(data)
    return set(frame["name"])


@pytest.mark.parametrize(
    ("email", "seen"),
    [
        (None, {"Lulea H2", "Beta open"}),
        ("member@alpha.example", {"Lulea H2", "Alpha secret line", "Beta open"}),
        ("member@beta.example", {"Lulea H2", "Beta open", "Beta hidden furnace"}),
        ("consultant@example.org", {"Lulea H2", "Alpha secret line", "Beta open"}),
        ("coord@example.org", set(ALL)),
    ],
)
def test_each_role_sees_public_projects_and_its_own(client, projects: Projects, email, seen):  # type: ignore[no-untyped-def]
    if email:
        sign_in(client, email)
    page = client.get(URL)
    assert page.status_code == 200
    assert names_on(page.get_data(as_text=True)) == seen
    assert exported(client, "csv") == seen
    assert exported(client, "xlsx") == seen


def test_the_platform_page_links_to_the_projects(client, projects: Projects) -> None:
    assert f'href="{URL}"' in client.get("/platforms/steel").get_data(as_text=True)


def test_filters_and_sorting(client, projects: Projects) -> None:
    sign_in(client, "coord@example.org")
    html = client.get(f"{URL}?country=spain").get_data(as_text=True)
    assert names_on(html) == {"Beta open", "Beta hidden furnace"}
    html = client.get(f"{URL}?start=2025&end=2030").get_data(as_text=True)
    assert names_on(html) == {"Alpha secret line", "Beta hidden furnace"}  # 2028 and 2030
    html = client.get(f"{URL}?status=announced&company=beta").get_data(as_text=True)
    assert names_on(html) == {"Beta open", "Beta hidden furnace"}
    html = client.get(f"{URL}?technology=scrap+EAF").get_data(as_text=True)
    assert names_on(html) == {"Alpha secret line"}
    # Capacity as stored, largest first: 800 (kt) > 3 > 2 > 1.5.
    html = client.get(f"{URL}?sort=capacity&dir=desc").get_data(as_text=True)
    order = sorted(ALL, key=html.index)
    assert order == ["Alpha secret line", "Beta hidden furnace", "Beta open", "Lulea H2"]
    frame = pd.read_csv(io.BytesIO(client.get(f"{URL}/export.csv?country=Spain").data))
    assert sorted(frame["name"]) == ["Beta hidden furnace", "Beta open"]
    # Nonsense in the address is ignored, never an error.
    assert client.get(f"{URL}?start=x&sort=nope&status=zzz&slug=a&kind=b").status_code == 200


def test_the_unseen_line_says_only_how_many_count_in_totals(
    client, projects: Projects, session
) -> None:  # type: ignore[no-untyped-def]
    """Hidden projects count in others' totals as the last published round saw them, and only
    where three or more companies one cannot see make them up (roadmap.pipeline.numbers)."""
    html = client.get(URL).get_data(as_text=True)
    assert "counted only in the platform's totals" not in html  # nothing published yet
    gamma = factories.CompanyFactory(name="Gamma")
    factories.ProjectFactory(
        platform_id=projects.world.platform.id, company_id=gamma.id, name="Gamma g", is_public=False
    )
    round_ = factories.ReportingRoundFactory(
        platform_id=projects.world.platform.id, status="published", published_at=utcnow()
    )
    publish_projects(round_, session=session)
    session.commit()
    # A visitor cannot see Alpha's, Beta's and Gamma's confidential plants: three companies.
    html = client.get(URL).get_data(as_text=True)
    assert "3 more projects of companies you may not see are counted only" in html
    assert names_on(html) == {"Lulea H2", "Beta open"} and "Gamma g" not in html
    # Alpha's member sees its own: Beta's and Gamma's are two companies, left out.
    sign_in(client, "member@alpha.example")
    html = client.get(URL).get_data(as_text=True)
    assert "left out of the totals shown to you" in html and "Gamma g" not in html
    sign_in(client, "coord@example.org")
    html = client.get(URL).get_data(as_text=True)
    assert 'id="unseen"' not in html and "Gamma g" in html


def form_data(client, url: str, **changes: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "csrf_token": csrf_token(client.get(url).get_data(as_text=True)),
        "name": "Narvik DRI",
        "country": "Norway",
        "technology": "hydrogen DRI-EAF",
        "technology_other": "",
        "status": "final investment decision",
        "announced_on": "2023-05-01",
        "fid_on": "2024-11-30",
        "start_year": "2029",
        "capacity": "2.1",
        "capacity_unit": "Mt Steel",
        "expected_intensity": "0.05",
        "intensity_unit": "t CO2e/(t Steel)",
        "source_url": "https://example.org/narvik",
        "is_public": "y",
    }
    data.update(changes)
    return data


def test_a_member_adds_edits_and_removes_its_own_project(
    client, projects: Projects, session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "member@alpha.example")
    page = client.get(f"{URL}/new").get_data(as_text=True)
    assert ">Alpha</option>" in page and ">Beta</option>" not in page  # own company only
    alpha = str(projects.world.alpha.id)
    added = client.post(
        f"{URL}/new",
        data=form_data(client, f"{URL}/new", company_id=alpha, capacity="0.30000000000000004"),
    )
    assert added.status_code == 302, added.get_data(as_text=True)[:3000]
    project = session.exec(select(Project).where(Project.name == "Narvik DRI")).one()
    assert project.capacity == 0.1 + 0.2  # stored as sent
    assert project.technology == "hydrogen DRI-EAF" and project.is_public
    edit_url = f"{URL}/{project.id}/edit"
    page = client.get(edit_url).get_data(as_text=True)
    assert 'value="0.30000000000000004"' in page  # shown to edit exactly as stored
    created = project.updated_at
    saved = client.post(
        edit_url,
        data=form_data(
            client,
            edit_url,
            company_id=alpha,
            capacity="0.30000000000000004",
            technology="other",
            technology_other="electrolytic iron",
            status="construction",
            construction_on="2025-03-01",
        ),
    )
    assert saved.status_code == 302
    session.expire_all()
    project = session.get(Project, project.id)
    assert project.technology == "electrolytic iron" and project.status == "construction"
    assert project.updated_at > created
    page = client.get(edit_url).get_data(as_text=True)
    assert '<option selected value="other">' in page and 'value="electrolytic iron"' in page
    entries = session.exec(select(HistoryEntry).where(HistoryEntry.kind == "project")).all()
    edit = next(e for e in entries if e.what.startswith("edited"))
    assert "status: final investment decision -> construction" in edit.detail
    assert "technology: hydrogen DRI-EAF -> electrolytic iron" in edit.detail
    assert "construction_on: (none) -> 2025-03-01" in edit.detail
    delete_url = f"{URL}/{project.id}/delete"
    token = csrf_token(client.get(URL).get_data(as_text=True))
    asked = client.post(delete_url, data={"csrf_token": token})
    assert asked.status_code == 200 and "Remove the project" in asked.get_data(as_text=True)
    removed = client.post(delete_url, data={"csrf_token": token, "confirmed": "yes"})
    assert removed.status_code == 302
    session.expire_all()
    assert session.get(Project, project.id) is None
    assert session.exec(
        select(HistoryEntry).where(HistoryEntry.what == "removed project Narvik DRI of Alpha")
    ).one()


def test_a_member_may_not_write_another_companys_projects(client, projects: Projects) -> None:
    sign_in(client, "member@alpha.example")
    token = csrf_token(client.get(URL).get_data(as_text=True))
    assert client.get(f"{URL}/{projects.beta_public.id}/edit").status_code == 403
    assert client.get(f"{URL}/{projects.beta_secret.id}/edit").status_code == 404  # not seen
    data = form_data(client, f"{URL}/new", company_id=str(projects.beta.id))
    assert client.post(f"{URL}/new", data=data).status_code == 422  # not a choice
    gone = client.post(
        f"{URL}/{projects.beta_public.id}/delete", data={"csrf_token": token, "confirmed": "yes"}
    )
    assert gone.status_code == 403


def test_a_consultant_only_reads(client, projects: Projects) -> None:
    sign_in(client, "consultant@example.org")
    html = client.get(URL).get_data(as_text=True)
    assert "Alpha secret line" in html and "Add a project" not in html and ">Edit<" not in html
    assert client.get(f"{URL}/new").status_code == 403
    assert client.get(f"{URL}/{projects.alpha_secret.id}/edit").status_code == 403
    assert client.get(f"{URL}/import").status_code == 403


def test_a_coordinator_writes_any_companys_project(client, projects: Projects, session) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "coord@example.org")
    url = f"{URL}/{projects.beta_secret.id}/edit"
    data = form_data(
        client,
        url,
        company_id=str(projects.beta.id),
        name="Beta hidden furnace",
        technology="BF-BOF with CCUS",
        status="announced",
        fid_on="",
        announced_on="",
    )
    data.pop("is_public")  # unticked: stays confidential
    assert client.post(url, data=data).status_code == 302
    session.expire_all()
    stored = session.get(Project, projects.beta_secret.id)
    assert stored.capacity == 2.1 and not stored.is_public


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"capacity_unit": "t Cement"},
            "capacity_unit",
            "'t Cement' does not convert into the sector's activity unit 't Steel'",
        ),
        ({"capacity_unit": "Mt Steel/yr"}, "capacity_unit", "does not convert"),
        ({"capacity": "0"}, "capacity", "Must be greater than zero."),
        ({"capacity": "nan"}, "capacity", "Not a finite number."),
        ({"expected_intensity": "-1"}, "expected_intensity", "Must not be negative."),
        (
            {"intensity_unit": "t CO2e/tkm"},
            "intensity_unit",
            "does not convert into the sector's intensity unit",
        ),
        (
            {"fid_on": "2022-01-01"},
            "fid_on",
            "2022-01-01 is before the 'announced' date 2023-05-01",
        ),
        ({"fid_on": "2999-01-01"}, "fid_on", "2999-01-01 is after today"),
        ({"operating_on": "2024-12-01"}, "operating_on", "a date is only for a status reached"),
        ({"cancelled_on": "2024-12-01"}, "cancelled_on", "A cancellation date needs the status"),
        ({"start_year": "1800"}, "start_year", "Year outside 1900-2200."),
        ({"source_url": "javascript:alert(1)"}, "source_url", "http:// or https://"),
        ({"name": "=HYPERLINK(1)"}, "name", "Starts like a spreadsheet formula"),
        ({"technology": "other", "technology_other": ""}, "technology_other", "Value is missing."),
        (
            {"name": "Lulea H2"},
            "name",
            "Alpha already has a project named 'Lulea H2' on this platform.",
        ),
    ],
)
def test_the_form_refuses_with_a_clear_message(
    client, projects: Projects, session, changes, field, message
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "member@alpha.example")
    before = len(session.exec(select(Project)).all())
    data = form_data(client, f"{URL}/new", company_id=str(projects.world.alpha.id), **changes)
    response = client.post(f"{URL}/new", data=data)
    html = response.get_data(as_text=True).replace("&#39;", "'")
    assert response.status_code == 422
    error = html[html.index(f'id="{field}-error"') :][:400]
    assert message in error
    session.expire_all()
    assert len(session.exec(select(Project)).all()) == before


def test_cancelled_may_come_at_any_point(client, projects: Projects, session) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "member@alpha.example")
    data = form_data(
        client,
        f"{URL}/new",
        company_id=str(projects.world.alpha.id),
        status="cancelled",
        cancelled_on="2025-01-10",
    )
    assert client.post(f"{URL}/new", data=data).status_code == 302
    assert (
        session.exec(select(Project).where(Project.name == "Narvik DRI")).one().status
        == "cancelled"
    )


def test_a_sector_without_routes_takes_the_route_as_text(client, session) -> None:  # type: ignore[no-untyped-def]
    """Paper has no list of routes: the form offers only the text field."""
    sector = sector_operations.get_or_create_sector("Paper", "t CO2e/(t Paper)", session=session)
    factories.PlatformFactory(slug="paper", name="Paper", sector_id=sector.id, is_public=True)
    company = factories.CompanyFactory(name="Pulp Co")
    account_operations.create_user(
        session=session,
        email="m@pulp.example",
        password=PASSWORD,
        role="company",
        company_id=company.id,
    )
    session.commit()
    sign_in(client, "m@pulp.example")
    url = "/platforms/paper/projects/new"
    page = client.get(url).get_data(as_text=True)
    assert '<input type="hidden" name="technology" value="other">' in page
    assert 'value="t Paper"' in page  # the capacity unit starts as the sector's
    data = form_data(
        client,
        url,
        company_id=str(company.id),
        technology="other",
        technology_other="black liquor gasification",
        capacity_unit="kt Paper",
        intensity_unit="",
        expected_intensity="",
    )
    assert client.post(url, data=data).status_code == 302
    stored = session.exec(select(Project).where(Project.name == "Narvik DRI")).one()
    assert (stored.technology, stored.capacity_unit) == ("black liquor gasification", "kt Paper")
