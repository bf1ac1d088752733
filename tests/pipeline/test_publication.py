"""Confidential projects over time (roadmap.pipeline.numbers): those who may not see a project
count it only as the platform's last published round saw it, and only where at least three
companies they cannot see make up those projects; a total read before and after a company adds
a confidential project never changes between publications."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from roadmap.accounts.access import Viewer
from roadmap.models import Project
from roadmap.pipeline.numbers import platform_pipeline, publish_projects
from tests import factories
from tests.pipeline.conftest import Pipeline


def _publish(pipeline: Pipeline, session, day: int) -> None:  # type: ignore[no-untyped-def]
    round_ = factories.ReportingRoundFactory(
        platform_id=pipeline.world.platform.id,
        status="published",
        published_at=datetime(2026, 7, day, tzinfo=UTC),
    )
    publish_projects(round_, session=session)
    session.commit()


def _member(pipeline: Pipeline) -> Viewer:
    return Viewer(pipeline.world.member.id, "company", company_id=pipeline.world.alpha.id)


def _capacity_mt(pipeline: Pipeline, viewer: Viewer, session) -> float | None:  # type: ignore[no-untyped-def]
    counted = platform_pipeline(pipeline.world.platform, viewer, session=session)
    if counted.withheld:
        return None
    return round(sum(p.numbers.capacity for p in counted.projects) / 1e6, 9)


def _secret(pipeline: Pipeline, company: str, capacity: float) -> None:
    factories.ProjectFactory(
        platform_id=pipeline.world.platform.id,
        company_id=factories.CompanyFactory(name=company).id,
        name=f"{company} secret",
        capacity=capacity,
        is_public=False,
    )


def test_confidential_projects_count_as_published_and_only_in_groups_of_three(
    session, pipeline: Pipeline
) -> None:
    member = _member(pipeline)
    # Nothing published: the member counts the public projects (2 + 2 + 1 + 4 = 9 Mt).
    assert _capacity_mt(pipeline, member, session) == 9.0
    # Published with Beta's secret plant alone: one company the member cannot see, withheld.
    _publish(pipeline, session, 1)
    counted = platform_pipeline(pipeline.world.platform, member, session=session)
    assert (counted.withheld, counted.unseen_companies) == (True, 1)
    # Delta and Epsilon add confidential plants (0.5 and 0.25 Mt): not counted until published.
    _secret(pipeline, "Delta", 0.5)
    _secret(pipeline, "Epsilon", 0.25)
    session.commit()
    assert platform_pipeline(pipeline.world.platform, member, session=session).withheld
    # Published: three unseen companies, 9 + 3 + 0.5 + 0.25 = 12.75 Mt.
    _publish(pipeline, session, 2)
    assert _capacity_mt(pipeline, member, session) == 12.75
    counted = platform_pipeline(pipeline.world.platform, member, session=session)
    assert counted.published_at is not None
    assert counted.published_at.date() == date(2026, 7, 2)
    # Another confidential plant after the publication changes nothing the member reads.
    _secret(pipeline, "Zeta", 7.0)
    session.commit()
    assert _capacity_mt(pipeline, member, session) == 12.75
    # The coordinators read every project as it stands: 12.75 + 7 = 19.75 Mt.
    world = pipeline.world
    coordinating = Viewer(
        world.coordinator.id, "coordinator", coordinated=frozenset({world.platform.id})
    )
    assert _capacity_mt(pipeline, coordinating, session) == 19.75


def test_a_project_made_public_since_counts_as_it_stands(session, pipeline: Pipeline) -> None:

    for name, capacity in (("Delta", 0.5), ("Epsilon", 0.25)):
        _secret(pipeline, name, capacity)
    session.commit()
    _publish(pipeline, session, 1)
    secret = session.exec(select(Project).where(Project.name == "Beta secret")).one()
    secret.is_public = True
    secret.capacity = 3.5
    session.commit()
    # Beta's plant now public at 3.5 Mt, counted once, as it stands: 9 + 3.5 + 0.5 + 0.25.
    # Two companies left unseen (Delta, Epsilon): withheld by the small-group rule.
    counted = platform_pipeline(pipeline.world.platform, _member(pipeline), session=session)
    assert (counted.withheld, counted.unseen_companies) == (True, 2)
    # What the member counts: the public projects only, Beta's as it stands now.
    assert sorted(p.numbers.capacity / 1e6 for p in counted.projects) == [1.0, 2.0, 2.0, 3.5, 4.0]
