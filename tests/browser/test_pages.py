"""Every main page, as the account that uses it, at laptop (1280 px) and phone (390 px) width:
axe-core finds no serious or critical accessibility violation and the page never scrolls
sideways (a wide table or the heat map scrolls inside its own box); and the consultant's
journey. One browser serves the whole session (pytest-playwright); a failing test leaves a
screenshot in test-results/."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlmodel import select

from roadmap import seed
from roadmap.config import Defaults
from roadmap.models import Company, Need, ProviderMember, Sector, Submission

pytestmark = pytest.mark.browser
PASSWORD = seed.DEMO_PASSWORD
WIDTHS = {"laptop": (1280, 800), "phone": (390, 844)}
SERIOUS = {"serious", "critical"}
WAIT = 20_000  # ms: plotly.js (3.5 MB) and its re-draws are slow on a busy shared machine
AXE = Axe()
SCROLLERS_REACHABLE = """() => Array
    .from(document.querySelectorAll('main table, main .table-scroll'))
    .every(b => b.scrollWidth <= b.clientWidth + 1 || getComputedStyle(b).overflowX !== 'auto'
                || b.hasAttribute('tabindex'))"""


@pytest.fixture(params=sorted(WIDTHS))
def width(request: pytest.FixtureRequest, page: Page) -> str:
    """The page at laptop or phone width."""
    w, h = WIDTHS[request.param]
    page.set_viewport_size({"width": w, "height": h})
    return str(request.param)


@pytest.fixture
def demo(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The demo data; the ids the pages' addresses need."""
    seed.seed(Path(Defaults.DATA_DIR), session=session)
    session.commit()
    northwind = session.exec(
        select(Company).where(Company.name == "Northwind Steel (fictional)")
    ).one()
    submission = session.exec(
        select(Submission).where(Submission.company_id == northwind.id)
    ).first()
    glass = session.exec(select(Sector).where(Sector.name == "Glass")).one()
    need = session.exec(select(Need).where(Need.company_id == northwind.id)).one()
    provider = session.exec(select(ProviderMember.provider_id)).one()
    return {
        "northwind": northwind.id,
        "submission": submission.id,
        "glass": glass.id,
        "need": need.id,
        "provider": provider,
    }


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(email)).to_be_visible()


def problems_of(page: Page, url: str) -> list[str]:
    """What is wrong with the page at ``url`` as shown: its serious or critical axe
    violations (rule, and where) and a page wider than the screen."""
    response = page.goto(url)
    assert response is not None
    found = [] if response.ok else [f"answered {response.status}"]
    # Charts draw after the page loads; wait for each to have its SVG.
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".every(el => el.querySelector('.main-svg'))"
    )
    # The charts' tables (their text alternative) are checked too: open every <details>.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    # narrow.js gives each box that now scrolls sideways a keyboard stop; let it catch up
    # (where it does not, axe says so below).
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(SCROLLERS_REACHABLE, timeout=3000)
    wide = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    if wide["scroll"] > wide["inner"]:
        culprits = page.evaluate(
            "w => Array.from(document.querySelectorAll('body *'))"
            ".filter(el => el.getBoundingClientRect().right > w + 1)"
            ".slice(0, 5).map(el => el.tagName + '.' + el.className + '#' + el.id)",
            wide["inner"],
        )
        found.append(f"page is {wide['scroll']} px wide on a {wide['inner']} px screen: {culprits}")
    results = AXE.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(f"axe {violation['id']} ({violation['impact']}): {targets}")
    return [f"{url}: {p}" for p in found]


def main_pages(demo: dict[str, int]) -> dict[str | None, list[str]]:
    """Every main page, under the account (None: signed out) that uses it."""
    company, submission = demo["northwind"], demo["submission"]
    return {
        None: [
            "/",
            "/platforms/",
            "/platforms/steel",
            "/platforms/steel/dashboard",
            "/auth/login",
            "/sectors/",
            f"/sectors/{demo['glass']}",
            "/platforms/glass/dashboard",
            "/platforms/steel/pipeline",
            "/overview",
            "/providers/?order=random",
            f"/providers/{demo['provider']}",
        ],
        "coordinator.steel@example.org": [
            "/platforms/steel",
            "/platforms/steel/dashboard",
            f"/companies/{company}",
            f"/submissions/{submission}",
            "/platforms/steel/edit",
            "/platforms/steel/pathways/new",
            "/platforms/steel/pipeline",
        ],
        "member@northwind.example.org": [
            "/companies/",
            f"/companies/{company}",
            f"/companies/{company}/submissions/new",
            f"/companies/{company}/submissions/upload",
            "/platforms/steel/dashboard",
            "/account/tokens",
            "/needs/new",
            f"/needs/{demo['need']}",
        ],
        "consultant@example.org": [
            "/benchmark/",
            "/benchmark/?platform=steel&company=Northwind+Steel+(fictional)",
            f"/companies/{company}",
            "/needs/",
            f"/needs/{demo['need']}",
            f"/providers/{demo['provider']}",
            f"/providers/{demo['provider']}/history",
            "/providers/new",
        ],
        "admin@example.org": ["/admin/users", "/platforms/new", "/sectors/new"],
    }


