"""Every page of the demo world that shows figures, for each kind of viewer: no number in
scientific notation anywhere in the page (text, tables, chart hovers and axes), and headline
figures at the top of each dashboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import select

from roadmap import seed
from roadmap.config import Defaults
from roadmap.models import Company, Platform

# 1e-07, 3.79777e+07, 2.5E-5: what Python, JavaScript and spreadsheets write for very small or
# large numbers. A word such as "CO2e-" is not a number: a digit must precede without a letter.
SCIENTIFIC = re.compile(r"(?<![A-Za-z0-9.])\d+(?:\.\d+)?[eE][+-]\d+")
VIEWERS = (
    "admin@example.org",
    "coordinator.steel@example.org",
    "member@northwind.example.org",
    "consultant@example.org",
    None,  # signed out
)


@pytest.fixture
def demo(session):  # type: ignore[no-untyped-def]
    seed.seed(Path(Defaults.DATA_DIR), session=session)
    session.commit()
    platforms = [p.slug for p in session.exec(select(Platform)).all()]
    northwind = session.exec(select(Company).where(Company.name.startswith("Northwind"))).one()
    return platforms, northwind


def sign_in(client, email: str) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/auth/login",
        data={"email": email, "password": seed.DEMO_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302, email


def test_the_pattern_finds_what_it_must():
    for text in ("3.79777e+07", "gap 1e-07 t", "2.5E-5"):
        assert SCIENTIFIC.search(text), text
    for text in ("38.0 Mt CO2e-2030", "t CO2e/(t Steel)", "0.000000100", "1,000,000,000,000"):
        assert not SCIENTIFIC.search(text), text


@pytest.mark.parametrize("email", VIEWERS)
def test_no_scientific_notation_on_any_demo_page(app, demo, email):  # type: ignore[no-untyped-def]
    platforms, northwind = demo
    client = app.test_client()
    if email:
        sign_in(client, email)
    pages = ["/", "/platforms/"]
    for slug in platforms:
        pages += [f"/platforms/{slug}", f"/platforms/{slug}/dashboard"]
    pages += [
        f"/companies/{northwind.id}",
        f"/companies/{northwind.id}/report",
        f"/benchmark/?platform=steel&company={northwind.name}",
    ]
    shown = 0
    for page in pages:
        response = client.get(page)
        assert response.status_code in (200, 302, 403, 404), (page, response.status_code)
        if response.status_code != 200:
            continue
        html = response.get_data(as_text=True)
        found = SCIENTIFIC.findall(html)
        assert not found, (email, page, found[:5])
        shown += 1
        if page.endswith("/dashboard") and "chart-trajectories" in html:
            # Headline figures come first, before any chart.
            assert html.index('<dl class="headline"') < html.index("chart-trajectories"), page
    assert shown >= 3
