"""The dashboards in the browser's terms: who sees what, the figures against the engine's
numbers, the filters in the URL, and the table downloads."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pytest import approx

from roadmap.accounts import access
from roadmap.accounts import operations as account_operations
from roadmap.companies import operations as company_operations
from roadmap.domain import columns as col
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.memo import Memo, engine_of
from roadmap.platforms import operations as platform_operations
from roadmap.reconciliation import analysis, dashboards, exports
from roadmap.reconciliation import platform_dashboard as platform_dashboard_module
from roadmap.reconciliation.filters import Filters
from roadmap.reconciliation.platform_dashboard import platform_dashboard
from roadmap.submissions import operations as submission_operations
from tests.domain.helpers import TRAJECTORY_HEADER, pathways, trajectories
from tests.factories import PlatformFactory
from tests.world import World, sign_in

# Alpha as in tests/domain/helpers.py but with 2025 reported: C(2025) = 2.05 against
# T(2025) = 1.875 (gap 0.175, 1.4 years behind); T(2030) = 1.25. Delta as there; Gamma and
# Omega (in Europe, reconciled on the Global curve), Kappa and Lambda more, so that Alpha's
# member may see peer quartiles (at least five companies it cannot see).
COMPANIES = f"""{TRAJECTORY_HEADER}
Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported
Alpha,Steel,Global,S1S2,2025,100,t Steel,205,t CO2e,reported
Alpha,Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned
Alpha,Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned
Delta,Steel,Global,S1S2,2020,300,t Steel,450,t CO2e,reported
Delta,Steel,Global,S1S2,2050,300,t Steel,0,t CO2e,planned
Gamma,Steel,Global,S1S2,2020,200,t Steel,400,t CO2e,reported
Gamma,Steel,Global,S1S2,2050,200,t Steel,100,t CO2e,planned
Omega,Steel,Europe,S1S2,2020,50,t Steel,100,t CO2e,reported
Omega,Steel,Europe,S1S2,2050,50,t Steel,20,t CO2e,planned
Kappa,Steel,Global,S1S2,2020,100,t Steel,300,t CO2e,reported
Kappa,Steel,Global,S1S2,2050,100,t Steel,60,t CO2e,planned
Lambda,Steel,Global,S1S2,2020,100,t Steel,150,t CO2e,reported
Lambda,Steel,Global,S1S2,2050,100,t Steel,30,t CO2e,planned
"""
PEERS = ("Delta", "Gamma", "Omega", "Kappa", "Lambda")
ALL = ["Alpha", "Delta", "Gamma", "Kappa", "Lambda", "Omega"]


def accept(session, platform, text: str = ""):  # type: ignore[no-untyped-def]
    """Store ``text`` (the helpers' two companies where empty) as accepted submissions."""
    submission_operations.create_submissions(
        trajectories(text) if text else trajectories(),
        platform=platform,
        source="seed",
        status="accepted",
        session=session,
    )
    session.commit()


@pytest.fixture
def accepted(session, world: World):  # type: ignore[no-untyped-def]
    accept(session, world.platform, COMPANIES)
    return world


def engine_results():  # type: ignore[no-untyped-def]
    return reconcile(pathways(), trajectories(COMPANIES), ReconcileParams("Test 1.5")).results


def board_for(session, world: World, viewer: access.Viewer, **filters):  # type: ignore[no-untyped-def]
    return platform_dashboard(
        world.platform,
        Filters(**filters),
        viewer=viewer,
        session=session,
        default_scenario="Test 1.5",
    )


ADMIN = access.Viewer(role="admin")


def test_coordinator_dashboard_names_every_company(client, session, accepted):
    sign_in(client, accepted.coordinator.email)
    page = client.get("/platforms/steel/dashboard")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in ("Alpha", *PEERS):
        assert name in html
    for chart in ("trajectories", "heatmap", "ranking", "waterfall", "coverage"):
        assert f'id="chart-{chart}"' in html
    assert "Reconciled against <strong>Test 1.5</strong>" in html
    assert "Stage 1: what is missing to advance" in html
    assert html.count("<summary>Table of this chart's data</summary>") == 5  # one per chart


def test_platform_figures_carry_the_engine_numbers(session, accepted):
    board = board_for(session, accepted, ADMIN)
    results = engine_results()
    totals, _ = platform_aggregate(results)
    assert board.scenario == "Test 1.5" and board.unit == "t CO2e/(t Steel)"
    assert board.companies == ALL
    # Heat map: Alpha's 2025 cell is its gap over its target, with years behind as text.
    heat = board.charts["heatmap"].data[0]
    alpha = list(heat.y).index("Alpha")
    assert heat.z[alpha][list(heat.x).index("2025")] == approx(0.175 / 1.875)
    assert heat.text[alpha][list(heat.x).index("2025")] == "1.4 y"
    # Latest reported year 2025, so the ranking runs to 2030 and the waterfall is of 2025.
    assert board.summary["reported_year"] == 2025 and board.summary["milestone"] == 2030
    ranking = board.charts["ranking"].data[0]
    at_2030 = results[results[col.YEAR] == 2030].set_index(col.COMPANY)[col.CUMULATIVE_EXCESS]
    for name, value in zip(ranking.y, ranking.x, strict=True):
        assert value == approx(at_2030[name])
    bars = board.charts["waterfall"].data[0]
    gap_2025 = totals.loc[totals[col.YEAR] == 2025, col.GAP_EMISSIONS].iloc[0]
    assert bars.x[-1] == "Platform gap" and bars.y[-1] == approx(gap_2025)
    assert sum(bars.y[:-1]) == approx(gap_2025)
    # Coverage: the Test 1.5 pathway gives sector activity 1000 t in 2020; 850 t submitted.
    coverage = board.charts["coverage"].data[0]
    assert coverage.y[list(coverage.x).index(2020)] == approx(0.85)


def test_member_sees_only_its_own_company_and_anonymous_figures(client, session, accepted):
    sign_in(client, accepted.member.email)
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    assert "Alpha" in html
    for peer in PEERS:
        assert peer not in html
    assert "Peers: median" in html  # five companies it cannot see: quartiles may be shown
    viewer = analysis.access.viewer_for(accepted.member, session=session)
    board = board_for(session, accepted, viewer)
    assert board.companies == ["Alpha"] and not board.named
    bars = board.charts["waterfall"].data[0]
    # Alpha's own bar and the other five as one, adding up to the platform's gap in 2025.
    assert sorted(bars.x[:-1]) == ["Alpha", "Other companies (5)"]
    assert bars.x[-1] == "Platform gap"
    totals, _ = platform_aggregate(engine_results())
    gap_2025 = totals.loc[totals[col.YEAR] == 2025, col.GAP_EMISSIONS].iloc[0]
    assert bars.y[-1] == approx(gap_2025)


def test_anonymous_visitors_see_no_company(client, accepted):
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    for name in ("Alpha", *PEERS):
        assert name not in html
    assert 'id="chart-trajectories"' in html and 'id="chart-heatmap"' not in html
    assert "are not named" in html
    assert client.get("/platforms/steel/dashboard/results.csv").status_code == 404


def test_filters_change_the_figures_and_stay_in_the_links(session, client, accepted):
    sign_in(client, accepted.coordinator.email)
    url = "/platforms/steel/dashboard?scenario=Test+2&start=2025&end=2040&region=Global"
    html = client.get(url).get_data(as_text=True)
    assert '<option value="Test 2" selected>' in html
    assert "Omega" not in html  # in Europe: filtered out
    # Download links keep the filters, so a download is of what is on screen.
    assert "results.csv?scenario=Test+2&amp;region=Global&amp;start=2025&amp;end=2040" in html
    board = board_for(session, accepted, ADMIN, scenario="Test 2", start=2025, end=2040)
    assert board.scenario == "Test 2"
    assert list(board.charts["heatmap"].data[0].x) == ["2025", "2030", "2035", "2040"]
    curves = [t for t in board.charts["trajectories"].data if t.name == "Test 2 (sector)"]
    assert list(curves[0].x) == [2030]  # the pathway's given years inside the range


def test_bad_filters_are_named_and_ignored(client, accepted):
    html = client.get("/platforms/steel/dashboard?start=abc&end=1800&scenario=Nope").get_data(
        as_text=True
    )
    assert "From year &#39;abc&#39; is not a year from 1900 to 2200; it is ignored." in html
    assert "To year &#39;1800&#39; is not a year from 1900 to 2200; it is ignored." in html
    assert '<option value="Test 1.5" selected>' in html  # unknown scenario: the default
    html = client.get("/platforms/steel/dashboard?start=2040&end=2030").get_data(as_text=True)
    assert "From year 2040 is after to year 2030; the range is ignored." in html


def test_filters_parse_and_round_trip():
    filters, problems = Filters.from_args({"scenario": " Test 2 ", "start": "2025", "end": "x"})
    assert filters == Filters(scenario="Test 2", start=2025)
    assert problems == ["To year 'x' is not a year from 1900 to 2200; it is ignored."]
    assert filters.args() == {"scenario": "Test 2", "start": "2025"}


def test_table_downloads_carry_units(client, accepted):
    sign_in(client, accepted.coordinator.email)
    response = client.get("/platforms/steel/dashboard/results.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="steel-results.csv"' in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:6] == [
        "Company",
        "Year",
        "Kind",
        "Activity (t Steel)",
        "Emissions (t CO2e)",
        "Intensity (t CO2e/(t Steel))",
    ]
    alpha_2025 = next(line for line in text.splitlines() if line.startswith("Alpha,2025,"))
    # Gap, % of target: 0.175 / 1.875 = 9.333...%, unrounded (a CSV is data).
    gap_pct = alpha_2025.split(",")[9]
    assert float(gap_pct) == approx(0.175 / 1.875 * 100, rel=1e-12) and len(gap_pct) > 10
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get("/platforms/steel/dashboard/heatmap.xlsx").get_data())
    )
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    assert "Gap to target (t CO2e/(t Steel))" in headers and "Years behind (years)" in headers
    rows = [
        dict(zip(headers, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    alpha = next(r for r in rows if r["Company"] == "Alpha" and r["Year"] == 2025)
    assert alpha["Years behind (years)"] == approx(1.4)


def test_downloads_defuse_spreadsheet_formulas():
    # Uploads refuse such names already (validate.py); the downloads do not rely on it.
    frame = pd.DataFrame({"Company": ["=HYPERLINK(1)", "-1+2", "Plain"], "Year": [2020] * 3})
    csv = exports.table_bytes(frame, "csv", title="t").decode("utf-8-sig").splitlines()
    assert csv[1:] == ["'=HYPERLINK(1),2020", "'-1+2,2020", "Plain,2020"]
    sheet = openpyxl.load_workbook(
        io.BytesIO(exports.table_bytes(frame, "xlsx", title="Contributions: 2030 [t]"))
    ).active
    assert sheet.title == "Contributions  2030  t"
    assert [c.value for c in sheet["A"]] == ["Company", "'=HYPERLINK(1)", "'-1+2", "Plain"]


def test_company_page_shows_its_position(client, accepted):
    sign_in(client, accepted.member.email)
    html = client.get(f"/companies/{accepted.alpha.id}").get_data(as_text=True)
    assert 'id="chart-trajectory"' in html
    assert "1.4 years behind its SDA target, +9.3%" in html
    rate = 1 - (1.25 / 2.05) ** (1 / 5)  # 9.42% a year from 2025 to 2030
    assert f"cut intensity by {rate * 100:.1f}% a year" in html
    assert "Alpha: SDA target" in html
    assert "quartile 4 of 4" in html and "among 6 companies" in html
    for peer in PEERS:
        assert peer not in html


def test_company_dashboard_numbers(session, accepted):
    board = dashboards.company_dashboard(
        accepted.alpha,
        accepted.platform,
        Filters(),
        viewer=access.viewer_for(accepted.member, session=session),
        session=session,
        default_scenario="Test 1.5",
    )
    assert board.summary["year"] == 2025
    assert board.summary["gap"] == approx(0.175)
    assert board.summary["years_behind"] == approx(1.4)
    assert board.summary["required_rate"] == approx(1 - (1.25 / 2.05) ** (1 / 5))
    # 2025 intensities: Delta 1.25, Lambda 1.3 (E 150 -> 30 over 30 years: 130), Omega 1.7333
    # (100 -> 20: 86.67 on 50 t), Gamma 1.75 (400 -> 100: 350 on 200 t), Alpha 2.05, Kappa 2.6
    # (300 -> 60: 260). Upper quartile at position 3.75: 1.75 + 0.75 x 0.3 = 1.975 < 2.05.
    assert board.summary["quartile"] == 4 and board.summary["peers"] == 6
    median = next(t for t in board.charts["trajectory"].data if t.name == "Peers: median")
    assert median.y[list(median.x).index(2025)] == approx((1.7333333 + 1.75) / 2)
    milestones = board.tables["milestones"].frame
    assert milestones["Year"].tolist() == [2020, 2025, 2030, 2035, 2040, 2045, 2050]
    row = milestones[milestones["Year"] == 2030].iloc[0]
    assert row["SDA target (t CO2e/(t Steel))"] == approx(1.25)
    assert row["Gap to target (t CO2e/(t Steel))"] == approx(0.25)
    assert math.isclose(row["Years behind (years)"], 2.0)


def test_company_report_has_a_page_per_platform(client, accepted):
    sign_in(client, accepted.member.email)
    html = client.get(f"/companies/{accepted.alpha.id}/report").get_data(as_text=True)
    assert html.count('class="report-page"') == 1
    assert "Alpha on Steel" in html and "staticPlot" in html
    assert "Print or save as PDF" in html


def test_benchmark_shows_only_companies_the_viewer_may_see(session, client, accepted):
    consultant = account_operations.create_user(
        session=session, email="c@example.org", password="correct horse battery", role="consultant"
    )
    account_operations.grant_consultant(
        accepted.alpha.id, consultant, granted_by=accepted.member, session=session
    )
    session.commit()
    sign_in(client, "c@example.org")
    html = client.get("/benchmark/?platform=steel&company=Alpha&company=Delta").get_data(
        as_text=True
    )
    assert 'value="Alpha" checked' in html
    for peer in PEERS:
        assert peer not in html
    assert 'id="chart-benchmark"' in html and "Peers: median" in html
    report = client.get("/benchmark/report?platform=steel&company=Alpha&company=Delta")
    text = report.get_data(as_text=True)
    assert text.count('class="report-page"') == 1 and "Delta" not in text
    assert client.get("/benchmark/?platform=no-such-platform").status_code == 404


def test_quartiles_need_three_companies_even_for_coordinators(session, world):
    accept(session, world.platform)  # Alpha and Delta only
    board = board_for(session, world, ADMIN)
    assert not any(t.name == "Peers: median" for t in board.charts["trajectories"].data)
    assert dashboards.NO_QUARTILES not in board.notes  # a coordinator's platform page
    alpha = dashboards.company_dashboard(
        world.alpha,
        world.platform,
        Filters(),
        viewer=ADMIN,
        session=session,
        default_scenario="Test 1.5",
    )
    assert alpha.summary["quartile"] is None and alpha.summary["peers"] == 0
    assert dashboards.NO_QUARTILES in alpha.notes


def test_the_kept_reconciliation_follows_new_data(session, accepted):
    assert board_for(session, accepted, ADMIN).companies == ALL
    later = (
        COMPANIES.split("\n", 1)[0]
        + "\n"
        + "\n".join(
            line.replace("Gamma", "Zeta") for line in COMPANIES.splitlines() if "Gamma" in line
        )
    )
    (pending,) = submission_operations.create_submissions(
        trajectories(later), platform=accepted.platform, source="seed", session=session
    )
    session.commit()
    # Pending: not reconciled yet.
    assert "Zeta" not in board_for(session, accepted, ADMIN).companies
    submission_operations.review_submission(
        pending, accept=True, reason="", reviewer=accepted.coordinator, session=session
    )
    session.commit()
    assert "Zeta" in board_for(session, accepted, ADMIN).companies


def test_the_store_keeps_within_its_budget(session):
    store = Memo(budget=5, weight=len)
    for key in "abc":
        store.get(session, key, lambda k=key: [k] * 2)  # type: ignore[misc]
    # 2 + 2 + 2 rows > 5: the oldest went.
    assert list(store.stores[engine_of(session)]) == ["b", "c"]
    assert store.get(session, "b", lambda: ["new"]) == ["b", "b"]  # kept, not made again


def test_the_store_makes_what_is_missing_in_one_call_and_keeps_what_it_may(session):
    store = Memo(budget=5, weight=len)
    asked: list[list[str]] = []

    def make(missing):  # type: ignore[no-untyped-def]
        asked.append(list(missing))
        return {key: [] if key == "empty" else [key] * 2 for key in missing}

    assert store.get_many(session, ["a", "b"], make, keep=bool) == {"a": ["a"] * 2, "b": ["b"] * 2}
    found = store.get_many(session, ["b", "c", "empty"], make, keep=bool)
    assert found == {"b": ["b"] * 2, "c": ["c"] * 2, "empty": []}
    assert asked == [["a", "b"], ["c", "empty"]]
    # "b" was used before "c" was made: "a" is the oldest and goes; "empty" was not kept.
    assert list(store.stores[engine_of(session)]) == ["b", "c"]
    assert store.totals[engine_of(session)] == 4


def test_a_large_platform_draws_the_furthest_behind(session, accepted, monkeypatch):
    monkeypatch.setattr(platform_dashboard_module, "HEATMAP_LIMIT", 2)
    board = board_for(session, accepted, ADMIN)
    # Ranked by cumulative excess to 2030, the first two rows of the ranking are drawn.
    ranked = list(board.charts["ranking"].data[0].y)[::-1]  # the chart lists largest on top
    assert sorted(board.charts["heatmap"].data[0].y) == sorted(ranked[:2])
    assert any("The heat map shows the 2 companies" in note for note in board.notes)
    assert len(board.tables["heatmap"].frame["Company"].unique()) == 6  # the table has all


def _roadmap(session, world: World, intensities: list[float], *, published: bool = True):  # type: ignore[no-untyped-def]
    years = range(2020, 2051, 5)
    pathway = platform_operations.save_pathway(
        world.platform,
        None,
        {
            "scenario": "Our roadmap",
            "base_year": 2020,
            "target_year": 2050,
            "intensity_unit": "t CO2e/(t Steel)",
            "activity_unit": "",
            "published": published,
        },
        [(y, i, None) for y, i in zip(years, intensities, strict=True)],
        user=None,
        session=session,
    )
    session.commit()
    return pathway


def test_the_platform_roadmap_is_a_scenario(session, accepted):
    # S = 2.0 (2020), 1.8 (2025), ... 0.3 (2050). Alpha: C(b) = 2.5, so d = 2.5 - 0.3 = 2.2,
    # p(2025) = (1.8 - 0.3) / (2.0 - 0.3) = 15/17 and T(2025) = 2.2 x 15/17 + 0.3 = 2.2412.
    pathway = _roadmap(session, accepted, [2.0, 1.8, 1.5, 1.2, 0.8, 0.5, 0.3])
    name = "Our roadmap (platform roadmap)"
    board = board_for(session, accepted, ADMIN, scenario=name)
    assert board.scenario == name and name in board.options.scenarios
    rows = board.tables["results"].frame.set_index(["Company", "Year"])
    target = rows.loc[("Alpha", 2025), "SDA target (t CO2e/(t Steel))"]
    assert target == approx(2.2 * 15 / 17 + 0.3)
    assert rows.loc[("Alpha", 2025), "Status"] == "aligned"  # C = 2.05 <= 2.2412
    curve = next(t for t in board.charts["trajectories"].data if t.name == f"{name} (sector)")
    assert list(curve.y)[:2] == approx([2.0, 1.8]) and curve.line.width == 3
    # Edited, the next dashboard reconciles against the new milestones.
    platform_operations.save_pathway(
        accepted.platform,
        pathway,
        {},
        [
            (y, i, None)
            for y, i in zip(range(2020, 2051, 5), [2.0, 1.6, 1.2, 0.9, 0.6, 0.3, 0.0], strict=True)
        ],
        user=None,
        session=session,
    )
    session.commit()
    rows = board_for(session, accepted, ADMIN, scenario=name).tables["results"].frame
    alpha = rows[(rows["Company"] == "Alpha") & (rows["Year"] == 2025)].iloc[0]
    assert alpha["SDA target (t CO2e/(t Steel))"] == approx(2.5 * 1.6 / 2.0)  # d = 2.5, p = 0.8


def test_a_draft_roadmap_is_not_offered(session, accepted):
    _roadmap(session, accepted, [2.0, 1.8, 1.5, 1.2, 0.8, 0.5, 0.3], published=False)
    board = board_for(session, accepted, ADMIN, scenario="Our roadmap (platform roadmap)")
    assert board.scenario == "Test 1.5"  # unknown here: the default
    assert board.options.scenarios == ["Test 1.5", "Test 2"]


def member_board(session, world: World, **filters):  # type: ignore[no-untyped-def]
    return board_for(session, world, access.viewer_for(world.member, session=session), **filters)


def test_others_cannot_filter_by_scope_or_region(client, session, accepted):
    # Totals of a region beside the platform's would give away the companies outside it
    # (here Omega, alone in Europe).
    whole = member_board(session, accepted)
    europe_out = member_board(session, accepted, region="Global")
    assert europe_out.filters.region is None and europe_out.options.regions == []
    assert any("filters are for the platform's coordinators" in n for n in europe_out.notes)
    assert list(europe_out.charts["trajectories"].data[-1].y) == list(
        whole.charts["trajectories"].data[-1].y
    )
    sign_in(client, accepted.member.email)
    html = client.get("/platforms/steel/dashboard?region=Global").get_data(as_text=True)
    assert 'id="f-region"' not in html
    # The coordinator may, and an unknown value is said and ignored.
    board = board_for(session, accepted, ADMIN, region="Atlantis")
    assert board.filters.region is None
    assert "Region 'Atlantis' is not among this platform's choices; it is ignored." in board.notes


def test_totals_leave_no_small_group_behind_the_viewers_own(session, world):
    # Three companies; a consultant granted by two of them would get the third's figures by
    # subtracting theirs from the totals, so no totals are shown to them.
    three = "\n".join(COMPANIES.splitlines()[:9])  # Alpha, Delta, Gamma
    accept(session, world.platform, three)
    consultant = account_operations.create_user(
        session=session, email="c@example.org", password="correct horse battery", role="consultant"
    )
    for name in ("Alpha", "Delta"):
        company = company_operations.get_or_create_company(name, session=session)
        account_operations.grant_consultant(
            company.id, consultant, granted_by=world.member, session=session
        )
    session.commit()
    viewer = access.viewer_for(consultant, session=session)
    result = analysis.analyse_platform(
        world.platform, scenario="Test 1.5", viewer=viewer, session=session
    )
    assert sorted(result.results["company"].unique()) == ["Alpha", "Delta"]
    assert result.aggregate.empty and result.peers.empty
    # Anonymous: all three unseen, the totals may be shown; quartiles need five.
    anonymous = analysis.analyse_platform(
        world.platform, scenario="Test 1.5", viewer=access.ANONYMOUS, session=session
    )
    assert not anonymous.aggregate.empty and anonymous.peers.empty
    board = board_for(session, world, viewer)
    bars = board.charts["waterfall"].data[0]
    assert bars.x[-1] == "Total shown"  # the third company is not in it


def test_a_company_the_scenario_cannot_take_is_left_out_not_everyone(client, session, accepted):
    odd = f"""{TRAJECTORY_HEADER}
Sigma,Steel,Global,S3,2020,100,t Steel,200,t CO2e,reported
Sigma,Steel,Global,S3,2050,100,t Steel,50,t CO2e,planned
"""
    accept(session, accepted.platform, odd)
    board = board_for(session, accepted, ADMIN)
    assert board.companies == ALL
    assert any(n.startswith("Sigma is left out of this reconciliation:") for n in board.notes)
    sign_in(client, accepted.member.email)
    html = client.get("/platforms/steel/dashboard").get_data(as_text=True)
    assert "Sigma" not in html and "Alpha" in html


def test_odd_years_in_the_address_are_refused_plainly(client, accepted):
    for value in ("²", "1" * 5000, "-5", "20 25"):
        response = client.get("/platforms/steel/dashboard", query_string={"start": value})
        assert response.status_code == 200
        assert "is not a year from 1900 to 2200; it is ignored." in response.get_data(as_text=True)


def test_a_report_of_several_companies_draws_each(client, accepted):
    sign_in(client, accepted.coordinator.email)
    html = client.get("/benchmark/report?platform=steel&company=Alpha&company=Delta").get_data(
        as_text=True
    )
    assert html.count('class="report-page"') == 2
    assert 'id="page-1-chart-trajectory"' in html and 'id="page-2-chart-trajectory"' in html


SIGMA = f"""{TRAJECTORY_HEADER}
Sigma,Steel,Global,S3,2020,100,t Steel,200,t CO2e,reported
Sigma,Steel,Global,S3,2050,100,t Steel,50,t CO2e,planned
"""


def test_totals_leaving_a_company_out_are_for_coordinators_only(client, session, accepted):
    # Sigma (scope S3) cannot be reconciled against these scenarios. Totals without it, set
    # beside totals with it (another scenario, the API), would give away its figures.
    accept(session, accepted.platform, SIGMA)
    member = analysis.analyse_platform(
        accepted.platform,
        scenario="Test 1.5",
        viewer=access.viewer_for(accepted.member, session=session),
        session=session,
    )
    assert member.aggregate.empty and member.peers.empty
    admin = analysis.analyse_platform(
        accepted.platform, scenario="Test 1.5", viewer=ADMIN, session=session
    )
    assert not admin.aggregate.empty and admin.aggregate["companies"].max() == 6


def test_totals_cover_only_the_years_every_company_reaches(session, world):
    ends_early = COMPANIES.replace(
        "Kappa,Steel,Global,S1S2,2050,100,t Steel,60",
        "Kappa,Steel,Global,S1S2,2030,100,t Steel,220",
    )
    accept(session, world.platform, ends_early)
    result = analysis.analyse_platform(
        world.platform, scenario="Test 1.5", viewer=access.ANONYMOUS, session=session
    )
    # Kappa's plan ends in 2030: later totals would be of five companies, and the change
    # from 2030 to 2031 Kappa's own figures.
    assert result.aggregate["year"].tolist() == list(range(2020, 2031))
    assert result.peers["year"].tolist() == list(range(2020, 2031))


def test_the_board_hides_a_count_of_one_or_two_peers(client, session, world):
    accept(session, world.platform)  # Alpha and Delta
    gamma = "\n".join([COMPANIES.splitlines()[0], *COMPANIES.splitlines()[7:9]])
    submission_operations.create_submissions(
        trajectories(gamma), platform=world.platform, source="seed", session=session
    )  # pending: not reconciled
    session.commit()
    member = access.viewer_for(world.member, session=session)
    assert (
        analysis.companies_behind(
            world.platform, scenario="Test 1.5", viewer=member, session=session
        )
        is None
    )
    assert (
        analysis.companies_behind(
            world.platform, scenario="Test 1.5", viewer=access.ANONYMOUS, session=session
        )
        is None
    )
    assert (
        analysis.companies_behind(
            world.platform, scenario="Test 1.5", viewer=ADMIN, session=session
        )
        == 0
    )


def test_the_api_tells_the_engine_reason_to_coordinators_only(client, session, world):
    accept(session, world.platform, SIGMA)
    url = "/api/v1/platforms/steel/reconciliation?scenario=Test+1.5"
    anonymous = client.get(url)
    assert anonymous.status_code == 422
    assert anonymous.get_json() == {
        "message": "cannot reconcile; the platform's coordinators can see why"
    }
    _, secret = account_operations.create_api_token(world.coordinator, "t", session=session)
    session.commit()
    body = client.get(url, headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert any("scope" in e["message"] and "S3" in e["message"] for e in body["errors"])
    unknown = client.get("/api/v1/platforms/steel/reconciliation?scenario=Nope").get_json()
    assert "Nope" in str(unknown)  # an unknown scenario is about the request: said to all


def test_each_chart_has_its_numbers_in_a_table(session, accepted):
    board = board_for(session, accepted, ADMIN)
    assert set(board.charts) <= set(board.tables)
    lines = board.tables["trajectories"].frame.set_index("Year")
    unit = "(t CO2e/(t Steel))"
    assert lines.loc[2025, f"Alpha {unit}"] == approx(2.05)
    assert lines.loc[2030, f"Test 1.5 {unit}"] == approx(1.0)
    totals, _ = platform_aggregate(engine_results())
    assert lines.loc[2025, f"Platform aggregate {unit}"] == approx(
        totals.set_index("year").loc[2025, "intensity"]
    )
    company = dashboards.company_dashboard(
        accepted.alpha,
        accepted.platform,
        Filters(),
        viewer=ADMIN,
        session=session,
        default_scenario="Test 1.5",
    )
    own = company.tables["trajectory"].frame.set_index("Year")
    assert own.loc[2025, f"Alpha: SDA target {unit}"] == approx(1.875)
    assert not [c for c in own.columns if c.startswith(("Delta", "Gamma"))]


@pytest.fixture
def consultant(session, accepted):  # type: ignore[no-untyped-def]
    """A consultant Alpha granted access. Besides steel: "Aardvark", public, first by name and
    without data; "Tube", where Alpha submitted the helpers' trajectory (2020 reported only)."""
    user = account_operations.create_user(
        session=session, email="c@example.org", password="correct horse battery", role="consultant"
    )
    account_operations.grant_consultant(
        accepted.alpha.id, user, granted_by=accepted.member, session=session
    )
    sector_id = accepted.platform.sector_id
    PlatformFactory(slug="aardvark", name="Aardvark", sector_id=sector_id, is_public=True)
    tube = PlatformFactory(slug="tube", name="Tube", sector_id=sector_id, scope="S1S2")
    session.commit()
    accept(session, tube)
    return accepted


CLIENT_HEADERS = [
    "Company",
    "Platform",
    "Scenario",
    "Year",
    "Status",
    "Gap to SDA target",
    "Gap (% of target)",
    "Years behind",
]


def client_rows(html: str) -> tuple[list[str], list[list[str]]]:
    """The clients table's headers and rows as text."""
    section = html.split('<section aria-labelledby="clients-title"', 1)[1].split("</section>")[0]
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', section)
    rows = [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)
        ]
        for r in re.findall(r"<tr>(.*?)</tr>", section.split("<tbody>")[1], flags=re.S)
    ]
    return headers, rows


def test_benchmark_opens_where_a_client_has_data_and_lists_every_client(client, consultant):
    """Alpha on steel (Test 1.5, the default): latest reported year 2025, C = 2.05 against
    T(2025) = (2.5 - 0) x (1.5 - 0) / (2 - 0) + 0 = 1.875: gap 0.175, 0.175 / 1.875 = +9.3% of
    target; T falls to 2.05 at 2020 + (2.5 - 2.05) / 0.125 = 2023.6, so 1.4 years behind.
    On Tube it reported only 2020, its base year: on its target (gap 0)."""
    sign_in(client, "c@example.org")
    html = client.get("/benchmark/").get_data(as_text=True)
    # Aardvark comes first but holds no client's data: the page opens on steel.
    assert '<option value="steel" selected>' in html
    assert 'value="Alpha"' in html and 'id="chart-benchmark"' in html
    headers, rows = client_rows(html)
    assert headers == CLIENT_HEADERS  # no score column until there is a score
    assert rows == [
        ["Alpha", "Steel", "Test 1.5", "2025", "behind", "0.175 t CO2e/(t Steel)", "+9.3%", "1.4"],
        ["Alpha", "Tube", "Test 1.5", "2020", "aligned", "0 t CO2e/(t Steel)", "+0.0%", "0.0"],
    ]
    company = consultant.alpha.id
    assert f'href="/companies/{company}?platform=steel">Alpha</a>' in html
    assert f'href="/companies/{company}?platform=tube">Alpha</a>' in html
    assert 'href="/benchmark/?platform=tube&amp;company=Alpha">Tube</a>' in html
    # One filter bar: platform, scenario, years and companies in one form.
    assert html.count('class="filters"') == 1
    form = html.split('class="filters"', 1)[1].split("</form>")[0]
    for name in ('name="platform"', 'name="scenario"', 'name="start"', 'name="company"'):
        assert name in form


def test_benchmark_clients_follow_the_chosen_scenario_on_the_chosen_platform(client, consultant):
    """Under Test 2 (S = 2.0, 1.6 in 2030, 1.0 in 2050, so S(2025) = 1.8), Alpha's target on
    steel is T(2025) = (2.5 - 1.0) x (1.8 - 1.0) / (2.0 - 1.0) + 1.0 = 2.2 > C = 2.05:
    aligned, gap -0.15, -0.15 / 2.2 = -6.8%. Tube stays on the default scenario."""
    sign_in(client, "c@example.org")
    html = client.get("/benchmark/?platform=steel&scenario=Test+2").get_data(as_text=True)
    _, rows = client_rows(html)
    assert rows == [
        ["Alpha", "Steel", "Test 2", "2025", "aligned", "-0.150 t CO2e/(t Steel)", "-6.8%", "0.0"],
        ["Alpha", "Tube", "Test 1.5", "2020", "aligned", "0 t CO2e/(t Steel)", "+0.0%", "0.0"],
    ]


def test_benchmark_without_clients_shows_no_clients_table(client, consultant):
    sign_in(client, consultant.coordinator.email)
    html = client.get("/benchmark/").get_data(as_text=True)
    assert "clients-title" not in html
    assert '<option value="steel" selected>' in html  # its platform with data


def test_wide_tables_hide_no_rows_in_an_inner_scroll_box():
    """A wide table may scroll sideways in its own box, never up and down inside the page."""
    css = (Path(__file__).resolve().parents[2] / "roadmap/static/roadmap.css").read_text()
    rules = re.findall(r"([^{}]*)\{([^}]*)\}", css)
    boxed = [body for selector, body in rules if ".table-scroll" in selector]
    assert boxed and not any("max-height" in body for body in boxed)
