"""A name typed with markup shows as typed in a drawn chart: a roadmap pathway named
"<b>Bold</b> & Co" is neither bold nor a link in the legend or the hover, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.factories import RoadmapMilestoneFactory, RoadmapPathwayFactory

pytestmark = pytest.mark.browser
BOLD = "<b>Bold</b> & Co"


@pytest.fixture
def bold_pathway(session, world) -> int:  # type: ignore[no-untyped-def]
    pathway = RoadmapPathwayFactory(platform_id=world.platform.id, scenario=BOLD)
    for year, intensity in ((2020, 2.0), (2030, 1.0), (2050, 0.1)):
        RoadmapMilestoneFactory(pathway_id=pathway.id, year=year, intensity=intensity)
    session.commit()
    return pathway.id


def test_a_name_with_markup_shows_as_typed(page: Page, live_server: str, bold_pathway: int):
    page.goto(f"{live_server}/platforms/steel")
    chart = f"#pathway-{bold_pathway}"
    page.wait_for_function(
        "s => { const el = document.querySelector(s); return el && el._fullData && "
        "el.querySelector('.legendtext'); }",
        arg=chart,
    )
    legend = page.locator(f"{chart} .legendtext").first
    assert legend.text_content() == BOLD
    # Plotly draws <b> as a bold tspan and <a> as an svg link; neither is there.
    assert page.locator(f"{chart} .legendtext tspan[style*='bold']").count() == 0
    assert page.locator(f"{chart} .main-svg a").count() == 0
    # The hover names the pathway and its unit by reference: as typed, too.
    page.evaluate(
        "s => Plotly.Fx.hover(document.querySelector(s), [{curveNumber: 0, pointNumber: 1}])",
        chart,
    )
    hover = page.locator(f"{chart} .hovertext").first.text_content()
    assert hover == f"{BOLD}, 2030: 1.00 t CO2e/(t Steel)"
