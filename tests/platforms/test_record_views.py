"""Editing a platform's records in place, valid, invalid (non-finite numbers too) and
forbidden; every edit and review decision in the history, filtered by kind and as CSV."""

from __future__ import annotations

import csv
import io
from html import unescape

import pytest
from sqlmodel import select

from roadmap.models import HistoryEntry, KpiValue
from roadmap.platforms import operations
from tests import factories
from tests.formdata import form_fields
from tests.world import csrf_token, sign_in


def token(client) -> str:  # type: ignore[no-untyped-def]
    return csrf_token(client.get("/account/tokens").get_data(as_text=True))


def entries(session, kind: str | None = None) -> list[HistoryEntry]:  # type: ignore[no-untyped-def]
    session.expire_all()
    query = select(HistoryEntry).order_by(HistoryEntry.id)
    if kind:
        query = query.where(HistoryEntry.kind == kind)
    return list(session.exec(query).all())


# kind in the URL, factory, field shown on the edit page, an edit, the history's detail line,
# an invalid edit and its message
EDITS = [
    (
        "signatories",
        factories.SignatoryFactory,
        "Organisation 0",
        {"organisation": "Ministry of Industry (fictional)"},
        "history kind signatory",
        {"organisation": " "},
        "This field is required.",
    ),
    (
        "targets",
        factories.CompanyTargetFactory,
        'value="1.2"',
        {"value": "0.95"},
        "value: 1.2 -> 0.95",
        {"value": "nan"},
        "Not a finite number.",
    ),
    (
        "demand",
        factories.DemandSignalFactory,
        'value="100000"',
        {"volume": "125000.5"},
        "volume: 100000 -> 125000.5",
        {"volume": "inf"},
        "Not a finite number.",
    ),
    (
        "policy",
        factories.PolicyAskFactory,
        "Green public procurement for steel",
        {"status": "adopted"},
        "status: proposed -> adopted",
        {"status": "maybe"},
        "Not a valid choice.",
    ),
    (
        "actions",
        factories.ActionFactory,
        "Hydrogen DRI pilot",
        {"owner": "Steelmakers' consortium (fictional)", "milestone_year": "2035"},
        "milestone_year: 2030 -> 2035",
        {"milestone_year": "1800"},
        "A year between 1990 and 2100.",
    ),
]


@pytest.mark.parametrize(("kind", "factory", "shown", "edit", "line", "bad", "message"), EDITS)
def test_edit_a_record_in_place(
    client, session, world, kind, factory, shown, edit, line, bad, message
):
    record = factory(platform_id=world.platform.id)
    if kind == "targets":
        record.company_id = world.alpha.id
    if kind == "signatories":
        line = f"organisation: {record.organisation} -> Ministry of Industry (fictional)"
        shown = record.organisation
    session.commit()
    url = f"/platforms/steel/records/{kind}/{record.id}/edit"
    # Forbidden: a member sees the platform but may not change it.
    sign_in(client, world.member.email)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"csrf_token": token(client), **edit}).status_code == 403
    client.post("/auth/logout", data={"csrf_token": token(client)})
    sign_in(client, world.coordinator.email)
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert shown in html
    sent = form_fields(html, containing=next(iter(edit)))
    # Invalid: refused with the field's message; nothing stored, nothing in the history.
    refused = client.post(url, data={**sent, **bad})
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    assert entries(session) == []
    # Unchanged: saved, but nothing to record.
    assert client.post(url, data=sent).status_code == 302
    assert entries(session) == []
    # Valid: stored in place, the old and new values in the history.
    saved = client.post(url, data={**sent, **edit})
    assert saved.headers["Location"] == f"/platforms/steel#{kind}"
    (entry,) = entries(session)
    assert line in entry.detail.splitlines()
    assert entry.user_id == world.coordinator.id
    assert entry.kind == operations.RECORD_KINDS[type(record)]
    session.refresh(record)
    for name, value in edit.items():
        assert str(getattr(record, name)) == value


def test_a_record_of_another_platform_is_not_found(client, session, world):
    other = factories.PlatformFactory(sector_id=world.platform.sector_id)
    signatory = factories.SignatoryFactory(platform_id=other.id)
    session.commit()
    sign_in(client, world.coordinator.email)
    assert (
        client.get(f"/platforms/steel/records/signatories/{signatory.id}/edit").status_code == 404
    )
    assert client.get("/platforms/steel/records/nonsense/1/edit").status_code == 404


