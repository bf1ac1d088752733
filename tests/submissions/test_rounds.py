"""Reporting rounds: opening, closing, which round a version answers, decisions, and the
publication rule (roadmap.submissions.operations and round_queries)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlmodel import select

from roadmap.accounts.access import ANONYMOUS, Viewer
from roadmap.companies.queries import company_named
from roadmap.domain import columns as col
from roadmap.models import ReportingRound
from roadmap.reconciliation.analysis import analyse_platform
from roadmap.submissions import operations, round_operations, round_queries
from roadmap.submissions import queries as submission_queries
from tests import factories
from tests.domain.helpers import TRAJECTORY_HEADER, pathways, trajectories

# Three companies, activity flat. 2020 emissions: Alpha 250, Delta 450, Gamma 100 (sum 800).
START = f"""{TRAJECTORY_HEADER}
Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported
Alpha,Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned
Delta,Steel,Global,S1S2,2020,300,t Steel,450,t CO2e,reported
Delta,Steel,Global,S1S2,2050,300,t Steel,0,t CO2e,planned
Gamma,Steel,Global,S1S2,2020,50,t Steel,100,t CO2e,reported
Gamma,Steel,Global,S1S2,2050,50,t Steel,10,t CO2e,planned
"""
# Each restates its 2020 emissions: Alpha 260, Delta 470, Gamma 120 (sum 850).
RESTATED = {"Alpha": ("250", "260"), "Delta": ("450", "470"), "Gamma": ("100", "120")}


def one(company: str, text: str = START) -> pd.DataFrame:
    lines = [line for line in text.splitlines()[1:] if line.startswith(company)]
    return trajectories("\n".join([TRAJECTORY_HEADER, *lines]) + "\n")


def restated(company: str) -> pd.DataFrame:
    old, new = RESTATED[company]
    return one(
        company,
        START.replace(
            f"2020,{_activity(company)},t Steel,{old},", f"2020,{_activity(company)},t Steel,{new},"
        ),
    )


def _activity(company: str) -> str:
    return {"Alpha": "100", "Delta": "300", "Gamma": "50"}[company]


@pytest.fixture
def steel(session):  # type: ignore[no-untyped-def]
    from roadmap.sectors import operations as sector_operations

    sector_operations.import_pathways(pathways(), session=session)
    sector = sector_operations.get_or_create_sector("Steel", "t CO2e/(t Steel)", session=session)
    platform = factories.PlatformFactory(slug="steel", sector_id=sector.id, is_public=True)
    operations.create_submissions(
        trajectories(START), platform=platform, source="seed", status="accepted", session=session
    )
    session.commit()
    return platform


def open_2026(platform, session, **changes):  # type: ignore[no-untyped-def]
    fields = {
        "name": "2026 disclosure",
        "reported_up_to": 2025,
        "plan_to": 2050,
        "opens_on": date(2026, 3, 1),
        "deadline": date(2026, 6, 30),
    }
    return round_operations.open_round(platform, **(fields | changes), user=None, session=session)


def submit(platform, frame, session):  # type: ignore[no-untyped-def]
    (made,) = operations.create_submissions(
        frame, platform=platform, source="form", session=session
    )
    return made


def test_seeded_figures_are_published_in_an_initial_round(session, steel):
    (initial,) = round_queries.rounds(steel.id, session=session)
    assert (initial.name, initial.status) == ("Initial", "published")
    published = submission_queries.accepted_trajectories(steel, session=session, published=True)
    assert sorted(set(published[col.COMPANY])) == ["Alpha", "Delta", "Gamma"]


def test_one_open_round_at_a_time_with_a_name_of_its_own(session, steel):
    open_2026(steel, session)
    with pytest.raises(operations.Refused, match="2026 disclosure is still open"):
        open_2026(steel, session, name="Another")
    with pytest.raises(operations.Refused, match="plan must reach beyond"):
        open_2026(steel, session, name="Bad", plan_to=2025)


def test_a_version_joins_the_open_round_and_a_resubmission_the_round_that_asked(session, steel):
    round_ = open_2026(steel, session)
    first = submit(steel, restated("Alpha"), session)
    assert first.round_id == round_.id
    coordinator = factories.UserFactory(role="coordinator")
    operations.decide(
        first,
        decision="request_changes",
        message="2020 looks high",
        reviewer=coordinator,
        session=session,
    )
    round_operations.close_round(round_, session=session)
    # Closed, not published: the member asked for changes still answers the same round.
    again = submit(steel, restated("Alpha"), session)
    assert again.round_id == round_.id
    # Anyone else, with no round open, answers none.
    assert submit(steel, restated("Delta"), session).round_id is None


def test_a_decided_version_is_not_decided_again(session, steel):
    round_ = open_2026(steel, session)
    made = submit(steel, restated("Alpha"), session)
    reviewer = factories.UserFactory(role="coordinator", email="cora@example.org")
    with pytest.raises(operations.Refused, match="Say what the member should change"):
        operations.decide(
            made, decision="request_changes", message=" ", reviewer=reviewer, session=session
        )
    operations.decide(made, decision="accept", message="", reviewer=reviewer, session=session)
    with pytest.raises(operations.AlreadyDecided, match="already decided by cora@example.org"):
        operations.decide(made, decision="reject", message="no", reviewer=reviewer, session=session)
    assert made.status == "accepted"
    progress = {p.company.name: p for p in round_queries.round_progress(round_, session=session)}
    assert progress["Alpha"].status == "accepted" and progress["Alpha"].counted.id == made.id
    assert progress["Delta"].status == "not started" and progress["Delta"].counted is None


def emissions_2020(viewer: Viewer, platform, session) -> list[float]:  # type: ignore[no-untyped-def]
    totals = analyse_platform(
        platform, scenario="Test 1.5", viewer=viewer, session=session
    ).aggregate
    return totals.loc[totals[col.YEAR] == 2020, col.EMISSIONS].tolist()


def test_publication_needs_three_changed_companies_and_only_then_do_others_see_them(session, steel):
    """The signed-out visitor reads 250 + 450 + 100 = 800 t in 2020 until the round is
    published, then 260 + 470 + 120 = 850 t; the coordinator reads live figures at once:
    260 + 470 + 100 = 830 t with two restatements accepted."""
    coordinator = factories.UserFactory(role="coordinator")
    factories.PlatformCoordinatorFactory(user_id=coordinator.id, platform_id=steel.id)
    coordinating = Viewer(coordinator.id, "coordinator", coordinated=frozenset({steel.id}))
    round_ = open_2026(steel, session)
    assert emissions_2020(ANONYMOUS, steel, session) == [800.0]
    for company in ("Alpha", "Delta"):
        made = submit(steel, restated(company), session)
        operations.decide(
            made, decision="accept", message="", reviewer=coordinator, session=session
        )
    session.commit()
    # Live for the coordinator, published for the visitor; two changed companies cannot be
    # published.
    assert emissions_2020(coordinating, steel, session) == [830.0]
    assert emissions_2020(ANONYMOUS, steel, session) == [800.0]
    with pytest.raises(operations.Refused, match="Only 2 companies' accepted figures differ"):
        round_operations.publish_round(round_, user=coordinator, session=session)
    session.rollback()
    gamma = submit(steel, restated("Gamma"), session)
    operations.decide(gamma, decision="accept", message="", reviewer=coordinator, session=session)
    session.commit()
    assert emissions_2020(coordinating, steel, session) == [850.0]
    assert emissions_2020(ANONYMOUS, steel, session) == [800.0]  # not published yet
    changed = round_operations.publish_round(round_, user=coordinator, session=session)
    session.commit()
    assert changed == ["Alpha", "Delta", "Gamma"]
    assert (round_.status, round_.published_by_id) == ("published", coordinator.id)
    assert emissions_2020(ANONYMOUS, steel, session) == [850.0]
    assert submission_queries.unpublished_changes(steel, session=session) == []
    # Nothing changed since: the next round cannot be published.
    again = open_2026(steel, session, name="2027 disclosure")
    with pytest.raises(operations.Refused, match="No company's accepted figures differ"):
        round_operations.publish_round(again, user=coordinator, session=session)


def test_coordinators_are_told_of_unpublished_changes(session, steel):
    coordinator = factories.UserFactory(role="coordinator")
    open_2026(steel, session)
    made = submit(steel, restated("Alpha"), session)
    operations.decide(made, decision="accept", message="", reviewer=coordinator, session=session)
    session.commit()
    (note,) = submission_queries.unpublished_changes(steel, session=session)
    assert note.startswith(
        "Unpublished changes: 1 company's accepted figures differ from the last "
        "publication (Initial, "
    )


def test_a_new_version_with_the_same_figures_is_no_unpublished_change(session, steel):
    """A new version whose figures equal the published ones is new rows, not a change; one
    company restating 2020 and one resubmitting as it was make one company's change."""
    coordinator = factories.UserFactory(role="coordinator")
    open_2026(steel, session)
    for made in (submit(steel, one("Delta"), session), submit(steel, restated("Gamma"), session)):
        operations.decide(
            made, decision="accept", message="", reviewer=coordinator, session=session
        )
    session.commit()
    (note,) = submission_queries.unpublished_changes(steel, session=session)
    assert note.startswith("Unpublished changes: 1 company's accepted figures differ")
    made = submit(steel, one("Gamma"), session)  # back to the published figures
    operations.decide(made, decision="accept", message="", reviewer=coordinator, session=session)
    session.commit()
    assert submission_queries.unpublished_changes(steel, session=session) == []


