"""A platform's projects as the numbers each viewer counts (roadmap.pipeline.numbers):
capacities in the sector's activity unit per year, every project for the coordinators, the
projects they may see in detail for everyone else."""

from __future__ import annotations

import pytest

from roadmap.accounts.access import ANONYMOUS, Viewer
from roadmap.models import Company
from roadmap.pipeline.numbers import activity_unit, platform_pipeline
from tests import factories
from tests.world import World


@pytest.fixture
def projects(session, world: World) -> dict[str, Company]:  # type: ignore[no-untyped-def]
    """Alpha: a public plant of 1.5 Mt Steel operating since 2024 and a confidential one of
    800 kt at construction; Beta: a confidential plant of 2 Mt announced for 2030."""
    beta = factories.CompanyFactory(name="Beta")
    make = factories.ProjectFactory
    make(
        platform_id=world.platform.id,
        company_id=world.alpha.id,
        name="Lulea H2",
        status="operating",
        operating_on=None,
        start_year=2024,
        capacity=1.5,
        capacity_unit="Mt Steel",
    )
    make(
        platform_id=world.platform.id,
        company_id=world.alpha.id,
        name="Second line",
        status="construction",
        start_year=2028,
        capacity=800,
        capacity_unit="kt Steel",
        is_public=False,
    )
    make(
        platform_id=world.platform.id,
        company_id=beta.id,
        name="Beta DRI",
        start_year=2030,
        capacity=2,
        capacity_unit="Mt Steel",
        is_public=False,
    )
    session.commit()
    return {"alpha": world.alpha, "beta": beta}


def _capacities(world: World, viewer: Viewer, session) -> list[float]:  # type: ignore[no-untyped-def]
    counted = platform_pipeline(world.platform, viewer, session=session)
    assert counted.unit == "t Steel"
    return sorted(p.numbers.capacity for p in counted.projects)


def test_the_activity_unit_is_read_off_the_sectors_intensity_unit(world: World) -> None:
    assert activity_unit(world.platform) == "t Steel"


def test_coordinators_count_every_project_in_tonnes(session, world: World, projects) -> None:
    coordinating = Viewer(
        world.coordinator.id, "coordinator", coordinated=frozenset({world.platform.id})
    )
    # 800 kt = 800,000 t; 1.5 Mt = 1,500,000 t; 2 Mt = 2,000,000 t.
    assert _capacities(world, coordinating, session) == [800_000.0, 1_500_000.0, 2_000_000.0]


def test_a_member_counts_the_public_and_its_own(session, world: World, projects) -> None:
    member = Viewer(world.member.id, "company", company_id=world.alpha.id)
    assert _capacities(world, member, session) == [800_000.0, 1_500_000.0]


def test_a_visitor_counts_the_public_projects_only(session, world: World, projects) -> None:
    assert _capacities(world, ANONYMOUS, session) == [1_500_000.0]
