"""Reads of platforms: the overview and the board, one platform's four stages and its gate facts,
its records, and the published scenarios its roadmap is drawn against
(roadmap.platforms.queries)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from roadmap.accounts.access import ANONYMOUS, Viewer
from roadmap.companies import queries as company_queries
from roadmap.domain.stages import PlatformFacts
from roadmap.models import Kpi, Platform, RoadmapMilestone, Signatory
from roadmap.platforms import queries as platform_queries
from roadmap.submissions import operations as submission_operations
from tests import factories
from tests.domain.helpers import trajectories

ADMIN = Viewer(user_id=1, role="admin")


def milestones(pathway, years: list[int]) -> None:  # type: ignore[no-untyped-def]
    for n, year in enumerate(years):
        factories.RoadmapMilestoneFactory(pathway_id=pathway.id, year=year, intensity=2.0 - n / 10)


def test_overview_counts_each_company_once_over_its_versions_and_is_scoped(session):
    sector = factories.SectorFactory(name="Cement")
    public = factories.PlatformFactory(name="Open", sector_id=sector.id, is_public=True, stage=1)
    private = factories.PlatformFactory(name="Closed", sector_id=sector.id, stage=3)
    empty = factories.PlatformFactory(name="Empty", sector_id=sector.id, is_public=True, stage=1)
    x, y = factories.CompanyFactory(), factories.CompanyFactory()
    for company, version, status in [(x, 1, "accepted"), (x, 2, "pending"), (y, 1, "rejected")]:
        factories.SubmissionFactory(
            company_id=company.id, platform_id=public.id, version=version, status=status
        )
    factories.SubmissionFactory(company_id=x.id, platform_id=private.id)
    counted = [
        (o.platform.name, o.sector, o.companies)
        for o in platform_queries.platform_overview(session=session, viewer=ADMIN)
    ]
    # By stage, highest first, then by name; every submitter counts, whatever its status.
    assert counted == [("Closed", "Cement", 1), ("Empty", "Cement", 0), ("Open", "Cement", 2)]
    anonymous = platform_queries.platform_overview(session=session, viewer=ANONYMOUS)
    assert [o.platform.id for o in anonymous] == [empty.id, public.id]


def test_the_board_groups_visible_platforms_by_stage_with_what_each_card_shows(session):
    sector = factories.SectorFactory(name="Steel")
    ready = factories.PlatformFactory(
        name="Zinc", sector_id=sector.id, is_public=True, vision="Net zero", net_zero_year=2050
    )
    for _ in range(3):
        factories.SignatoryFactory(platform_id=ready.id)
    young = factories.PlatformFactory(name="Alum", sector_id=sector.id, is_public=True)
    factories.SignatoryFactory(platform_id=young.id)
    factories.SubmissionFactory(platform_id=young.id)
    factories.SubmissionFactory(platform_id=young.id)
    metrics = factories.PlatformFactory(name="Glass", sector_id=sector.id, stage=2, is_public=True)
    factories.PlatformFactory(name="Paper", sector_id=sector.id, stage=4, is_public=True)
    hidden = factories.PlatformFactory(name="Secret", sector_id=sector.id, stage=2)
    board = platform_queries.board(viewer=ANONYMOUS, session=session)
    shown = {
        stage: [(c.platform.name, c.signatories, c.companies, c.met, c.criteria) for c in cards]
        for stage, cards in board.items()
    }
    assert shown == {
        # Stage 1's gate: vision, net-zero year, three signatories.
        1: [("Alum", 1, 2, 0, 3), ("Zinc", 3, 0, 3, 3)],
        # Stage 2's gate: a complete published pathway, a KPI with targets.
        2: [("Glass", 0, 0, 0, 2)],
        3: [],
        4: [("Paper", 0, 0, 0, 0)],  # the final stage has no gate
    }
    assert hidden.id not in {c.platform.id for c in board[2]}
    assert [c.platform.id for c in platform_queries.board(viewer=ADMIN, session=session)[2]] == [
        metrics.id,
        hidden.id,
    ]


@pytest.fixture
def gathered(session):  # type: ignore[no-untyped-def]
    """A stage-3 platform with some of everything, and a neighbour whose records must not
    count."""
    sector = factories.SectorFactory(name="Steel")
    platform = factories.PlatformFactory(
        name="Steel", sector_id=sector.id, stage=3, vision="Near-zero steel", net_zero_year=2050
    )
    neighbour = factories.PlatformFactory(sector_id=sector.id)
    for joined in (date(2024, 3, 1), date(2024, 1, 1), date(2024, 2, 1)):
        factories.SignatoryFactory(platform_id=platform.id, joined_on=joined)
    factories.SignatoryFactory(platform_id=neighbour.id)
    complete = factories.RoadmapPathwayFactory(
        platform_id=platform.id, base_year=2020, target_year=2030, published=True
    )
    milestones(complete, [2020, 2025, 2030])
    draft = factories.RoadmapPathwayFactory(
        platform_id=platform.id, base_year=2020, target_year=2030, published=False
    )
    milestones(draft, [2020, 2025, 2030])
    gap = factories.RoadmapPathwayFactory(
        platform_id=platform.id, base_year=2020, target_year=2030, published=True
    )
    milestones(gap, [2020, 2030])  # 2025 missing
    share = factories.KpiFactory(platform_id=platform.id, name="Near-zero share")
    factories.KpiValueFactory(kpi_id=share.id, year=2035, value=30.0, is_target=True)
    factories.KpiValueFactory(kpi_id=share.id, year=2030, value=10.0, is_target=True)
    factories.KpiValueFactory(kpi_id=share.id, year=2025, value=2.5, is_target=False)
    untargeted = factories.KpiFactory(platform_id=platform.id, name="Hydrogen use")
    factories.KpiValueFactory(kpi_id=untargeted.id, year=2025, value=1.0, is_target=False)
    # Alpha reports 100 t in 2020, Delta 300 t: a target for Alpha covers 100 / 400.
    submission_operations.create_submissions(
        trajectories(), platform=platform, source="seed", status="accepted", session=session
    )
    # A pending Delta version with far more activity is not yet the platform's.
    submission_operations.create_submissions(
        trajectories().assign(activity=900.0).query("company == 'Delta'"),
        platform=platform,
        source="seed",
        session=session,
    )
    alpha = company_queries.company_named("Alpha", session=session)
    factories.CompanyTargetFactory(platform_id=platform.id, company_id=alpha.id)
    factories.CompanyTargetFactory(platform_id=neighbour.id, company_id=alpha.id)
    factories.DemandSignalFactory(platform_id=platform.id, year=2035)
    factories.DemandSignalFactory(platform_id=platform.id, year=2030)
    factories.PolicyAskFactory(platform_id=platform.id)
    factories.ActionFactory(platform_id=neighbour.id)
    return platform


def test_platform_view_gathers_the_facts_its_gates_look_at(session, gathered):
    view = platform_queries.platform_view(gathered, session=session)
    assert view.facts == PlatformFacts(
        vision="Near-zero steel",
        net_zero_year=2050,
        signatories=3,
        complete_pathways=1,  # the draft is complete but not published; one misses 2025
        kpis_with_targets=1,
        # Alpha's target is self-declared (and the sector has no scenario to judge it
        # against): it does not count, though Alpha has 100 of the 400 t.
        commitment_coverage=0.0,
        coverage_target=0.5,
        demand_signals=2,
        policy_asks=1,
        actions=0,
        targets=1,
        credible_targets=0,
    )
    assert [c.met for c in platform_queries.checklist(view)] == [False, True, True]


def test_platform_view_lists_records_in_their_order(session, gathered):
    view = platform_queries.platform_view(gathered, session=session)
    assert [s.joined_on.month for s in view.signatories] == [1, 2, 3]
    assert [p.complete for p in view.pathways] == [True, True, False]
    assert [[m.year for m in p.milestones] for p in view.pathways] == [
        [2020, 2025, 2030],
        [2020, 2025, 2030],
        [2020, 2030],
    ]
    kpis = {k.kpi.name: (k.targets, k.actuals) for k in view.kpis}
    assert kpis == {
        "Hydrogen use": ({}, {2025: 1.0}),
        "Near-zero share": ({2030: 10.0, 2035: 30.0}, {2025: 2.5}),
    }
    assert [k.kpi.name for k in view.kpis] == ["Hydrogen use", "Near-zero share"]
    assert [name for _, name in view.targets] == ["Alpha"]
    assert [d.year for d in view.demand] == [2030, 2035]


def test_platform_view_history_is_newest_first_naming_who_or_system(session):
    platform = factories.PlatformFactory()
    editor = factories.UserFactory(email="editor@example.org")
    for day, user, what in [(1, editor, "first"), (3, None, "third"), (2, editor, "second")]:
        factories.HistoryEntryFactory(
            platform_id=platform.id,
            user_id=user.id if user else None,
            what=what,
            at=datetime(2025, 1, day, tzinfo=UTC),
        )
    factories.HistoryEntryFactory(what="another platform's")
    view = platform_queries.platform_view(platform, session=session)
    assert [(h.what, who) for h, who in view.history] == [
        ("third", "system"),
        ("second", "editor@example.org"),
        ("first", "editor@example.org"),
    ]


def test_platform_companies_are_those_that_submitted_there_by_name(session):
    platform, other = factories.PlatformFactory(), factories.PlatformFactory()
    for name, where in [("Zeta", platform), ("Beta", platform), ("Mu", other)]:
        company = factories.CompanyFactory(name=name)
        factories.SubmissionFactory(company_id=company.id, platform_id=where.id, status="rejected")
    listed = platform_queries.platform_companies(platform, session=session)
    assert [c.name for c in listed] == ["Beta", "Zeta"]
    assert platform_queries.signatory_count(platform, session=session) == 0
    factories.SignatoryFactory(platform_id=platform.id)
    factories.SignatoryFactory(platform_id=other.id)
    assert platform_queries.signatory_count(platform, session=session) == 1


def test_record_of_refuses_a_record_of_another_platform(session):
    platform, other = factories.PlatformFactory(), factories.PlatformFactory()
    own = factories.SignatoryFactory(platform_id=platform.id)
    theirs = factories.SignatoryFactory(platform_id=other.id)
    kpi = factories.KpiFactory(platform_id=other.id)
    found = platform_queries.record_of(Signatory, platform, own.id, session=session)
    assert found is own
    assert platform_queries.record_of(Signatory, platform, theirs.id, session=session) is None
    assert platform_queries.record_of(Kpi, platform, kpi.id, session=session) is None
    assert platform_queries.record_of(Signatory, platform, 10_000, session=session) is None


def test_record_of_refuses_a_table_that_belongs_to_no_platform(session):
    pathway = factories.RoadmapPathwayFactory()
    milestone = factories.RoadmapMilestoneFactory(pathway_id=pathway.id)
    platform = session.get(Platform, pathway.platform_id)
    found = platform_queries.record_of(RoadmapMilestone, platform, milestone.id, session=session)
    assert found is None


def pathway(sector, scenario: str, region: str, points: dict[int, float], scope="S1S2") -> None:  # type: ignore[no-untyped-def]
    stored = factories.PathwayFactory(
        scenario_id=scenario.id, sector_id=sector.id, region=region, scope=scope
    )
    for year, intensity in points.items():
        factories.PathwayPointFactory(pathway_id=stored.id, year=year, intensity=intensity)


@pytest.mark.parametrize(
    ("region", "regional"),
    [
        ("Europe", [2.0, 0.5]),  # its own region
        ("europe", [2.0, 0.5]),  # spelled otherwise
        ("Africa", [1.8, 0.4]),  # none of its own: Global
    ],
)
def test_references_use_the_platforms_region_else_global(session, region, regional):
    steel, cement = factories.SectorFactory(name="Steel"), factories.SectorFactory(name="Cement")
    both = factories.ScenarioFactory(name="Regional")
    pathway(steel, both, "Europe", {2020: 2.0, 2050: 0.5})
    pathway(steel, both, "Global", {2020: 1.8, 2050: 0.4})
    pathway(steel, factories.ScenarioFactory(name="Global only"), "Global", {2020: 1.9, 2050: 0.1})
    pathway(steel, factories.ScenarioFactory(name="Asia only"), "Asia", {2020: 1.7, 2050: 0.2})
    pathway(steel, factories.ScenarioFactory(name="Wider scope"), "Global", {2020: 3.0}, "S1S2S3")
    pathway(cement, factories.ScenarioFactory(name="Cement"), "Global", {2020: 0.6})
    platform = factories.PlatformFactory(sector_id=steel.id, region=region, scope="S1S2")
    found = platform_queries.references(platform, session=session)
    expected = pd.DataFrame(
        {
            "scenario": ["Global only", "Global only", "Regional", "Regional"],
            "year": [2020, 2050, 2020, 2050],
            "intensity": [1.9, 0.1, *regional],
        }
    )
    pd.testing.assert_frame_equal(found.reset_index(drop=True), expected, check_dtype=False)


def test_references_are_empty_with_their_columns_where_no_scenario_fits(session):
    platform = factories.PlatformFactory(region="Europe")
    found = platform_queries.references(platform, session=session)
    assert found.empty and list(found.columns) == ["scenario", "year", "intensity"]