def test_edit_a_kpi_and_its_targets(client, session, world):
    """Targets 2025: 5, 2030: 20 become 2030: 25, 2035: 40.5: one changed, one added, one
    removed; the actual for 2024 stays."""
    kpi = factories.KpiFactory(platform_id=world.platform.id, name="Near-zero share", unit="%")
    factories.KpiValueFactory(kpi_id=kpi.id, year=2025, value=5.0)
    factories.KpiValueFactory(kpi_id=kpi.id, year=2030, value=20.0)
    factories.KpiValueFactory(kpi_id=kpi.id, year=2024, value=3.0, is_target=False)
    session.commit()
    url = f"/platforms/steel/kpis/{kpi.id}/edit"
    sign_in(client, world.member.email)
    assert client.get(url).status_code == 403
    client.post("/auth/logout", data={"csrf_token": token(client)})
    sign_in(client, world.coordinator.email)
    html = client.get(url).get_data(as_text=True)
    sent = form_fields(html, containing="targets")
    assert sent["targets"] == "2025: 5, 2030: 20"
    for bad, message in [
        ("2030: nan", "'2030: nan': the value is not a finite number"),
        ("2030: inf", "'2030: inf': the value is not a finite number"),
        ("2032: 3", "2032 is not on the 5-year grid"),
    ]:
        refused = client.post(url, data={**sent, "targets": bad})
        assert refused.status_code == 422
        assert message in unescape(refused.get_data(as_text=True))
    assert entries(session) == []
    saved = client.post(
        url, data={**sent, "name": "Near-zero primary share", "targets": "2030: 25, 2035: 40.5"}
    )
    assert saved.headers["Location"] == "/platforms/steel#kpis"
    (entry,) = entries(session, "kpi")
    assert entry.what == "edited KPI 'Near-zero share'"
    assert entry.detail.splitlines() == [
        "name: Near-zero share -> Near-zero primary share",
        "target 2025: 5 -> (none)",
        "target 2030: 20 -> 25",
        "target 2035: (none) -> 40.5",
    ]
    values = session.exec(
        select(KpiValue.year, KpiValue.value, KpiValue.is_target).order_by(KpiValue.year)
    ).all()
    assert [tuple(v) for v in values] == [
        (2024, 3.0, False),
        (2030, 25.0, True),
        (2035, 40.5, True),
    ]


def test_non_finite_numbers_refused_when_adding(client, session, world):
    sign_in(client, world.coordinator.email)
    demand = {
        "csrf_token": token(client),
        "buyer": "Carmaker (fictional)",
        "product": "near-zero steel",
        "volume": "NaN",
        "volume_unit": "t Steel",
        "year": "2030",
    }
    refused = client.post("/platforms/steel/records/demand", data=demand)
    assert refused.status_code == 422
    assert "Not a finite number." in refused.get_data(as_text=True)
    kpi = {"csrf_token": token(client), "name": "Share", "unit": "%", "direction": "increase"}
    refused = client.post("/platforms/steel/kpis", data={**kpi, "targets": "2030: -inf"})
    assert refused.status_code == 422
    assert "'2030: -inf': the value is not a finite number" in unescape(
        refused.get_data(as_text=True)
    )
    assert entries(session) == []


def test_pathway_edit_keeps_old_and_new_milestones(session, world):
    pathway = operations.save_pathway(
        world.platform,
        None,
        {
            "scenario": "Steel roadmap",
            "base_year": 2020,
            "target_year": 2030,
            "intensity_unit": "t CO2e/(t Steel)",
            "activity_unit": "",
            "published": False,
        },
        [(2020, 1.9, None), (2025, 1.5, None), (2030, 1.1, None)],
        user=world.coordinator,
        session=session,
    )
    operations.save_pathway(
        world.platform,
        pathway,
        {
            "scenario": "Steel roadmap",
            "base_year": 2020,
            "target_year": 2030,
            "intensity_unit": "t CO2e/(t Steel)",
            "activity_unit": "",
            "published": True,
        },
        [(2020, 1.9, None), (2025, 1.45, None), (2030, 1.1, 1000.0)],
        user=world.coordinator,
        session=session,
    )
    created, edited = entries(session, "pathway")
    assert "scenario: (none) -> Steel roadmap" in created.detail.splitlines()
    assert edited.detail.splitlines() == [
        "published: no -> yes",
        "2025 intensity: 1.5 -> 1.45",
        "2030 activity: (none) -> 1000",
    ]


