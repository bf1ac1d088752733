"""A steel platform of four companies, all accepted and published in its Initial round, for
the what-if tests: Alpha (the member's own; helpers.COMPANIES: activity 100 t, emissions 250,
205, 150, 50 t in 2020, 2025, 2030, 2050) and three peers on their SDA target in 2030."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from roadmap.accounts import operations as account_operations
from roadmap.models import Submission, User
from roadmap.submissions import operations as submission_operations
from tests.domain import helpers
from tests.world import PASSWORD, World

# Peers: C(b) = 2.0, so T(t) = 2.0 * S(t) / 2.0 = S(t); T(2030) = 1.0 = C(2030): no gap in
# 2030 (fair share 100 t, emissions 100 t); in 2025 E = 150, T = S(2025) = 1.5: no gap either.
PEERS = "".join(
    f"{name},Steel,Global,S1S2,2020,100,t Steel,200,t CO2e,reported\n"
    f"{name},Steel,Global,S1S2,2030,100,t Steel,100,t CO2e,planned\n"
    f"{name},Steel,Global,S1S2,2050,100,t Steel,0,t CO2e,planned\n"
    for name in ("Beta", "Gamma", "Delta")
)
ALPHA = "\n".join(helpers.COMPANIES.splitlines()[:5]) + "\n"


@dataclass
class Plans:
    world: World
    alpha_v1: Submission
    consultant: User
    stranger: User


@pytest.fixture
def plans(session, world: World) -> Plans:  # type: ignore[no-untyped-def]
    created = submission_operations.create_submissions(
        helpers.trajectories(ALPHA + PEERS),
        platform=world.platform,
        source="seed",
        status="accepted",
        session=session,
    )
    alpha_v1 = next(s for s in created if s.company_id == world.alpha.id)
    consultant = account_operations.create_user(
        session=session, email="consultant@example.org", password=PASSWORD, role="consultant"
    )
    stranger = account_operations.create_user(
        session=session, email="stranger@example.org", password=PASSWORD, role="consultant"
    )
    account_operations.grant_consultant(
        world.alpha.id, consultant, granted_by=world.member, session=session
    )
    session.commit()
    return Plans(world, alpha_v1, consultant, stranger)
