"""The platform dashboard kept between requests (roadmap.reconciliation.kept): built once per
change of its data and viewer scope, changed by every change of what it shows for those who
may see the change and for no one else, and never shared across scopes."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

import pytest

from roadmap.accounts import operations as account_operations
from roadmap.companies import operations as company_operations
from roadmap.db import get_session
from roadmap.models import Platform, Submission, User
from roadmap.platforms import operations as platform_operations
from roadmap.reconciliation import kept
from roadmap.sectors import operations as sector_operations
from roadmap.submissions import operations, round_operations
from tests.domain.helpers import PATHWAYS, TRAJECTORY_HEADER, pathways, trajectories
from tests.factories import bind
from tests.formdata import form_fields
from tests.world import PASSWORD, csrf_token, make_world, sign_in

URL = "/platforms/steel/dashboard"


def _rows(name: str, emissions_2020: int) -> str:
    return (
        f"{name},Steel,Global,S1S2,2020,100,t Steel,{emissions_2020},t CO2e,reported\n"
        f"{name},Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned\n"
        f"{name},Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned\n"
    )


def _submit(app, world, names, status="accepted"):  # type: ignore[no-untyped-def]
    """Version n + 1 of each company in ``names``, stored with ``status``; their ids."""
    text = TRAJECTORY_HEADER + "\n" + "".join(_rows(name, 250) for name in names)
    with _writing(app) as session:
        made = operations.create_submissions(
            trajectories(text),
            platform=session.get(Platform, world.platform.id),
            source="seed",
            status=status,
            session=session,
        )
        return [m.id for m in made]


def _open_round(session, platform):  # type: ignore[no-untyped-def]
    return round_operations.open_round(
        platform,
        name="2026 disclosure",
        reported_up_to=2025,
        plan_to=2050,
        opens_on=date(2026, 3, 1),
        deadline=date(2026, 6, 30),
        user=None,
        session=session,
    )


@contextmanager
def _writing(app):  # type: ignore[no-untyped-def]
    """A session of its own app context, as a request or command has (requests in a test
    that holds an app context would share its ``g``: its signed-in user, its CSRF token);
    committed at the end."""
    with app.app_context():
        session = get_session()
        bind(session)
        try:
            yield session
            session.commit()
        finally:
            bind(None)


@pytest.fixture
def published(app):  # type: ignore[no-untyped-def]
    """The web tests' world, and Alpha, Bravo, Charlie and Delta stored as accepted: published
    in the Initial round."""
    with _writing(app) as session:
        world = make_world(session)
    _submit(app, world, ["Alpha", "Bravo", "Charlie", "Delta"])
    return world


def _client(app, email=None):  # type: ignore[no-untyped-def]
    client = app.test_client()
    if email:
        sign_in(client, email)
    return client


def _page(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get(URL)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _reconciled(page: str) -> int | None:
    """The number of companies the page says are reconciled (the coverage section)."""
    found = re.search(r"(\d+) companies' accepted submissions are reconciled", page)
    return int(found.group(1)) if found else None


def _bravo_member(app) -> str:  # type: ignore[no-untyped-def]
    with _writing(app) as session:
        bravo = company_operations.get_or_create_company("Bravo", session=session)
        account_operations.create_user(
            session=session,
            email="member@bravo.example",
            password=PASSWORD,
            role="company",
            company_id=bravo.id,
        )
    return "member@bravo.example"


def test_a_warm_dashboard_is_built_once_until_the_data_changes(app, published, monkeypatch):
    built = []
    original = kept.platform_dashboard
    monkeypatch.setattr(
        kept, "platform_dashboard", lambda *a, **k: built.append(1) or original(*a, **k)
    )
    anonymous = _client(app)
    coordinator = _client(app, published.coordinator.email)
    for _ in range(3):
        _page(anonymous)
        _page(coordinator)
    assert len(built) == 2  # one board per scope: the published one and the live one
    # Another coordinator of the platform shares the live board; other filters make their own.
    with _writing(app) as session:
        account_operations.create_user(
            session=session,
            email="coord2@example.org",
            password=PASSWORD,
            role="coordinator",
            platform_ids=[published.platform.id],
        )
    _page(_client(app, "coord2@example.org"))
    assert len(built) == 2
    assert coordinator.get(URL + "?start=2030").status_code == 200
    assert len(built) == 3
    # Stored as accepted straight away: the Initial round publishes it for everyone.
    _submit(app, published, ["Echo"])
    assert (_reconciled(_page(coordinator)), _reconciled(_page(anonymous))) == (5, 5)
    assert len(built) == 5


def test_an_accepted_submission_changes_the_live_view_only(app, published):
    anonymous = _client(app)
    coordinator = _client(app, published.coordinator.email)
    member = _client(app, published.member.email)
    assert [_reconciled(_page(c)) for c in (anonymous, coordinator, member)] == [4, 4, 4]
    (echo,) = _submit(app, published, ["Echo"], status="pending")
    assert _reconciled(_page(coordinator)) == 4  # pending: not yet in the figures
    page = coordinator.get(f"/submissions/{echo}").get_data(as_text=True)
    accepted = coordinator.post(
        f"/submissions/{echo}/review",
        data={"csrf_token": csrf_token(page), "decision": "accept"},
    )
    assert accepted.status_code == 302
    live = _page(coordinator)
    assert _reconciled(live) == 5 and "Echo" in live
    # Everyone else reads the last publication: the same four companies as before.
    for client in (anonymous, member):
        page = _page(client)
        assert _reconciled(page) == 4 and "Echo" not in page


def test_a_published_round_changes_everyones_view(app, published):
    anonymous = _client(app)
    member = _client(app, published.member.email)
    assert (_reconciled(_page(anonymous)), _reconciled(_page(member))) == (4, 4)
    with _writing(app) as session:
        round_id = _open_round(session, session.get(Platform, published.platform.id)).id
    pending = _submit(app, published, ["Echo", "Foxtrot", "Golf"], status="pending")
    with _writing(app) as session:
        reviewer = session.get(User, published.coordinator.id)
        for made in pending:
            operations.decide(
                session.get(Submission, made),
                decision="accept",
                message="",
                reviewer=reviewer,
                session=session,
            )
    assert (_reconciled(_page(anonymous)), _reconciled(_page(member))) == (4, 4)
    coordinator = _client(app, published.coordinator.email)
    assert _reconciled(_page(coordinator)) == 7
    token = csrf_token(coordinator.get("/platforms/steel/rounds").get_data(as_text=True))
    done = coordinator.post(
        f"/platforms/steel/rounds/{round_id}/publish", data={"csrf_token": token}
    )
    assert done.status_code == 302
    assert (_reconciled(_page(anonymous)), _reconciled(_page(member))) == (7, 7)


def test_an_edited_record_changes_the_dashboard_for_everyone(app, published):
    with _writing(app) as session:
        kpi = platform_operations.create_kpi(
            session.get(Platform, published.platform.id),
            name="Near-zero primary steel",
            unit="Mt",
            direction="increase",
            targets={2030: 20.0},
            user=None,
            session=session,
        ).id
    anonymous = _client(app)
    coordinator = _client(app, published.coordinator.email)
    for client in (anonymous, coordinator):
        page = _page(client)
        assert "Near-zero primary steel" in page and "17.25" not in page
    form = coordinator.get("/platforms/steel").get_data(as_text=True)
    recorded = coordinator.post(
        "/platforms/steel/kpis/actuals",
        data={"csrf_token": csrf_token(form), "kpi_id": kpi, "year": 2025, "value": "17.25"},
    )
    assert recorded.status_code == 302
    for client in (anonymous, coordinator):
        assert "17.25" in _page(client)


def test_a_member_is_never_served_the_coordinators_board(app, published):
    coordinator = _client(app, published.coordinator.email)
    named = _page(coordinator)
    assert all(name in named for name in ("Alpha", "Bravo", "Charlie", "Delta"))
    alpha = _page(_client(app, published.member.email))
    assert "Alpha" in alpha
    assert not any(name in alpha for name in ("Bravo", "Charlie", "Delta"))
    # Members of two companies each see their own company, not the other's.
    bravo = _page(_client(app, _bravo_member(app)))
    assert "Bravo" in bravo and "Alpha" not in bravo
    # And the anonymous view, asked last, names no one.
    public = _page(_client(app))
    assert not any(name in public for name in ("Alpha", "Bravo", "Charlie", "Delta"))


def test_a_kept_page_carries_each_requests_nonce(app, published):
    client = _client(app)
    for _ in range(2):
        response = client.get(URL)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
        assert nonce
        scripts = re.findall(r'<script nonce="([^"]+)"', response.get_data(as_text=True))
        assert scripts and set(scripts) == {nonce.group(1)}


def test_a_new_pathway_and_a_platform_edit_change_the_dashboard(app, published):
    anonymous = _client(app)
    coordinator = _client(app, published.coordinator.email)
    for client in (anonymous, coordinator):
        assert "Test 1.5 (copy)" not in _page(client)
    with _writing(app) as session:
        sector_operations.import_pathways(
            pathways(PATHWAYS.replace("Test 1.5", "Test 1.5 (copy)")), session=session
        )
    for client in (anonymous, coordinator):
        assert '<option value="Test 1.5 (copy)"' in _page(client)
    form = coordinator.get("/platforms/steel/edit").get_data(as_text=True)
    edited = coordinator.post(
        "/platforms/steel/edit",
        data=form_fields(form, containing="name") | {"name": "Steel renamed"},
    )
    assert edited.status_code == 302
    for client in (anonymous, coordinator):
        assert "<h1>Steel renamed: where each company stands</h1>" in _page(client)
