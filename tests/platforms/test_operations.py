"""Writes of a platform's four stages, each kept in its history with who and what
(roadmap.platforms.operations)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import SQLModel, select

from roadmap.models import (
    Action,
    CompanyTarget,
    DemandSignal,
    HistoryEntry,
    KpiValue,
    PlatformCoordinator,
    PolicyAsk,
    RoadmapMilestone,
    RoadmapPathway,
    Signatory,
)
from roadmap.platforms import operations as platform_operations
from tests import factories


def history(session, platform) -> list[tuple[int | None, str]]:  # type: ignore[no-untyped-def]
    """(user id, what) of the platform's history entries, oldest first."""
    return [
        (h.user_id, h.what)
        for h in session.exec(
            select(HistoryEntry)
            .where(HistoryEntry.platform_id == platform.id)
            .order_by(HistoryEntry.id)
        ).all()
    ]


@pytest.fixture
def platform(session):  # type: ignore[no-untyped-def]
    return factories.PlatformFactory(name="Steel")


@pytest.fixture
def editor(session):  # type: ignore[no-untyped-def]
    return factories.UserFactory(role="coordinator")


def test_create_platform_starts_in_stage_one_run_by_its_coordinator(session, editor):
    admin = factories.UserFactory(role="admin")
    sector = factories.SectorFactory()
    created = platform_operations.create_platform(
        session=session,
        slug="cement",
        name="Cement",
        sector_id=sector.id,
        user=admin,
        coordinator=editor,
        is_public=True,
    )
    assert (created.stage, created.is_public) == (1, True)
    links = session.exec(select(PlatformCoordinator)).all()
    assert [(link.user_id, link.platform_id) for link in links] == [(editor.id, created.id)]
    assert history(session, created) == [(admin.id, "created the platform (stage 1)")]


# (model, form values, what the history says)
RECORDS: list[tuple[type[SQLModel], dict[str, Any], str]] = [
    (
        Signatory,
        {"organisation": "Acme Steel", "kind": "company", "joined_on": date(2024, 5, 1)},
        "signatory Acme Steel",
    ),
    (
        CompanyTarget,
        {
            "company_id": None,  # filled in by the test
            "target_year": 2035,
            "kind": "intensity",
            "value": 1.1,
            "scope": "S1S2",
            "validation": "self-declared",
        },
        "company target for 2035",
    ),
    (
        DemandSignal,
        {
            "buyer": "Carmaker",
            "product": "green steel",
            "volume": 5.0,
            "volume_unit": "kt",
            "year": 2030,
        },
        "demand signal from Carmaker",
    ),
    (
        PolicyAsk,
        {"rule": "R" * 70, "jurisdiction": "EU", "status": "proposed"},
        "policy ask '" + "R" * 60 + "'",
    ),
    (
        Action,
        {
            "kind": "R&D",
            "title": "DRI pilot",
            "owner": "Consortium",
            "status": "planned",
            "milestone_year": 2030,
        },
        "action 'DRI pilot'",
    ),
]


@pytest.mark.parametrize(
    ("model", "values", "label"), RECORDS, ids=[model.__name__ for model, _, _ in RECORDS]
)
def test_adding_and_removing_a_record_is_kept_in_the_history(
    session, platform, editor, model, values, label
):
    if "company_id" in values:
        values = {**values, "company_id": factories.CompanyFactory().id}
    record = platform_operations.add_record(model, platform, values, user=editor, session=session)
    stored = session.exec(select(model)).all()
    assert stored == [record]
    assert {k: getattr(record, k) for k in values} == values
    platform_operations.delete_record(record, platform, user=editor, session=session)
    assert session.exec(select(model)).all() == []
    assert history(session, platform) == [
        (editor.id, f"added {label}"),
        (editor.id, f"removed {label}"),
    ]


def test_add_record_keeps_only_the_tables_columns_and_always_this_platform(
    session, platform, editor
):
    other = factories.PlatformFactory()
    values = {
        "organisation": "Acme Steel",
        "kind": "company",
        "joined_on": date(2024, 5, 1),
        "platform_id": other.id,  # a form cannot move a record to another platform
        "id": 4242,
        "csrf_token": "not a column",
        "submit": True,
    }
    record = platform_operations.add_record(
        Signatory, platform, values, user=editor, session=session
    )
    assert record.platform_id == platform.id
    assert record.id != 4242
    assert history(session, other) == []


def test_update_platform_records_only_the_fields_that_changed(session, platform, editor):
    assert (platform.vision, platform.net_zero_year) == ("", None)
    changed = platform_operations.update_platform(
        platform,
        {"name": "Steel", "vision": "Near-zero steel", "net_zero_year": 2050, "is_public": False},
        user=editor,
        session=session,
    )
    assert changed == ["vision", "net_zero_year"]
    assert (platform.vision, platform.net_zero_year) == ("Near-zero steel", 2050)
    assert history(session, platform) == [(editor.id, "edited vision, net_zero_year")]


