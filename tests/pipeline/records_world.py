"""The project records' world: a steel platform's projects for the page, import and API
tests. Alpha (the world's member's company) has a public plant and a confidential one; Beta a
public and a confidential one. A consultant is granted Alpha, Beta has a member of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from roadmap.accounts import operations as account_operations
from roadmap.models import Company, Project, User
from tests import factories
from tests.world import PASSWORD, World, make_world


@dataclass
class Projects:
    world: World
    beta: Company
    beta_member: User
    consultant: User
    alpha_public: Project
    alpha_secret: Project
    beta_public: Project
    beta_secret: Project


@pytest.fixture
def projects(session) -> Projects:  # type: ignore[no-untyped-def]
    world = make_world(session)
    beta = factories.CompanyFactory(name="Beta")
    make = factories.ProjectFactory
    on = {"platform_id": world.platform.id}
    alpha_public = make(
        **on,
        company_id=world.alpha.id,
        name="Lulea H2",
        status="operating",
        announced_on=date(2020, 1, 15),
        operating_on=date(2024, 6, 1),
        start_year=2024,
        capacity=1.5,
        country="Sweden",
    )
    alpha_secret = make(
        **on,
        company_id=world.alpha.id,
        name="Alpha secret line",
        technology="scrap EAF",
        status="construction",
        announced_on=date(2024, 9, 1),
        construction_on=date(2025, 2, 1),
        start_year=2028,
        capacity=800,
        capacity_unit="kt Steel",
        country="Germany",
        is_public=False,
    )
    beta_public = make(
        **on, company_id=beta.id, name="Beta open", start_year=2032, capacity=2, country="Spain"
    )
    beta_secret = make(
        **on,
        company_id=beta.id,
        name="Beta hidden furnace",
        technology="BF-BOF with CCUS",
        start_year=2030,
        capacity=3,
        country="Spain",
        is_public=False,
    )
    beta_member = account_operations.create_user(
        session=session,
        email="member@beta.example",
        password=PASSWORD,
        role="company",
        company_id=beta.id,
    )
    consultant = account_operations.create_user(
        session=session, email="consultant@example.org", password=PASSWORD, role="consultant"
    )
    account_operations.grant_consultant(
        world.alpha.id, consultant, granted_by=world.member, session=session
    )
    session.commit()
    return Projects(
        world, beta, beta_member, consultant, alpha_public, alpha_secret, beta_public, beta_secret
    )
