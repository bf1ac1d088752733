"""Assurance where figures are, and the company page's TPI assessment years, in the browser's
terms: the numbers against hand-worked ones, and who may see them."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pytest import approx

from roadmap.accounts import operations as account_operations
from roadmap.submissions import operations as submission_operations
from tests.domain.helpers import TRAJECTORY_HEADER, trajectories
from tests.reconciliation.test_views import COMPANIES
from tests.world import PASSWORD, World, sign_in

# Latest reported activity in COMPANIES: Alpha 100 t (2025), Delta 300, Gamma 200, Omega 50,
# Kappa 100, Lambda 100 (2020): 850 t in all.
SHARE = "Share of reconciled activity (%)"


def accept(session, world: World, assurance: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Accept COMPANIES, each company under its assurance (self-reported where not given)."""
    table = trajectories(COMPANIES)
    for name, rows in table.groupby("company"):
        submission_operations.create_submissions(
            rows,
            platform=world.platform,
            source="seed",
            status="accepted",
            assurance=assurance.get(str(name), "self-reported"),
            session=session,
        )
    session.commit()


def download(client, name: str, query: str = "") -> pd.DataFrame:  # type: ignore[no-untyped-def]
    response = client.get(f"/platforms/steel/dashboard/{name}.csv{query}")
    assert response.status_code == 200, response.status_code
    return pd.read_csv(io.BytesIO(response.data), encoding="utf-8-sig")


def test_coordinators_see_the_share_of_activity_under_each_assurance_level(client, session, world):
    """Self-reported: Gamma 200 + Omega 50 + Kappa 100 + Lambda 100 = 450 of 850 = 52.94 %;
    limited: Alpha 100 / 850 = 11.76 %; reasonable: Delta 300 / 850 = 35.29 %."""
    accept(session, world, {"Alpha": "limited assurance", "Delta": "reasonable assurance"})
    sign_in(client, world.coordinator.email)
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    assert "Assurance of the figures" in html
    table = download(client, "assurance")
    assert list(table["Assurance of the figures"]) == [
        "self-reported",
        "limited assurance",
        "reasonable assurance",
    ]
    assert list(table["Activity (t Steel)"]) == approx([450.0, 100.0, 300.0])
    assert list(table[SHARE]) == approx([52.94, 11.76, 35.29])
    assert list(table["Companies"]) == [4, 1, 1]


def test_a_share_that_would_reveal_one_peer_is_withheld_from_members(client, session, world):
    """Alpha's member sees Alpha's own level; of the others, only Delta is under reasonable
    assurance: that share would be Delta's activity over the total, so the table is withheld."""
    accept(session, world, {"Alpha": "limited assurance", "Delta": "reasonable assurance"})
    sign_in(client, world.member.email)
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    assert "The share of activity under each assurance level is not shown" in html
    assert 'id="h-assurance"' not in html
    assert client.get("/platforms/steel/dashboard/assurance.csv").status_code == 404


def test_members_see_shares_that_enough_peers_make_up(client, session, world):
    """Alpha (own, limited, 100 t) and five peers self-reported (750 t): no level holds one or
    two companies Alpha's member cannot see. 750 / 850 = 88.24 %, 100 / 850 = 11.76 %."""
    accept(session, world, {"Alpha": "limited assurance"})
    sign_in(client, world.member.email)
    table = download(client, "assurance")
    assert list(table[SHARE]) == approx([88.24, 11.76, 0.0])
    assert list(table["Companies"]) == [5, 1, 0]


def test_signed_out_visitors_of_a_public_platform_get_the_same_rule(client, session, world):
    accept(session, world, {"Delta": "reasonable assurance", "Gamma": "reasonable assurance"})
    # Two companies under reasonable assurance, neither visible: withheld.
    assert client.get("/platforms/steel/dashboard/assurance.csv").status_code == 404
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    assert "The share of activity under each assurance level is not shown" in html


SHORT = f"""{TRAJECTORY_HEADER}
Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported
Alpha,Steel,Global,S1S2,2025,100,t Steel,205,t CO2e,reported
Alpha,Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Against Test 1.5, T(t) = 2.5 * S(t) / 2: T(2025) = 1.875, C = 2.05, gap 0.175 (9.33 %);
        # T(2030) = 1.25, C = 1.5, gap 0.25 (20 %); T(2035) = 0.9375, C = 125 / 100 = 1.25,
        # gap 0.3125 (33.33 %); T(2050) = 0, C = 0.5, gap 0.5 (gap_pct undefined: no %). Shown
        # by the one rule: gaps to 3 significant digits, percentages to one decimal.
        # Benchmarks met: "Test 2" S = 1.8 (2025), 1.6, 1.45, 1.0 (2050) is at or above C
        # from 2030 on; "Test 1.5" (1.5, 1.0, 0.75, 0.0) never is.
        (
            COMPANIES,
            [
                (2025, "not aligned", "0.175", "9.3", "behind"),
                (2030, "Test 2", "0.250", "20.0", "behind"),
                (2035, "Test 2", "0.313", "33.3", "behind"),
                (2050, "Test 2", "0.500", "", "behind"),
            ],
        ),
        # A plan that ends in 2030 has no 2035 or 2050.
        (
            SHORT,
            [
                (2025, "not aligned", "0.175", "9.3", "behind"),
                (2030, "Test 2", "0.250", "20.0", "behind"),
                (2035, "", "", "", "outside its reconciled years (2020-2030)"),
                (2050, "", "", "", "outside its reconciled years (2020-2030)"),
            ],
        ),
    ],
)
def test_company_page_shows_tpi_assessment_years_and_its_assurance(
    client, session, world, text, expected
):
    submission_operations.create_submissions(
        trajectories(text).query("company == 'Alpha'"),
        platform=world.platform,
        source="seed",
        status="accepted",
        assurance="limited assurance",
        session=session,
    )
    session.commit()
    sign_in(client, world.member.email)
    html = client.get(f"/companies/{world.alpha.id}").get_data(as_text=True)
    assert (
        "These results use version 1 of its accepted submission: <strong>limited assurance" in html
    )
    start = html.index("At TPI&#39;s assessment years")
    table = html[start : html.index("</table>", start)]
    rows = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in table.split("<tr>")[2:]]
    # Year, lowest-temperature benchmark met, gap, gap %, status.
    assert [tuple(r) for r in rows] == [(str(y), *rest) for y, *rest in expected]


def test_the_benchmark_shows_the_assurance_of_each_clients_figures(client, session, world):
    accept(session, world, {"Alpha": "reasonable assurance", "Delta": "limited assurance"})
    consultant = account_operations.create_user(
        session=session, email="c@example.org", password=PASSWORD, role="consultant"
    )
    account_operations.grant_consultant(
        world.alpha.id, consultant, granted_by=world.member, session=session
    )
    session.commit()
    sign_in(client, "c@example.org")
    html = client.get("/benchmark/?platform=steel&company=Alpha&company=Delta").get_data(
        as_text=True
    )
    # Delta did not grant access: neither it nor its assurance is shown.
    assert "Assurance of the figures used: Alpha: <strong>reasonable assurance</strong>." in html
    assert "limited assurance" not in html
