from __future__ import annotations

import re

from tests.factories import PlatformFactory, SectorFactory


def test_home_lists_platforms_with_stage(client, session):
    sector = SectorFactory(name="Cement")
    PlatformFactory(
        name="Cement (demo platform)",
        sector_id=sector.id,
        stage=2,
        net_zero_year=2050,
        is_public=True,
    )
    PlatformFactory(name="Private platform", sector_id=sector.id)
    session.commit()
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Cement (demo platform)" in html
    assert "2. Roadmaps and metrics" in html
    assert "2050" in html
    assert "Private platform" not in html  # anonymous visitors see public platforms only


def test_home_without_platforms_says_how_to_seed(client, session):
    html = client.get("/").get_data(as_text=True)
    assert "roadmap seed" in html


def test_unknown_page_is_a_404_page(client, session):
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "404" in page.get_data(as_text=True)


def test_stylesheet_is_served_locally(client):
    with client.get("/static/roadmap.css") as response:
        assert response.status_code == 200
        assert b"--ink" in response.data


def test_home_links_every_platform_and_counts_them_by_stage(client, session):
    """Three public platforms in stage 1 and one in stage 3, one private in stage 2 (not
    seen by an anonymous visitor): the counts read 3, 0, 1, 0."""
    sector = SectorFactory(name="Cement")
    for n, stage in enumerate((1, 1, 1, 3)):
        PlatformFactory(slug=f"p{n}", name=f"Platform {n}", sector_id=sector.id, stage=stage,
                        is_public=True)  # fmt: skip
    PlatformFactory(slug="hidden", name="Hidden", sector_id=sector.id, stage=2)
    session.commit()
    html = client.get("/").get_data(as_text=True)
    for n in range(4):
        assert f'<a href="/platforms/p{n}">Platform {n}</a>' in html
    assert "/platforms/hidden" not in html
    counts = re.findall(r"<dt>Stage (\d): [^<]+</dt>\s*<dd><a [^>]+>(\d+)</a></dd>", html)
    assert counts == [("1", "3"), ("2", "0"), ("3", "1"), ("4", "0")]
