"""Needs without HTTP: who may post them, who reads them (the poster's side, and the keepers of
listings that match by stage and sector), anonymity until an accepted answer, answers, the
poster's decision and the consultant access it may start."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from roadmap.models import ConsultantGrant, Need
from roadmap.providers import operations, queries
from tests.providers.conftest import Market

TODAY = date(2026, 12, 2)


def post(market: Market, session, user=None, **changes) -> Need:  # type: ignore[no-untyped-def]
    user = user or market.alpha_member
    values = {
        "title": "A 2035 target",
        "service": "target setting",
        "sector_id": market.steel.id,
        "poster": f"company:{market.alpha.id}",
        "needed_by": date(2027, 3, 31),
    }
    values.update(changes)
    need = operations.post_need(
        operations.NeedSpec(**values),
        user=user,
        viewer=market.viewer(user, session),
        session=session,
        today=TODAY,
    )
    session.commit()
    return need


def readers(market: Market, need: Need, session) -> set[str]:  # type: ignore[no-untyped-def]
    everyone = [
        market.admin,
        market.alpha_member,
        market.beta_member,
        market.coordinator,
        market.north_keeper,
        market.kiln_keeper,
        market.capital_keeper,
        market.outsider,
    ]
    return {
        u.email
        for u in everyone
        if queries.need_row(need.id, market.viewer(u, session), session=session) is not None
    }


def test_a_companys_need_is_read_by_its_side_and_matching_keepers_only(market, session):
    need = post(market, session)
    # Northbridge sets targets in Steel; Kilnworks models Glass roadmaps; Capital finances
    # (stage 4): only Northbridge's keeper is a provider that may answer.
    assert readers(market, need, session) == {
        "admin@example.org",
        "member@alpha.example",
        "north@example.org",
    }


def test_a_stage_match_counts_and_a_sector_of_every_sector_too(market, session):
    # Labelling is stage 4, as Capital's financing blueprints (offered in every sector).
    need = post(market, session, service="labelling", sector_id=market.glass.id)
    assert readers(market, need, session) == {
        "admin@example.org",
        "member@alpha.example",
        "capital@example.org",
    }
    matches = queries.matching_providers(need, session=session)
    assert [(m.row.provider.name, m.exact) for m in matches] == [("Capital Facility", False)]


def test_a_platforms_need_is_read_by_its_coordinators(market, session):
    need = post(
        market,
        session,
        user=market.coordinator,
        poster=f"platform:{market.platform.id}",
        sector_id=None,  # the platform's sector
        service="vision facilitation",
    )
    assert need.sector_id == market.steel.id
    assert readers(market, need, session) == {
        "admin@example.org",
        "coord@example.org",
        "north@example.org",  # vision facilitation in every sector
    }
    row = queries.need_row(need.id, market.viewer(market.north_keeper, session), session=session)
    assert row is not None and row.poster == "Steel platform (platform)"


def test_a_closed_need_is_read_only_by_keepers_who_answered(market, session):
    need = post(market, session)
    operations.close_need(need, "met", session=session)
    session.commit()
    assert readers(market, need, session) == {"admin@example.org", "member@alpha.example"}
    operations.reopen_need(need, session=session)
    answer_as(market, need, session)
    operations.close_need(need, "withdrawn", session=session)
    session.commit()
    assert "north@example.org" in readers(market, need, session)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "say in a few words what support is needed"),
        ({"service": "lobbying"}, "service", "choose one of: vision facilitation"),
        ({"needed_by": date(2026, 12, 1)}, "needed_by", "a date from today (2026-12-02) on"),
        ({"sector_id": 10**9}, "sector", "choose the sector"),
        ({"poster": "company:999999"}, "poster", "post for your own company or a platform"),
        ({"poster": "platform:x"}, "poster", "post for your own company or a platform"),
    ],
)
def test_a_need_that_breaks_a_rule_is_refused_by_field(market, session, changes, field, message):
    with pytest.raises(operations.Refused) as refused:
        post(market, session, **changes)
    session.rollback()
    assert any(f == field and m.startswith(message) for f, m in refused.value.problems)
    assert session.exec(select(Need)).all() == []


def test_a_member_posts_only_for_their_company(market, session):
    with pytest.raises(operations.Refused, match="poster: post for your own company"):
        post(market, session, poster=f"company:{market.beta.id}")
    session.rollback()
    with pytest.raises(operations.Refused, match="anonymous: only a company's need"):
        post(
            market,
            session,
            user=market.coordinator,
            poster=f"platform:{market.platform.id}",
            anonymous=True,
        )


def answer_as(market: Market, need: Need, session, keeper=None, provider=None):  # type: ignore[no-untyped-def]
    keeper = keeper or market.north_keeper
    provider = provider or market.northbridge
    answer = operations.answer_need(
        need,
        provider.id,
        "We can start in January.",
        user=keeper,
        viewer=market.viewer(keeper, session),
        session=session,
    )
    session.commit()
    return answer


def test_only_a_matching_listing_answers_once(market, session):
    need = post(market, session)
    for keeper, provider in [
        (market.kiln_keeper, market.kilnworks),  # roadmap modelling in Glass: no match
        (market.north_keeper, market.kilnworks),  # not a listing they keep
    ]:
        with pytest.raises(operations.Refused, match="provider: choose a listing you keep"):
            answer_as(market, need, session, keeper, provider)
        session.rollback()
    answer_as(market, need, session)
    with pytest.raises(operations.Refused, match="has not answered"):
        answer_as(market, need, session)


def test_providers_never_read_each_others_answers(market, session):
    need = post(market, session, service="financing blueprints")
    # Northbridge adds a stage-4 offer so that two listings may answer.
    operations.add_offer(market.northbridge, "research", market.steel.id, by=None, session=session)
    session.commit()
    answer_as(market, need, session)
    answer_as(market, need, session, market.capital_keeper, market.capital)
    by = {
        user.email: [
            a.provider.name
            for a in queries.answer_rows(need, market.viewer(user, session), session=session)
        ]
        for user in (market.alpha_member, market.north_keeper, market.capital_keeper)
    }
    assert by == {
        "member@alpha.example": ["Northbridge", "Capital Facility"],
        "north@example.org": ["Northbridge"],
        "capital@example.org": ["Capital Facility"],
    }


def test_an_anonymous_need_names_the_company_once_an_answer_is_accepted(market, session):
    need = post(market, session, anonymous=True)
    keeper = market.viewer(market.north_keeper, session)
    row = queries.need_row(need.id, keeper, session=session)
    assert row is not None
    assert (row.poster, row.company) == ("A company in Steel (name withheld)", "")
    own = queries.need_row(need.id, market.viewer(market.alpha_member, session), session=session)
    assert own is not None and own.poster == "Alpha"
    answer = answer_as(market, need, session)
    decide(market, need, answer, session, accept=True)
    row = queries.need_row(need.id, keeper, session=session)
    assert row is not None and (row.poster, row.company) == ("Alpha", "Alpha")


def decide(market, need, answer, session, *, accept, grant=False, user=None):  # type: ignore[no-untyped-def]
    user = user or market.alpha_member
    decision = operations.decide_answer(
        need,
        answer,
        accept=accept,
        grant_access=grant,
        user=user,
        viewer=market.viewer(user, session),
        session=session,
    )
    session.commit()
    return decision


def grants(session) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return [
        (g.company_id, g.consultant_id)
        for g in session.exec(select(ConsultantGrant).where(ConsultantGrant.revoked_at.is_(None)))
    ]


def test_accepting_an_answer_can_start_the_consultants_read_access(market, session):
    need = post(market, session)
    answer = answer_as(market, need, session)
    before = market.viewer(market.north_keeper, session)
    assert market.alpha.id not in before.granted
    decision = decide(market, need, answer, session, accept=True, grant=True)
    assert decision.answer.status == "accepted" and decision.grant is not None
    assert grants(session) == [(market.alpha.id, market.north_keeper.id)]
    assert market.alpha.id in market.viewer(market.north_keeper, session).granted
    # A decision is made once.
    with pytest.raises(operations.Refused, match="answer: this answer was accepted already"):
        decide(market, need, answer, session, accept=False)


def test_a_declined_answer_gives_no_access(market, session):
    need = post(market, session)
    answer = answer_as(market, need, session)
    # The box ticked by mistake: declining gives nothing.
    decision = decide(market, need, answer, session, accept=False, grant=True)
    assert decision.answer.status == "declined" and decision.grant is None
    assert grants(session) == []


def test_a_coordinator_accepts_for_a_platform_but_gives_no_company_access(market, session):
    need = post(
        market,
        session,
        user=market.coordinator,
        poster=f"platform:{market.platform.id}",
        service="vision facilitation",
    )
    answer = answer_as(market, need, session)
    coordinator = market.viewer(market.coordinator, session)
    assert operations.grantable_consultant(need, answer, coordinator, session=session) is None
    with pytest.raises(operations.Refused, match="grant_access"):
        decide(market, need, answer, session, accept=True, grant=True, user=market.coordinator)
    session.rollback()
    decision = decide(market, need, answer, session, accept=True, user=market.coordinator)
    assert decision.answer.status == "accepted" and grants(session) == []
