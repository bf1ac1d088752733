"""Learning across platforms (roadmap.platforms.overview and its page /overview): figures per
platform worked on paper, published figures only, the small-group rule, sorting, and the
files."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pandas as pd

from roadmap.accounts.access import ANONYMOUS
from roadmap.platforms import operations as platform_operations
from roadmap.platforms.overview import overview, sorted_table
from roadmap.submissions import operations as submission_operations
from tests import factories
from tests.domain.helpers import trajectories
from tests.submissions import test_rounds
from tests.submissions.test_rounds import START

steel = test_rounds.steel  # the fixture: three companies accepted and published (Initial)
TODAY = date(2026, 6, 1)


def _row(table, name: str) -> dict:  # type: ignore[no-untyped-def]
    (row,) = table[table["Platform"] == name].to_dict("records")
    return row


def _world(session, steel):  # type: ignore[no-untyped-def]
    """Steel: created 2026-01-01, advanced to stage 2 on 2026-03-01; KPIs: capacity up,
    targets 2025: 10, 2030: 20, actual 2025: 12 (past its 2025 target: on track); clinker
    down, targets 2025: 70, 2030: 65, actual 2025: 72 (not on track); actions: two planned,
    one done. "Pair": two companies, published, at stage 1, not public."""
    steel.created_at = datetime(2026, 1, 1, tzinfo=UTC)
    steel.stage = 2
    factories.HistoryEntryFactory(
        platform_id=steel.id,
        kind="stage",
        what="advanced to stage 2",
        detail="stage: 1 -> 2",
        at=datetime(2026, 3, 1, 9, tzinfo=UTC),
    )
    up = platform_operations.create_kpi(
        steel, name="Capacity", unit="Mt Steel", direction="increase",
        targets={2025: 10, 2030: 20}, user=None, session=session,
    )  # fmt: skip
    down = platform_operations.create_kpi(
        steel, name="Clinker", unit="%", direction="decrease",
        targets={2025: 70, 2030: 65}, user=None, session=session,
    )  # fmt: skip
    for kpi, value in ((up, 12.0), (down, 72.0)):
        platform_operations.record_kpi_actual(
            kpi, 2025, value, platform=steel, user=None, session=session
        )
    for status in ("planned", "planned", "done"):
        factories.ActionFactory(platform_id=steel.id, status=status)
    pair = factories.PlatformFactory(
        slug="pair", name="Pair", sector_id=steel.sector_id, is_public=True, stage=1
    )
    two = "\n".join(line for line in START.splitlines() if not line.startswith("Gamma"))
    submission_operations.create_submissions(
        trajectories(two + "\n"), platform=pair, source="seed", status="accepted", session=session
    )
    session.commit()


def test_each_platforms_figures(session, steel) -> None:  # type: ignore[no-untyped-def]
    _world(session, steel)
    shown = overview(ANONYMOUS, session=session, default_scenario="Test 1.5", today=TODAY)
    row = _row(shown.table, steel.name)
    assert (row["Stage"], row["In stage since"], row["Days in stage"]) == (2, date(2026, 3, 1), 92)
    # Reported only in 2020, the base year: every company is at its own target there, so
    # none is behind and the gap is 0 of the fair share.
    assert (row["Companies behind"], row["Companies judged"], row["Gap year"]) == (0, 3, 2020)
    assert row["Gap share of fair share"] == 0.0
    assert (row["KPIs on track"], row["KPIs with a next target"]) == (1, 2)
    actions = [row[f"Actions {s}"] for s in ("planned", "under way", "done", "stalled")]
    assert actions == [2, 0, 1, 0]
    # Two companies: a total of them would be one company's figures to the other.
    pair = _row(shown.table, "Pair")
    assert pd.isna(pair["Companies behind"]) and pd.isna(pair["Gap share of fair share"])
    # Stage over time: Steel stage 1 from 2026-01-01, 2 from 2026-03-01, to today.
    steps = shown.stages[shown.stages["Platform"] == steel.name]
    assert list(zip(steps["Date"], steps["Stage"], strict=True)) == [
        (date(2026, 1, 1), 1),
        (date(2026, 3, 1), 2),
        (TODAY, 2),
    ]


def test_a_restatement_counts_only_once_published(session, steel) -> None:  # type: ignore[no-untyped-def]
    """Alpha restates 2020 at 260 t (accepted, not published): the overview still reads the
    published 250 t, so nothing moves until a round publishes it."""
    coordinator = factories.UserFactory(role="coordinator")
    made = test_rounds.submit(steel, test_rounds.restated("Alpha"), session)
    submission_operations.decide(
        made, decision="accept", message="", reviewer=coordinator, session=session
    )
    session.commit()
    shown = overview(ANONYMOUS, session=session, default_scenario="Test 1.5", today=TODAY)
    assert _row(shown.table, steel.name)["Gap share of fair share"] == 0.0


def test_sorting_keeps_blanks_last(session, steel) -> None:  # type: ignore[no-untyped-def]
    _world(session, steel)
    table = overview(ANONYMOUS, session=session, default_scenario="Test 1.5", today=TODAY).table
    assert list(sorted_table(table, "stage", descending=True)["Platform"]) == [steel.name, "Pair"]
    assert list(sorted_table(table, "stage", descending=False)["Platform"]) == ["Pair", steel.name]
    assert list(sorted_table(table, "gap", descending=True)["Platform"]) == [steel.name, "Pair"]
    assert list(sorted_table(table, "gap", descending=False)["Platform"]) == [steel.name, "Pair"]
    assert list(sorted_table(table, "nonsense", descending=False)["Platform"]) == [
        "Pair",
        steel.name,
    ]


def test_the_page_and_its_files(client, session, steel) -> None:  # type: ignore[no-untyped-def]
    _world(session, steel)
    page = client.get("/overview?sort=stage&order=desc")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'aria-sort="descending"' in html
    assert html.index(steel.name) < html.index(">Pair<")
    assert 'id="overview-stages"' in html
    answer = client.get("/overview.csv?sort=platform")
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["Platform"] for r in rows] == ["Pair", steel.name]
    assert rows[1]["Companies behind"] == "0" and rows[1]["Gap share of fair share"] == "0.0"
    assert rows[0]["Companies behind"] == ""  # withheld
    assert client.get("/overview.xlsx").get_data()[:2] == b"PK"
    assert client.get("/overview.pdf").status_code == 404
    assert client.get("/overview?sort=<script>&order=sideways").status_code == 200


def test_a_private_platform_is_listed_only_to_who_may_see_it(client, session, steel) -> None:  # type: ignore[no-untyped-def]
    factories.PlatformFactory(slug="hidden", name="Hidden platform", is_public=False)
    session.commit()
    assert "Hidden platform" not in client.get("/overview").get_data(as_text=True)


def test_the_api_answers_the_same_rows(client, session, steel) -> None:  # type: ignore[no-untyped-def]
    _world(session, steel)
    rows = {r["name"]: r for r in client.get("/api/v1/overview").get_json()}
    ours = rows[steel.name]
    assert (ours["stage"], ours["companies_behind"], ours["companies_judged"]) == (2, 0, 3)
    assert (ours["gap_year"], ours["gap_share_of_fair_share"]) == (2020, 0.0)
    assert ours["actions"] == {"planned": 2, "under way": 0, "done": 1, "stalled": 0}
    assert rows["Pair"]["companies_behind"] is None  # two companies: not shown
