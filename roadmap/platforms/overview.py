"""Learning across platforms: one row per platform the viewer may see, with where it stands in
the four stages and for how long, its gate checklist, its companies' standing and gap (always
from the last published round, as a signed-out visitor reads them, and under the small-group
rule), its KPIs against their next milestone target and its implementation actions; and each
platform's stage over time, from its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
from sqlmodel import Session, select

from roadmap.accounts.access import ANONYMOUS, Viewer
from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.milestones import next_milestone
from roadmap.domain.stages import met_share
from roadmap.models import ACTION_STATUSES, STAGES, Action, HistoryEntry, Platform
from roadmap.pipeline.analysis import with_pipeline
from roadmap.platforms.queries import KpiView, platform_overview, platform_view
from roadmap.reconciliation import analysis
from roadmap.reconciliation.scenarios import gate_scenario

COLUMNS = (
    "Platform",
    "Sector",
    "Stage",
    "In stage since",
    "Days in stage",
    "Gate criteria met",
    "Companies behind",
    "Companies judged",
    "Gap year",
    "Gap share of fair share",
    "KPIs on track",
    "KPIs with a next target",
    *(f"Actions {status}" for status in ACTION_STATUSES),
)
# The columns the table may be sorted by, by their name in the address.
SORT_KEYS = {
    "platform": "Platform",
    "sector": "Sector",
    "stage": "Stage",
    "days": "Days in stage",
    "gate": "Gate criteria met",
    "behind": "Companies behind",
    "gap": "Gap share of fair share",
    "kpis": "KPIs on track",
}


@dataclass(frozen=True)
class Overview:
    table: pd.DataFrame  # COLUMNS, plus "slug" and "Gate criteria"
    stages: pd.DataFrame  # Platform, Date, Stage: each platform's stage over time


def overview(
    viewer: Viewer, *, session: Session, default_scenario: str, today: date | None = None
) -> Overview:
    today = today or datetime.now(UTC).date()
    rows, steps = [], []
    for summary in platform_overview(session=session, viewer=viewer):
        platform = summary.platform
        view = platform_view(platform, session=session, default_scenario=default_scenario)
        met, criteria = met_share(platform.stage, view.facts)
        history = _stage_history(platform, session=session)
        since = history[-1][0]
        steps += [{"Platform": platform.name, "Date": d, "Stage": s} for d, s in history]
        steps.append({"Platform": platform.name, "Date": today, "Stage": platform.stage})
        standing = _standing(platform, default_scenario, session=session)
        kpis = with_pipeline(view.kpis, platform, ANONYMOUS, session=session, today=today)
        on_track, with_target = _kpi_progress(kpis, today.year)
        actions = _actions(platform, session=session)
        rows.append(
            {
                "slug": platform.slug,
                "Platform": platform.name,
                "Sector": summary.sector,
                "Stage": platform.stage,
                "Stage name": STAGES[platform.stage],
                "In stage since": since,
                "Days in stage": (today - since).days,
                "Gate criteria met": met,
                "Gate criteria": criteria,
                **standing,
                "KPIs on track": on_track,
                "KPIs with a next target": with_target,
                **{f"Actions {s}": actions.get(s, 0) for s in ACTION_STATUSES},
            }
        )
    table = pd.DataFrame(rows, columns=["slug", *COLUMNS, "Stage name", "Gate criteria"])
    for whole in ("Companies behind", "Companies judged", "Gap year"):
        table[whole] = table[whole].astype("Int64")  # counts, blank where not shown
    table["Gap share of fair share"] = table["Gap share of fair share"].astype("Float64")
    return Overview(table, pd.DataFrame(steps, columns=["Platform", "Date", "Stage"]))


def _stage_history(platform: Platform, *, session: Session) -> list[tuple[date, int]]:
    """(day, stage) from the platform's creation (stage 1, or the stage it was created at
    where no change is recorded) through each recorded advance."""
    entries = session.exec(
        select(HistoryEntry)
        .where(HistoryEntry.platform_id == platform.id, HistoryEntry.kind == "stage")
        .order_by(HistoryEntry.id)
    ).all()
    changes = []
    for entry in entries:
        old, arrow, new = entry.detail.removeprefix("stage: ").partition(" -> ")
        if arrow and old.strip().isdigit() and new.strip().isdigit():
            changes.append((entry.at.date(), int(old), int(new)))
    first = changes[0][1] if changes else platform.stage
    steps = [(platform.created_at.date(), first)]
    steps += [(day, new) for day, _, new in changes]
    return steps


def _standing(platform: Platform, default_scenario: str, *, session: Session) -> dict:
    """Companies behind and the platform's gap as a share of its fair share, in the latest
    reported year of the last published round, as anyone who sees no company reads them
    (withheld, None, by the small-group rule)."""
    empty = {
        "Companies behind": None,
        "Companies judged": None,
        "Gap year": None,
        "Gap share of fair share": None,
    }
    scenario = gate_scenario(platform, default_scenario, session=session)
    if scenario is None:
        return empty
    counts = analysis.behind_of(platform, scenario=scenario, viewer=ANONYMOUS, session=session)
    year = analysis.latest_reported_year(
        platform, scenario=scenario, session=session, published=True
    )
    try:
        totals = analysis.analyse_platform(
            platform, scenario=scenario, viewer=ANONYMOUS, session=session
        ).aggregate
    except (InputError, ReconcileError):
        totals = pd.DataFrame()
    share = None
    if year is not None and not totals.empty and col.FAIR_SHARE_EMISSIONS in totals:
        at = totals[totals[col.YEAR] == year]
        if len(at) == 1:
            fair = float(at[col.FAIR_SHARE_EMISSIONS].iloc[0])
            gap = float(at[col.GAP_EMISSIONS].iloc[0])
            share = gap / fair if fair > 0 and pd.notna(gap) else None
    return {
        "Companies behind": counts[0] if counts else None,
        "Companies judged": counts[1] if counts else None,
        "Gap year": year if share is not None else None,
        "Gap share of fair share": share,
    }


def _kpi_progress(kpis: list[KpiView], this_year: int) -> tuple[int, int]:
    """(KPIs on track, KPIs with a target at or after this year's next milestone). A KPI is on
    track where its latest actual has reached the target of the milestone before the next one
    (or, with none, is on the right side of its first target's path from zero)."""
    milestone = next_milestone(this_year)
    on_track = counted = 0
    for view in kpis:
        ahead = sorted(y for y in view.targets if y >= milestone)
        if not ahead or not view.actuals:
            continue
        counted += 1
        latest = view.actuals[max(view.actuals)]
        earlier = [y for y in view.targets if y < ahead[0]]
        bar = view.targets[max(earlier)] if earlier else None
        up = view.kpi.direction == "increase"
        if bar is None:
            on_track += int(latest > 0) if up else 0
        elif (latest >= bar) if up else (latest <= bar):
            on_track += 1
    return on_track, counted


def _actions(platform: Platform, *, session: Session) -> dict[str, int]:
    rows = session.exec(select(Action.status).where(Action.platform_id == platform.id)).all()
    out: dict[str, int] = {}
    for status in rows:
        out[status] = out.get(status, 0) + 1
    return out


def sorted_table(table: pd.DataFrame, key: str, descending: bool) -> pd.DataFrame:
    """The table sorted by one of SORT_KEYS (unknown keys: by platform), blanks last, ties by
    platform name."""
    column = SORT_KEYS.get(key, "Platform")
    ordered = table.sort_values(
        [column, "Platform"], ascending=[not descending, True], na_position="last", kind="stable"
    )
    return ordered.reset_index(drop=True)
