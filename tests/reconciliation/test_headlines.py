"""The figures at the top of the dashboards, as each viewer may see them, worked by hand.

On the six companies of test_views.COMPANIES against "Test 1.5" (S = 2, 1.5, 1 in 2020,
2025, 2030; T(t) = C(2020) x S(t) / 2), the latest reported year is 2025 (Alpha's). Excess
emissions in 2025, (C - T) x A:
  Alpha  (2.05 - 1.875) x 100 = 17.5     Delta  (375/300 - 1.125) x 300 = 37.5
  Gamma  (350/200 - 1.5) x 200 = 50      Omega  (86.67/50 - 1.5) x 50 = 11.67
  Kappa  (260/100 - 2.25) x 100 = 35     Lambda (130/100 - 1.125) x 100 = 17.5
so the platform's gap is 169.17 t. Each company's excess grows linearly from 0 in 2020, so
the gaps of 2020..2025 add up to 169.17 x (0+1+2+3+4+5)/5 = 507.5 t. Activity 850 t of the
sector's 1500 t (1000 -> 2000 from 2020 to 2030): coverage 56.7%. Behind in its latest
reported year: Alpha alone (the others' is the base year, where every company is on target).
"""

from __future__ import annotations

import re

import roadmap.formatting as fmt
from roadmap.domain import columns as col
from roadmap.domain.temperature import implied_temperatures
from roadmap.reconciliation.headlines import gap_words
from tests.domain.helpers import pathways
from tests.reconciliation.test_views import (  # noqa: F401 (fixture)
    ADMIN,
    accept,
    accepted,
    board_for,
    engine_results,
)
from tests.world import World, sign_in

TRAJECTORY_HEADER = (
    "company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind"
)


def headlines(html: str) -> list[tuple[str, str]]:
    """(label, value) of each figure in the page's headline list, in order."""
    block = re.search(r'<dl class="headline".*?</dl>', html, re.S)
    assert block, "no headline figures on the page"
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd><strong>(.*?)</strong>", block.group(0), re.S)
    return [(label.strip(), value.strip()) for label, value in pairs]


def _platform_score() -> float:
    results = engine_results()
    table = implied_temperatures(results, pathways(), "Test 1.5").table
    return float(table.loc[table[col.LEVEL] == col.LEVEL_SECTOR, col.IMPLIED_TEMPERATURE].iloc[0])


def test_gap_words():
    assert gap_words(37_977_712) == "38.0 Mt CO2e behind the curve"
    assert gap_words(-2_600_000) == "2.6 Mt CO2e ahead of the curve"
    assert gap_words(169.1666) == "169 t CO2e behind the curve"
    assert gap_words(0.0) == "on the curve"
    assert gap_words(float("nan")) == "not known"


def test_coordinator_headline_figures(client, accepted):  # noqa: F811
    sign_in(client, accepted.coordinator.email)
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    assert headlines(html) == [
        ("Companies behind their SDA target", "1 of 6"),
        ("Platform gap in 2025", "169 t CO2e behind the curve"),
        ("Cumulated gap 2020–2025", "508 t CO2e behind the curve"),
        ("Coverage in 2025", "56.7%"),
        # The engine's platform score (hand-worked in tests/domain/test_temperature.py), by
        # the one rule for degrees.
        ("Implied temperature rise", fmt.degrees(_platform_score())),
    ]
    # The headlines come before the first chart.
    assert html.index('class="headline"') < html.index('id="chart-trajectories"')


def test_a_member_sees_the_same_totals_when_enough_peers_make_them_up(client, accepted):  # noqa: F811
    # Alpha's member cannot see five companies (at least three): every total is shown.
    sign_in(client, accepted.member.email)
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    assert headlines(html)[:2] == [
        ("Companies behind their SDA target", "1 of 6"),
        ("Platform gap in 2025", "169 t CO2e behind the curve"),
    ]


def test_a_member_with_one_peer_gets_no_count_and_no_total(client, session, world: World):
    # Alpha and Delta only: the platform's figures less Alpha's would be Delta's.
    accept(session, world.platform)
    sign_in(client, world.member.email)
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    figures = dict(headlines(html))
    assert figures["Companies behind their SDA target"] == "not shown"
    assert all("CO2e" not in value for value in figures.values())
    assert "Cumulated gap" not in " ".join(figures)


def test_a_platform_ahead_of_the_curve_is_said_in_words(client, session, world: World):
    """Three companies cutting faster than their targets, activity 10 Mt of steel each:
    in 2025, T = C(2020) x 0.75. Alpha: C 2.5 -> 1.5 against T 1.875: (1.5 - 1.875) x 10e6 =
    -3.75 Mt; Delta: C 1.5 -> 1.0 against 1.125: -1.25 Mt; Gamma: C 2.0 -> 1.25 against 1.5:
    -2.5 Mt. The platform: -7.5 Mt in 2025, and -7.5 x 3 = -22.5 Mt over 2020..2025."""
    rows = []
    for name, start, now in (("Alpha", 2.5, 1.5), ("Delta", 1.5, 1.0), ("Gamma", 2.0, 1.25)):
        for year, intensity, kind in ((2020, start, "reported"), (2025, now, "reported")):
            emissions = int(intensity * 10_000_000)
            rows.append(
                f"{name},Steel,Global,S1S2,{year},10000000,t Steel,{emissions},t CO2e,{kind}"
            )
        rows.append(f"{name},Steel,Global,S1S2,2050,10000000,t Steel,0,t CO2e,planned")
    accept(session, world.platform, TRAJECTORY_HEADER + "\n" + "\n".join(rows) + "\n")
    sign_in(client, world.coordinator.email)
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    assert headlines(html)[:3] == [
        ("Companies behind their SDA target", "0 of 3"),
        ("Platform gap in 2025", "7.5 Mt CO2e ahead of the curve"),
        ("Cumulated gap 2020–2025", "22.5 Mt CO2e ahead of the curve"),
    ]
    assert (
        "In 2025 the platform is 7.5 Mt CO2e ahead of the curve (emitting less than the fair "
        "share of the sector curve)." in html
    )
    # The waterfall is drawn in Mt and labels its bars in words a reader can check.
    board = board_for(session, world, ADMIN)
    bars = board.charts["waterfall"].data[0]
    assert list(bars.text) == ["-1.3 Mt CO2e", "-2.5 Mt CO2e", "-3.8 Mt CO2e", "-7.5 Mt CO2e"]
    assert board.charts["waterfall"].layout.yaxis.title.text == "Excess emissions (Mt CO2e)"


def test_company_page_headlines(client, accepted):  # noqa: F811
    # Alpha in 2025: 17.5 t over its fair share; from 2020, 0 + 3.5 + 7 + 10.5 + 14 + 17.5
    # = 52.5 t. Then the platform's figures, as its member may see them (above).
    sign_in(client, accepted.member.email)
    html = client.get(f"/companies/{accepted.alpha.id}").get_data(as_text=True)
    assert headlines(html)[:4] == [
        ("Alpha in 2025", "17.5 t CO2e behind the curve"),
        ("Alpha, 2020–2025", "52.5 t CO2e behind the curve"),
        ("Companies behind their SDA target", "1 of 6"),
        ("Platform gap in 2025", "169 t CO2e behind the curve"),
    ]
    # The position in words, by the same rule: 9.3% over a target of 1.875 (0.175 t/t).
    assert "1.4 years behind its SDA target, +9.3% (0.175 t CO2e/(t Steel))" in html