def test_update_platform_without_a_change_adds_no_history(session, platform, editor):
    unchanged = {"name": platform.name, "stage": platform.stage, "region": platform.region}
    assert (
        platform_operations.update_platform(platform, unchanged, user=editor, session=session) == []
    )
    assert history(session, platform) == []


def test_advance_stage_moves_one_stage_and_says_so(session, platform, editor):
    platform_operations.advance_stage(platform, user=editor, session=session)
    platform_operations.advance_stage(platform, user=None, session=session)
    assert platform.stage == 3
    assert history(session, platform) == [
        (editor.id, "advanced to stage 2"),
        (None, "advanced to stage 3"),
    ]


def test_set_action_status_keeps_the_change_and_skips_a_non_change(session, platform, editor):
    action = factories.ActionFactory(platform_id=platform.id, title="DRI pilot", status="planned")
    platform_operations.set_action_status(action, "under way", user=editor, session=session)
    platform_operations.set_action_status(action, "under way", user=editor, session=session)
    platform_operations.set_action_status(action, "done", user=None, session=session)
    assert action.status == "done"
    assert history(session, platform) == [
        (editor.id, "action 'DRI pilot': planned -> under way"),
        (None, "action 'DRI pilot': under way -> done"),
    ]


PATHWAY = {
    "scenario": "Steel roadmap",
    "base_year": 2020,
    "target_year": 2030,
    "intensity_unit": "t CO2e/(t Steel)",
    "activity_unit": "",
    "published": False,
}


def stored_milestones(session) -> list[tuple[int, int, float, float | None]]:  # type: ignore[no-untyped-def]
    return [
        (m.pathway_id, m.year, m.intensity, m.activity)
        for m in session.exec(select(RoadmapMilestone).order_by(RoadmapMilestone.year)).all()
    ]


def test_save_pathway_replaces_the_milestones_rather_than_adding_to_them(session, platform, editor):
    first = [(2020, 2.0, None), (2025, 1.5, None), (2030, 1.0, None)]
    made = platform_operations.save_pathway(
        platform, None, PATHWAY, first, user=editor, session=session
    )
    assert stored_milestones(session) == [(made.id, y, i, a) for y, i, a in first]
    # Same years again with other figures, and 2025 dropped: the old rows go.
    second = [(2020, 2.1, 1000.0), (2030, 0.8, None)]
    saved = platform_operations.save_pathway(
        platform,
        made,
        {**PATHWAY, "scenario": "Steel roadmap v2", "published": True},
        second,
        user=editor,
        session=session,
    )
    assert saved.id == made.id
    assert len(session.exec(select(RoadmapPathway)).all()) == 1
    assert (saved.scenario, saved.published) == ("Steel roadmap v2", True)
    assert stored_milestones(session) == [(made.id, y, i, a) for y, i, a in second]
    assert [m.year for m in saved.milestones] == [2020, 2030]
    assert history(session, platform) == [
        (editor.id, "saved pathway 'Steel roadmap' (3 milestones)"),
        (editor.id, "saved pathway 'Steel roadmap v2' (2 milestones)"),
    ]


def kpi_values(session, kpi) -> list[tuple[int, float, bool]]:  # type: ignore[no-untyped-def]
    return [
        (v.year, v.value, v.is_target)
        for v in session.exec(
            select(KpiValue)
            .where(KpiValue.kpi_id == kpi.id)
            .order_by(KpiValue.is_target, KpiValue.year)
        ).all()
    ]


def test_create_kpi_stores_its_targets_and_says_so(session, platform, editor):
    kpi = platform_operations.create_kpi(
        platform,
        name="Near-zero share",
        unit="%",
        direction="increase",
        targets={2035: 30.0, 2030: 10.0},
        user=editor,
        session=session,
    )
    assert (kpi.platform_id, kpi.unit, kpi.direction) == (platform.id, "%", "increase")
    assert kpi_values(session, kpi) == [(2030, 10.0, True), (2035, 30.0, True)]
    assert history(session, platform) == [(editor.id, "saved KPI 'Near-zero share'")]


def test_record_kpi_actual_corrects_an_existing_actual_rather_than_adding_one(
    session, platform, editor
):
    kpi = platform_operations.create_kpi(
        platform,
        name="Near-zero share",
        unit="%",
        direction="increase",
        targets={2030: 10.0},
        user=None,
        session=session,
    )
    for year, value in [(2025, 2.5), (2025, 3.0), (2030, 9.5)]:
        platform_operations.record_kpi_actual(
            kpi, year, value, platform=platform, user=editor, session=session
        )
    # One actual per year; the 2030 target is left as it was beside the 2030 actual.
    assert kpi_values(session, kpi) == [(2025, 3.0, False), (2030, 9.5, False), (2030, 10.0, True)]
    assert history(session, platform)[1:] == [
        (editor.id, "recorded Near-zero share 2025: 2.5 %"),
        (editor.id, "recorded Near-zero share 2025: 3 %"),
        (editor.id, "recorded Near-zero share 2030: 9.5 %"),
    ]
