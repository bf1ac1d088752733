"""The dashboards from the demo data in a real browser: the charts draw with the expected
companies' traces, a filter change re-draws them and is kept in the URL, a company member
sees no peer's name anywhere, and charts download as PNG and SVG."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from roadmap import seed
from roadmap.config import Defaults

pytestmark = pytest.mark.browser
PASSWORD = seed.DEMO_PASSWORD
STEEL = [
    "Ashgrove Steelworks (fictional)",
    "Cinderhill Metals (fictional)",
    "Emberfield Steel (fictional)",
    "Forgecombe Steel (fictional)",
    "Ironvale Works (fictional)",
    "Northwind Steel (fictional)",
]
NAMES = re.compile(
    r"[A-Z][a-z]+ (?:Steel|Steelworks|Metals|Works|Cement|Shipping)[a-zA-Z ]*\(fictional\)"
)


@pytest.fixture
def demo(session) -> None:  # type: ignore[no-untyped-def]
    seed.seed(Path(Defaults.DATA_DIR), session=session)
    session.commit()


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(email)).to_be_visible()


def traces(page: Page, chart: str, prefix: str = "") -> list[dict]:
    """The traces plotly.js drew in ``chart`` (waits until it has)."""
    selector = f"#{prefix}chart-{chart}"
    page.wait_for_function(
        "s => { const el = document.querySelector(s); return el && el._fullData && "
        "el.querySelector('.main-svg'); }",
        arg=selector,
    )
    return page.evaluate(
        "s => document.querySelector(s).data.map(t => ({name: t.name, type: t.type, "
        "text: t.text ? Array.from(t.text) : null, width: t.line ? t.line.width : null}))",
        selector,
    )


def test_coordinator_dashboard_draws_every_company_and_follows_filters(
    page: Page, live_server: str, demo: None
) -> None:
    sign_in(page, live_server, "coordinator.steel@example.org")
    page.goto(f"{live_server}/platforms/steel/dashboard")
    drawn = traces(page, "trajectories")
    names = {t["name"] for t in drawn}
    assert set(STEEL) <= names
    assert "TPI 1.5 Degrees (sector)" in names and "Platform aggregate" in names
    chosen = next(t for t in drawn if t["name"] == "TPI 1.5 Degrees (sector)")
    assert chosen["width"] == 3
    heat = traces(page, "heatmap")
    assert heat[0]["type"] == "heatmap"
    for chart in ("ranking", "waterfall"):
        assert traces(page, chart)
    # A filter change re-draws the charts and is kept in the address.
    page.get_by_label("Scenario").select_option("TPI 2 Degrees")
    page.wait_for_url(re.compile(r"scenario=TPI\+2\+Degrees"))
    assert "scope=" not in page.url  # empty filters stay out of the address
    redrawn = traces(page, "trajectories")
    chosen = next(t for t in redrawn if t["name"] == "TPI 2 Degrees (sector)")
    assert chosen["width"] == 3
    page.get_by_label("From year").fill("2030")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"start=2030"))
    heat_years = page.evaluate("document.getElementById('chart-heatmap').data[0].x")
    assert heat_years[0] == "2030"
    # The same view, shared by its address, opens the same way.
    page.goto(page.url)
    expect(page.get_by_label("Scenario")).to_have_value("TPI 2 Degrees")


def test_member_sees_no_peer_name_anywhere(page: Page, live_server: str, demo: None) -> None:
    sign_in(page, live_server, "member@northwind.example.org")
    for path in ("/platforms/steel/dashboard", "/companies/", "/benchmark/?platform=steel"):
        page.goto(f"{live_server}{path}")
        found = set(NAMES.findall(page.content()))
        assert found <= {"Northwind Steel (fictional)"}, (path, found)
    page.goto(f"{live_server}/platforms/steel/dashboard")
    drawn = traces(page, "trajectories")
    assert {t["name"] for t in drawn} & set(STEEL) == {"Northwind Steel (fictional)"}
    assert "Peers: median" in {t["name"] for t in drawn}
    # The company's own page: its trajectory against its target, the peers anonymous.
    page.get_by_role("link", name="Companies").click()
    page.get_by_role("link", name="Northwind Steel (fictional)").click()
    drawn = traces(page, "trajectory")
    assert "Northwind Steel (fictional): SDA target" in {t["name"] for t in drawn}
    found = set(NAMES.findall(page.content()))
    assert found == {"Northwind Steel (fictional)"}


def test_consultant_benchmarks_a_client(page: Page, live_server: str, demo: None) -> None:
    sign_in(page, live_server, "consultant@example.org")
    page.goto(f"{live_server}/benchmark/?platform=steel")
    page.get_by_label("Northwind Steel (fictional)").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"company=Northwind"))
    drawn = traces(page, "benchmark")
    assert "Northwind Steel (fictional)" in {t["name"] for t in drawn}
    page.get_by_role("link", name="Printable report, one page per company").click()
    expect(page.locator(".report-page")).to_have_count(1)
    traces(page, "trajectory", prefix="page-1-")


def test_charts_download_as_png_and_svg(client, demo) -> None:  # type: ignore[no-untyped-def]
    # kaleido draws them in the same Debian Chromium as the tests above.
    png = client.get("/platforms/steel/dashboard/trajectories.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.get_data()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get("/platforms/steel/dashboard/trajectories.svg?scenario=TPI+2+Degrees")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    text = svg.get_data(as_text=True)
    assert text.startswith("<svg") and "TPI 2 Degrees (sector)" in text
    # The axis title with its unit: TPI's steel benchmark is CO2, the basis its source states.
    assert "Intensity (t CO2/(t Steel))" in text
