"""Setting a platform up from another (roadmap.platforms.copying and /platforms/<slug>/copy):
KPI definitions with or without targets, actions as planned templates, duplicates skipped,
nothing of a platform the coordinator may not see."""

from __future__ import annotations

from datetime import date
from html import unescape

from sqlmodel import select

from roadmap.models import Action, GateCriterion, HistoryEntry, Kpi
from roadmap.platforms import operations as platform_operations
from tests import factories
from tests.world import World, csrf_token, sign_in


def _source(session, world: World, *, public: bool = True):  # type: ignore[no-untyped-def]
    """Cement: KPIs "Clinker ratio" (%, down, 2030: 65) and "Share of scrap" (the name steel
    also uses); actions "Kiln CCUS pilot" (under way, due 2027) and "Label for low-carbon
    cement" (done)."""
    cement = factories.PlatformFactory(slug="cement", name="Cement", is_public=public)
    for name, unit, direction, targets in (
        ("Clinker ratio", "%", "decrease", {2030: 65.0, 2050: 55.0}),
        ("Share of scrap", "%", "increase", {2030: 40.0}),
    ):
        platform_operations.create_kpi(
            cement, name=name, unit=unit, direction=direction, targets=targets,
            user=None, session=session,
        )  # fmt: skip
    factories.ActionFactory(
        platform_id=cement.id, title="Kiln CCUS pilot", status="under way",
        due_on=date(2027, 6, 30), milestone_year=2030,
    )  # fmt: skip
    factories.ActionFactory(
        platform_id=cement.id, title="Label for low-carbon cement", kind="label or standard",
        status="done", milestone_year=2025,
    )  # fmt: skip
    platform_operations.create_kpi(
        world.platform, name="share of SCRAP", unit="%", direction="increase",
        targets={2030: 35.0}, user=None, session=session,
    )  # fmt: skip
    session.commit()
    return cement


def test_the_preview_says_what_is_added_and_skipped(client, session, world: World) -> None:
    _source(session, world)
    sign_in(client, world.coordinator.email)
    html = unescape(client.get("/platforms/steel/copy?source=cement").get_data(as_text=True))
    assert "Clinker ratio (%, better when it goes decrease)" in html
    assert "KPI Share of scrap: Steel has one of that name" in html
    assert "Kiln CCUS pilot" in html


def test_kpis_with_targets_and_actions_as_planned_templates(client, session, world: World) -> None:
    _source(session, world)
    sign_in(client, world.coordinator.email)
    token = csrf_token(client.get("/platforms/steel/copy?source=cement").get_data(as_text=True))
    done = client.post(
        "/platforms/steel/copy",
        data={"csrf_token": token, "source": "cement", "kpis": "y", "targets": "y", "actions": "y"},
    )
    assert done.status_code == 302
    session.expire_all()
    steel = world.platform.id
    kpis = session.exec(select(Kpi).where(Kpi.platform_id == steel).order_by(Kpi.name)).all()
    assert [k.name for k in kpis] == ["Clinker ratio", "share of SCRAP"]  # its own kept
    clinker = kpis[0]
    assert {v.year: v.value for v in clinker.values if v.is_target} == {2030: 65.0, 2050: 55.0}
    actions = session.exec(select(Action).where(Action.platform_id == steel).order_by(Action.id))
    assert [(a.title, a.status, a.due_on, a.milestone_year) for a in actions] == [
        ("Kiln CCUS pilot", "planned", None, 2030),
        ("Label for low-carbon cement", "planned", None, 2025),
    ]
    entry = session.exec(
        select(HistoryEntry).where(HistoryEntry.what == "copied 3 definitions from Cement")
    ).one()
    assert entry.detail == (
        "KPI Clinker ratio\naction Kiln CCUS pilot\naction Label for low-carbon cement"
    )
    # Again: everything is there already.
    token = csrf_token(client.get("/platforms/steel/copy?source=cement").get_data(as_text=True))
    again = client.post(
        "/platforms/steel/copy",
        data={"csrf_token": token, "source": "cement", "kpis": "y", "actions": "y"},
        follow_redirects=True,
    )
    assert "Nothing to copy." in again.get_data(as_text=True)


def test_kpis_without_targets(client, session, world: World) -> None:
    _source(session, world)
    sign_in(client, world.coordinator.email)
    token = csrf_token(client.get("/platforms/steel/copy").get_data(as_text=True))
    client.post(
        "/platforms/steel/copy", data={"csrf_token": token, "source": "cement", "kpis": "y"}
    )
    session.expire_all()
    clinker = session.exec(
        select(Kpi).where(Kpi.platform_id == world.platform.id, Kpi.name == "Clinker ratio")
    ).one()
    assert clinker.values == []
    assert session.exec(select(Action).where(Action.platform_id == world.platform.id)).all() == []


def test_only_coordinators_copy_and_only_from_what_they_see(client, session, world: World) -> None:
    _source(session, world, public=False)
    sign_in(client, world.coordinator.email)
    page = client.get("/platforms/steel/copy?source=cement").get_data(as_text=True)
    assert "Cement" not in page  # not a choice, nothing previewed
    refused = client.post(
        "/platforms/steel/copy",
        data={"csrf_token": csrf_token(page), "source": "cement", "kpis": "y"},
    )
    assert refused.status_code == 422
    client.post("/auth/logout", data={"csrf_token": csrf_token(page)})
    sign_in(client, world.member.email)
    assert client.get("/platforms/steel/copy").status_code == 403


def test_gate_criteria_are_added_ticked_and_copied_unticked(client, session, world: World) -> None:
    cement = _source(session, world)
    factories.PlatformCoordinatorFactory(user_id=world.coordinator.id, platform_id=cement.id)
    session.commit()
    sign_in(client, world.coordinator.email)
    token = csrf_token(client.get("/platforms/cement").get_data(as_text=True))
    added = client.post(
        "/platforms/cement/records/criteria",
        data={"csrf_token": token, "stage": "1", "text": "A charter signed", "evidence": ""},
    )
    assert added.status_code == 302
    page = unescape(client.get("/platforms/cement").get_data(as_text=True))
    assert "A charter signed: not yet" in page
    criterion = session.exec(select(GateCriterion)).one()
    ticked = client.post(
        f"/platforms/cement/records/criteria/{criterion.id}/edit",
        data={
            "csrf_token": token,
            "stage": "1",
            "text": "A charter signed",
            "met": "y",
            "evidence": "https://example.org/charter",
        },
    )
    assert ticked.status_code == 302
    page = unescape(client.get("/platforms/cement").get_data(as_text=True))
    assert "A charter signed: https://example.org/charter" in page
    token = csrf_token(client.get("/platforms/steel/copy?source=cement").get_data(as_text=True))
    client.post(
        "/platforms/steel/copy",
        data={"csrf_token": token, "source": "cement", "criteria": "y"},
    )
    session.expire_all()
    copied = session.exec(
        select(GateCriterion).where(GateCriterion.platform_id == world.platform.id)
    ).one()
    assert (copied.stage, copied.text, copied.met, copied.evidence) == (
        1,
        "A charter signed",
        False,
        "",
    )