def test_a_member_reads_its_own_live_rows_and_the_published_totals(session, steel):
    alpha = company_named("Alpha", session=session)
    member = Viewer(1, "company", company_id=alpha.id)
    coordinator = factories.UserFactory(role="coordinator")
    open_2026(steel, session)
    made = submit(steel, restated("Alpha"), session)
    operations.decide(made, decision="accept", message="", reviewer=coordinator, session=session)
    session.commit()
    result = analyse_platform(steel, scenario="Test 1.5", viewer=member, session=session)
    own_2020 = result.results.loc[result.results[col.YEAR] == 2020, col.EMISSIONS].tolist()
    assert own_2020 == [260.0]  # its own accepted version, live
    # Totals are the published ones (250 + 450 + 100), over the same three companies; with
    # its own row subtracted two peers would remain, so they are withheld from the member.
    assert result.aggregate.empty


def test_disclosure_names_company_signatories_only_once_published(session, steel):
    from roadmap.models import Signatory

    for name in ("Alpha", "Delta", "Omega"):
        session.add(
            Signatory(
                platform_id=steel.id, organisation=name, kind="company", joined_on=date(2024, 1, 1)
            )
        )
    session.add(
        Signatory(
            platform_id=steel.id,
            organisation="A ministry",
            kind="government",
            joined_on=date(2024, 1, 1),
        )
    )
    round_ = open_2026(steel, session)
    coordinator = factories.UserFactory(role="coordinator")
    for company in ("Alpha", "Gamma"):
        made = submit(steel, restated(company), session)
        operations.decide(
            made, decision="accept", message="", reviewer=coordinator, session=session
        )
    assert round_queries.disclosure(round_, session=session) == []  # open: nothing yet
    delta = submit(steel, restated("Delta"), session)
    operations.decide(delta, decision="accept", message="", reviewer=coordinator, session=session)
    round_operations.publish_round(round_, user=coordinator, session=session)
    assert [
        (d.organisation, d.disclosed) for d in round_queries.disclosure(round_, session=session)
    ] == [
        ("Alpha", True),
        ("Delta", True),
        ("Omega", False),  # a signatory that never disclosed: "no disclosure"
    ]


