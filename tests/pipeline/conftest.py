"""A steel platform's pipeline, worked on paper (capacities in Mt Steel per year):

  Alpha  "Alpha H2"     public, operating since 2024 (construction 2022), 2.0
  Alpha  "Alpha line 2" public, construction since 2025, starts 2027, 2.0
  Beta   "Beta DRI"     public, final investment decision 2026, starts 2029, 1.0
  Gamma  "Gamma hub"    public, announced 2025, starts 2033, 4.0
  Beta   "Beta secret"  confidential, announced 2025, starts 2030, 3.0

Weights (defaults): operating 1, construction 0.9, FID 0.8, announced 0.1. Projected capacity
for a visitor (public projects): 2030: 2.0 + 1.8 + 0.8 = 4.6; 2035: 4.6 + 0.4 = 5.0. For the
coordinators (all): 2030: 4.6 + 0.3 = 4.9; 2035: 5.3.

KPIs: "Near-zero capacity" (Mt Steel, from the pipeline's capacity) targets 2030: 6, 2035: 5;
"Near-zero plants" (plants, operating or under construction) target 2030: 4; "Scrap share" (%,
typed in). Demand: Examplia Motors 1,000,000 t Steel a year 2027-2035 (offtake agreement),
Brightbuild 2 Mt Steel a year 2030-2050 (target share of purchases), and a signal in "t/yr",
which is no amount of steel and is not counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from roadmap.models import Company, Kpi
from roadmap.platforms import operations as platform_operations
from tests import factories
from tests.world import World


@dataclass
class Pipeline:
    world: World
    beta: Company
    capacity_kpi: Kpi
    plants_kpi: Kpi
    typed_kpi: Kpi


@pytest.fixture
def pipeline(session, world: World) -> Pipeline:  # type: ignore[no-untyped-def]
    beta = factories.CompanyFactory(name="Beta")
    gamma = factories.CompanyFactory(name="Gamma")
    steel = world.platform.id
    project = factories.ProjectFactory
    project(
        platform_id=steel,
        company_id=world.alpha.id,
        name="Alpha H2",
        status="operating",
        construction_on=date(2022, 1, 10),
        operating_on=date(2024, 5, 1),
        start_year=2024,
        capacity=2.0,
    )
    project(
        platform_id=steel,
        company_id=world.alpha.id,
        name="Alpha line 2",
        status="construction",
        construction_on=date(2025, 3, 1),
        start_year=2027,
        capacity=2.0,
        technology="scrap EAF",
    )
    project(
        platform_id=steel,
        company_id=beta.id,
        name="Beta DRI",
        status="final investment decision",
        fid_on=date(2026, 1, 10),
        start_year=2029,
        capacity=1.0,
    )
    project(
        platform_id=steel,
        company_id=gamma.id,
        name="Gamma hub",
        status="announced",
        start_year=2033,
        capacity=4.0,
        technology="BF-BOF with CCUS",
    )
    project(
        platform_id=steel,
        company_id=beta.id,
        name="Beta secret",
        status="announced",
        start_year=2030,
        capacity=3.0,
        is_public=False,
    )
    kpi = platform_operations.create_kpi
    capacity = kpi(
        world.platform,
        name="Near-zero capacity",
        unit="Mt Steel",
        direction="increase",
        targets={2030: 6.0, 2035: 5.0},
        source="near-zero capacity operating",
        user=None,
        session=session,
    )
    plants = kpi(
        world.platform,
        name="Near-zero plants",
        unit="plants",
        direction="increase",
        targets={2030: 4.0},
        source="near-zero plants operating or under construction",
        user=None,
        session=session,
    )
    typed = kpi(
        world.platform,
        name="Scrap share",
        unit="%",
        direction="increase",
        targets={2030: 40.0},
        user=None,
        session=session,
    )
    signal = factories.DemandSignalFactory
    signal(
        platform_id=steel,
        buyer="Examplia Motors",
        commitment="offtake agreement",
        volume=1_000_000,
        volume_unit="t Steel",
        year=2027,
        until_year=2035,
    )
    signal(
        platform_id=steel,
        buyer="Brightbuild",
        commitment="target share of purchases",
        volume=2,
        volume_unit="Mt Steel",
        year=2030,
        until_year=2050,
    )
    signal(platform_id=steel, buyer="Old pledge", volume=5, volume_unit="t/yr", year=2030)
    session.commit()
    return Pipeline(world, beta, capacity, plants, typed)


# The project records' world (the projects page, import and API tests).
from tests.pipeline.records_world import Projects, projects  # noqa: E402, F401
