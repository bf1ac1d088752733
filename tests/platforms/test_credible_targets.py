"""Company targets judged on the platform's page, and the stage-3 gate counting only aligned,
third-party verified ones.

Against the world's "Test 1.5" (S = 2.0, 1.0, 0.0 in 2020, 2030, 2050), T(2030) = C(b) / 2:
Alpha C(b) = 2.5, T(2030) = 1.25, plan C(2030) = 1.5; Delta C(b) = 1.5, T(2030) = 0.75, plan
C(2030) = 300 / 300 = 1.0. Reported activity: Alpha 100 t, Delta 300 t (2020).
"""

from __future__ import annotations

import re

import pytest

from roadmap.companies import queries as company_queries
from roadmap.platforms import queries as platform_queries
from roadmap.submissions import operations as submission_operations
from tests import factories
from tests.domain.helpers import trajectories
from tests.world import World, sign_in


@pytest.fixture
def committed(session, world: World):  # type: ignore[no-untyped-def]
    submission_operations.create_submissions(
        trajectories(), platform=world.platform, source="seed", status="accepted", session=session
    )
    world.platform.stage = 3
    session.add(world.platform)
    delta = company_queries.company_named("Delta", session=session)
    on = {"platform_id": world.platform.id, "target_year": 2030}
    # Aligned (1.2 <= 1.25) and verified: counts.
    factories.CompanyTargetFactory(
        **on, company_id=world.alpha.id, value=1.2, validation="third-party verified"
    )
    # SBTi-validated but 0.9 > 0.75: not aligned, does not count.
    factories.CompanyTargetFactory(
        **on, company_id=delta.id, value=0.9, validation="SBTi-validated"
    )
    # Half of Delta's 450 t over 300 t = 0.75 <= 0.75: aligned, but self-declared.
    factories.CompanyTargetFactory(
        **on, company_id=delta.id, kind="absolute reduction", value=0.5, validation="self-declared"
    )
    # Beyond the scenario's last year: cannot be judged.
    factories.CompanyTargetFactory(
        platform_id=world.platform.id,
        company_id=world.alpha.id,
        target_year=2055,
        validation="SBTi-validated",
    )
    session.commit()
    return world


def test_the_gate_counts_only_aligned_verified_targets(session, committed):
    view = platform_queries.platform_view(
        committed.platform, session=session, default_scenario="Test 1.5"
    )
    judged = {
        (name, t.target_year, t.kind): view.credibility.assessments[t.id]["assessment"]
        for t, name in view.targets
    }
    assert judged == {
        ("Alpha", 2030, "intensity"): "aligned",
        ("Alpha", 2055, "intensity"): "cannot assess",
        ("Delta", 2030, "intensity"): "not aligned",
        ("Delta", 2030, "absolute reduction"): "aligned",
    }
    # Only Alpha's target counts: 100 t of 400 t.
    assert (view.facts.targets, view.facts.credible_targets) == (4, 1)
    assert view.facts.commitment_coverage == pytest.approx(0.25)
    assert not platform_queries.checklist(view)[0].met


def test_a_verified_aligned_target_for_the_larger_company_meets_the_gate(session, committed):
    delta = company_queries.company_named("Delta", session=session)
    factories.CompanyTargetFactory(
        platform_id=committed.platform.id,
        company_id=delta.id,
        target_year=2030,
        value=0.7,  # <= 0.75
        validation="third-party verified",
    )
    session.commit()
    view = platform_queries.platform_view(
        committed.platform, session=session, default_scenario="Test 1.5"
    )
    assert view.facts.commitment_coverage == pytest.approx(1.0)
    assert platform_queries.checklist(view)[0].met


def test_the_platform_roadmap_is_what_targets_are_judged_against(session, committed):
    """A published roadmap 2.0 (2020) -> 1.5 (2030) -> 0.0 (2050) makes Alpha's T(2030) =
    2.5 * 1.5 / 2.0 = 1.875: its 1.2 stays aligned; Delta's T(2030) = 1.5 * 0.75 = 1.125, so
    its 0.9 is now aligned too (but SBTi-validated and aligned: it counts)."""
    pathway = factories.RoadmapPathwayFactory(platform_id=committed.platform.id, scenario="Ours")
    for year, intensity in [(2020, 2.0), (2030, 1.5), (2050, 0.0)]:
        factories.RoadmapMilestoneFactory(pathway_id=pathway.id, year=year, intensity=intensity)
    session.commit()
    view = platform_queries.platform_view(
        committed.platform, session=session, default_scenario="Test 1.5"
    )
    assert view.credibility.scenario == "Ours (platform roadmap)"
    sda = {
        (name, t.kind): view.credibility.assessments[t.id]["sda_target"]
        for t, name in view.targets
        if t.target_year == 2030
    }
    assert sda[("Alpha", "intensity")] == pytest.approx(1.875)
    assert sda[("Delta", "intensity")] == pytest.approx(1.125)
    assert view.facts.commitment_coverage == pytest.approx(1.0)


def test_coordinators_see_each_targets_assessment(client, session, committed):
    sign_in(client, committed.coordinator.email)
    html = re.sub(r"\s+", " ", client.get("/platforms/steel").get_data(as_text=True))
    assert "against its company's own SDA target under Test 1.5" in html
    # Alpha 2030: SDA target 1.25, plan 1.5, say-do 1.2 - 1.5 = -0.3 (-20.0 %); intensities
    # read to 3 significant digits.
    assert (
        '<td class="num">1.25</td><td class="num">1.50</td> <td>aligned</td> '
        '<td class="num">-0.300 (-20.0%)</td> <td>self-reported</td> <td>yes</td>'
    ) in html
    # Delta 2030 at 0.9: SDA target 0.75, plan 1.0, say-do -0.1 (-10.0 %); not counted.
    assert (
        '<td class="num">0.750</td><td class="num">1.00</td> <td>not aligned</td> '
        '<td class="num">-0.100 (-10.0%)</td> <td>self-reported</td> <td>no</td>'
    ) in html
    # Delta's absolute cut: 0.75 as an intensity, say-do 0.75 - 1.0 = -0.25 (-25.0 %).
    assert "aligned (as an intensity: 0.750)" in html
    assert '<td class="num">-0.250 (-25.0%)</td>' in html
    assert "cannot assess: 2055 lies outside Alpha&#39;s reconciled years (2020-2050)" in html
    assert (
        "Aligned, third-party verified company targets cover 50% of the platform&#39;s "
        "activity: 25% (1 of 4 targets aligned"
    ) in html


def test_others_see_no_company_s_assessment(client, session, committed):
    sign_in(client, committed.member.email)
    html = client.get("/platforms/steel").get_data(as_text=True)
    assert "4 company target(s) recorded; those aligned with their company's SDA target" in html
    assert "cover 25.0% of the platform's reported activity" in html
    assert "Say-do gap" not in html and "Delta" not in html


def test_the_domain_knows_the_tables_words():
    """The pure engine cannot import the tables; it spells their words the same."""
    from roadmap import models
    from roadmap.domain import commitments

    assert commitments.VALIDATIONS == models.VALIDATIONS
    assert commitments.ASSURANCE_LEVELS == models.ASSURANCE_LEVELS