def edit(round_, session, **changes):  # type: ignore[no-untyped-def]
    fields = {
        "name": round_.name,
        "reported_up_to": round_.reported_up_to,
        "plan_to": round_.plan_to,
        "opens_on": round_.opens_on,
        "deadline": round_.deadline,
    }
    return round_operations.edit_round(
        round_, round_operations.RoundRequest(**(fields | changes)), user=None, session=session
    )


def _round_history(session) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    from roadmap.models import HistoryEntry

    entries = session.exec(
        select(HistoryEntry).where(HistoryEntry.kind == "round").order_by(HistoryEntry.id)
    ).all()
    return [(e.what, e.detail) for e in entries]


def test_an_open_round_is_edited_and_the_history_keeps_old_and_new(session, steel):
    round_ = open_2026(steel, session)
    assert edit(round_, session) == []  # nothing changed, nothing recorded
    changed = edit(
        round_,
        session,
        name=" 2026 disclosure (steel) ",
        reported_up_to=2024,
        deadline=date(2026, 7, 15),
    )
    assert changed == ["name", "reported_up_to", "deadline"]
    assert (round_.name, round_.reported_up_to, round_.deadline) == (
        "2026 disclosure (steel)",
        2024,
        date(2026, 7, 15),
    )
    assert _round_history(session)[-1] == (
        "edited round 2026 disclosure",
        "name: 2026 disclosure -> 2026 disclosure (steel)\n"
        "reported_up_to: 2025 -> 2024\n"
        "deadline: 2026-06-30 -> 2026-07-15",
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "a round needs a name"),
        ({"name": "Initial"}, r"already has a round named Initial\."),
        ({"plan_to": 2025}, r"The plan must reach beyond the last reported year \(2025\)\."),
        ({"deadline": date(2026, 2, 28)}, r"cannot come before the opening \(2026-03-01\)"),
    ],
)
def test_an_edit_is_checked_as_an_opening_is_and_changes_nothing(session, steel, changes, message):
    round_ = open_2026(steel, session)
    session.commit()
    with pytest.raises(operations.Refused, match=message):
        edit(round_, session, **changes)
    session.rollback()
    stored = session.get(ReportingRound, round_.id)
    assert (stored.name, stored.plan_to, stored.deadline) == (
        "2026 disclosure",
        2050,
        date(2026, 6, 30),
    )