def test_every_main_page_is_accessible_and_fits_the_screen(
    page: Page, width: str, live_server: str, demo: dict[str, int]
) -> None:
    """One walk per width (the demo data seeded once): each account signs in and opens its
    pages; every problem of every page is reported at once."""
    problems: list[str] = []
    for email, paths in main_pages(demo).items():
        page.context.clear_cookies()
        if email:
            sign_in(page, live_server, email)
        for path in paths:
            problems += [
                f"{email or 'signed out'} {p}" for p in problems_of(page, live_server + path)
            ]
    assert not problems, "\n".join(problems)


def test_consultant_journey(page: Page, width: str, live_server: str, demo: dict[str, int]) -> None:
    """From the menu to the benchmark, which opens on steel (where the client, Northwind, has
    data, though Aluminium comes first by name), to a comparison, to the client's page.
    Northwind's 2024 (its latest reported year) is under its SDA target: aligned."""
    sign_in(page, live_server, "consultant@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Benchmark").click()
    page.wait_for_url(re.compile(r"/benchmark/$"))
    expect(page.get_by_label("Platform")).to_have_value("steel", timeout=WAIT)
    clients = page.get_by_role("table", name=re.compile("Each company at its latest"))
    northwind = clients.get_by_role("row", name=re.compile("Northwind Steel"))
    expect(northwind).to_contain_text("Steel (demo platform)")
    expect(northwind).to_contain_text("aligned")
    page.get_by_label("Northwind Steel (fictional)").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"company=Northwind"))
    page.wait_for_function(
        "document.querySelector('#chart-benchmark') && "
        "document.querySelector('#chart-benchmark').querySelector('.main-svg')"
    )
    names = page.evaluate("document.getElementById('chart-benchmark').data.map(t => t.name)")
    assert "Northwind Steel (fictional)" in names
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    clients.get_by_role("link", name="Northwind Steel (fictional)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northwind Steel (fictional)")
    assert f"/companies/{demo['northwind']}" in page.url


def test_charts_fit_a_phone_and_come_back_on_a_laptop(
    page: Page, live_server: str, demo: dict[str, int]
) -> None:
    """Turning a laptop-width dashboard into a phone-width one: each chart's title is written
    above it as text (it wraps), the legend sits below the plot and its axis titles, the heat
    map scrolls in its own box; back at laptop width the charts are as drawn."""
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, "coordinator.steel@example.org")
    page.goto(f"{live_server}/platforms/steel/dashboard")
    chart = page.locator("#chart-trajectories")
    expect(chart.locator(".gtitle")).to_contain_text("Company intensities", timeout=WAIT)
    expect(page.locator("p.chart-title")).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    title = page.locator("figure[data-chart=trajectories] p.chart-title")
    # A resize re-draws every chart: on a busy machine that takes a while.
    expect(title).to_have_text(re.compile("^Company intensities against"), timeout=WAIT)
    expect(chart.locator(".gtitle")).to_have_count(0, timeout=WAIT)
    page.wait_for_function(
        "() => { const el = document.getElementById('chart-trajectories');"
        " return el._fullLayout.legend.orientation === 'h'"
        " && el._fullLayout.height > el._roadmapWide.height; }"
    )
    legend = chart.locator(".legend").bounding_box()
    axis_title = chart.locator(".xtitle").bounding_box()
    plot = chart.locator(".main-svg").first.bounding_box()
    assert legend and axis_title and plot
    assert legend["y"] >= axis_title["y"] + axis_title["height"]  # below, never over
    assert legend["x"] >= plot["x"] and legend["x"] + legend["width"] <= plot["x"] + 390
    heat = page.locator("figure[data-chart=heatmap] .chart-frame")
    assert heat.evaluate("el => el.scrollWidth > el.clientWidth")  # scrolls on its own
    expect(heat).to_have_attribute("tabindex", "0", timeout=WAIT)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator("p.chart-title")).to_have_count(0, timeout=WAIT)
    expect(chart.locator(".gtitle")).to_contain_text("Company intensities", timeout=WAIT)
    expect(heat).not_to_have_attribute("tabindex", "0", timeout=WAIT)