def make_history(session, world) -> None:  # type: ignore[no-untyped-def]
    """Four entries, oldest first: one whose text a spreadsheet would run as a formula, an
    edit with two changes, a review with its reason, a stage change by the system."""
    user, platform = world.coordinator, world.platform
    for what, kind, detail, who in [
        ("=1+1", "signatory", "", user),
        (
            "edited signatory Steel Forum (fictional)",
            "signatory",
            "organisation: A -> B\njoined_on: 2024-01-15 -> 2024-02-01",
            user,
        ),
        ("rejected Alpha version 2", "review", "2030 activity missing", user),
        ("advanced to stage 2", "stage", "stage: 1 -> 2", None),
    ]:
        operations.record_history(
            platform, what, kind=kind, detail=detail, user=who, session=session
        )
    session.commit()


def test_history_page_filters_by_kind(client, session, world):
    make_history(session, world)
    sign_in(client, world.coordinator.email)
    html = client.get("/platforms/steel/history").get_data(as_text=True)
    assert "rejected Alpha version 2" in html and "advanced to stage 2" in html
    assert "organisation: A -&gt; B<br>joined_on: 2024-01-15 -&gt; 2024-02-01" in html
    reviews = client.get("/platforms/steel/history?kind=review").get_data(as_text=True)
    assert "rejected Alpha version 2" in reviews and "2030 activity missing" in reviews
    assert "advanced to stage 2" not in reviews
    assert client.get("/platforms/steel/history?kind=gossip").status_code == 404


def test_history_csv_export(client, session, world):
    make_history(session, world)
    sign_in(client, world.coordinator.email)
    response = client.get("/platforms/steel/history.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="steel-history.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [(r["by"], r["kind"], r["what"], r["detail"]) for r in rows] == [
        ("system", "stage", "advanced to stage 2", "stage: 1 -> 2"),
        ("coord@example.org", "review", "rejected Alpha version 2", "2030 activity missing"),
        (
            "coord@example.org",
            "signatory",
            "edited signatory Steel Forum (fictional)",
            "organisation: A -> B\njoined_on: 2024-01-15 -> 2024-02-01",
        ),
        # text a spreadsheet would run as a formula is written as text
        ("coord@example.org", "signatory", "'=1+1", ""),
    ]
    reviews = client.get("/platforms/steel/history.csv?kind=review")
    assert 'filename="steel-history-review.csv"' in reviews.headers["Content-Disposition"]
    (only,) = csv.DictReader(io.StringIO(reviews.get_data().decode("utf-8-sig")))
    assert only["what"] == "rejected Alpha version 2"


def test_history_is_for_coordinators(client, session, world):
    make_history(session, world)
    sign_in(client, world.member.email)
    assert client.get("/platforms/steel/history").status_code == 403
    assert client.get("/platforms/steel/history.csv").status_code == 403


def test_non_finite_numbers_refused_in_the_other_number_fields(client, session, world):
    """The KPI actual, a pathway milestone and the platform's coverage share: NaN and
    infinities are refused with a message, nothing stored, never a server error."""
    kpi = factories.KpiFactory(platform_id=world.platform.id)
    session.commit()
    sign_in(client, world.coordinator.email)
    actual = client.post(
        "/platforms/steel/kpis/actuals",
        data={"csrf_token": token(client), "kpi_id": kpi.id, "year": "2024", "value": "nan"},
    )
    assert actual.status_code == 422
    assert "Not a finite number." in actual.get_data(as_text=True)
    editor = client.get("/platforms/steel/pathways/new").get_data(as_text=True)
    sent = form_fields(editor, containing="scenario")
    sent["rows-0-intensity"] = "inf"
    pathway = client.post("/platforms/steel/pathways/new", data={**sent, "save": "Save"})
    assert pathway.status_code == 422
    assert "Not a finite number." in pathway.get_data(as_text=True)
    settings = form_fields(
        client.get("/platforms/steel/edit").get_data(as_text=True), containing="slug"
    )
    edited = client.post("/platforms/steel/edit", data={**settings, "coverage_target": "-inf"})
    assert edited.status_code == 422
    assert "Not a finite number." in edited.get_data(as_text=True)
    assert entries(session) == []