def test_a_closed_round_is_reopened_but_not_edited(session, steel):
    round_ = open_2026(steel, session)
    round_operations.close_round(round_, session=session)
    with pytest.raises(operations.Refused, match="2026 disclosure is closed; only an open round"):
        edit(round_, session, name="Renamed")
    round_operations.reopen_round(round_, user=None, session=session)
    assert (round_.status, round_.closed_at) == ("open", None)
    assert _round_history(session)[-1] == (
        "reopened round 2026 disclosure",
        "status: closed -> open",
    )
    with pytest.raises(operations.Refused, match="already open"):
        round_operations.reopen_round(round_, user=None, session=session)
    # Reopened, it takes versions again.
    assert submit(steel, restated("Alpha"), session).round_id == round_.id


def test_a_closed_round_is_not_reopened_while_another_is_open(session, steel):
    first = open_2026(steel, session)
    round_operations.close_round(first, session=session)
    open_2026(steel, session, name="2026 supplement")
    with pytest.raises(operations.Refused, match="2026 supplement is still open on"):
        round_operations.reopen_round(first, user=None, session=session)
    assert first.status == "closed"


def test_a_published_round_is_final(session, steel):
    (initial,) = round_queries.rounds(steel.id, session=session)
    for attempt in (
        lambda: round_operations.reopen_round(initial, user=None, session=session),
        lambda: edit(initial, session, name="Renamed"),
    ):
        with pytest.raises(operations.Refused, match="Initial is published, and .* is final"):
            attempt()
    assert (initial.status, initial.name) == ("published", "Initial")
