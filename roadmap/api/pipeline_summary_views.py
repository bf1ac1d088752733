"""/api/v1/platforms/<slug>/pipeline: the pipeline page's figures as JSON, for whoever may see
the platform, counted as they may count them; /api/v1/overview: the platforms side by side."""

from __future__ import annotations

import pandas as pd

from roadmap.api import pipeline_schemas as schemas
from roadmap.api.views import JsonResponse, answer, bp, platform_or_404
from roadmap.config import default_scenario
from roadmap.db import get_session
from roadmap.extensions import current_viewer
from roadmap.models import ACTION_STATUSES
from roadmap.pipeline import analysis
from roadmap.platforms.overview import overview
from roadmap.platforms.queries import KpiView, kpi_views


@bp.get("/platforms/<slug>/pipeline")
def pipeline(slug: str) -> JsonResponse:
    platform = platform_or_404(slug)
    session = get_session()
    shown = analysis.summary(
        platform, current_viewer(), kpi_views(platform, session=session), session=session
    )
    counted = shown.counted
    body = {
        "platform": platform.slug,
        "unit": shown.unit,
        "projects_counted": 0 if counted.withheld else len(counted.projects),
        "withheld": counted.withheld,
        "unseen_companies": counted.unseen_companies,
        "published_at": counted.published_at,
        "weights": shown.weights,
        "utilisation": shown.utilisation,
        "capacity_by_start_year": [
            {"start_year": r["Start year"], "status": r["Status"], "capacity": r["Capacity"]}
            for r in shown.by_status_year.to_dict("records")
        ],
        "capacity_by_technology": [
            {"technology": r["Technology"], "status": r["Status"], "capacity": r["Capacity"]}
            for r in shown.by_technology.to_dict("records")
        ],
        "kpis": [_kpi(view, words) for view, _, words in shown.kpi_gaps],
        "demand_supply": [
            {
                "year": int(row[0]),
                "committed_demand": row[1],
                "projected_capacity": row[2],
                "expected_supply": row[3],
                "supply_minus_demand": row[4],
            }
            for row in shown.balance.itertuples(index=False)
        ],
        "demand_supply_words": shown.balance_words,
        "signals_not_counted": shown.uncounted_signals,
    }
    return answer(schemas.Pipeline, body)


def _kpi(view: KpiView, words: list[str]) -> dict:
    def series(values: dict[int, float]) -> list[dict]:
        return [{"year": y, "value": v} for y, v in sorted(values.items())]

    return {
        "id": view.kpi.id,
        "name": view.kpi.name,
        "unit": view.kpi.unit,
        "direction": view.kpi.direction,
        "source": view.kpi.source,
        "targets": series(view.targets),
        "actuals": series(view.actuals),
        "projection": series(view.projection),
        "note": view.note,
        "gaps": words,
    }


@bp.get("/overview")
def platforms_overview() -> JsonResponse:
    shown = overview(current_viewer(), session=get_session(), default_scenario=default_scenario())
    rows = [
        {
            "platform": r["slug"],
            "name": r["Platform"],
            "sector": r["Sector"],
            "stage": r["Stage"],
            "in_stage_since": r["In stage since"].isoformat(),
            "days_in_stage": r["Days in stage"],
            "gate_criteria_met": r["Gate criteria met"],
            "gate_criteria": r["Gate criteria"],
            "companies_behind": _or_none(r["Companies behind"]),
            "companies_judged": _or_none(r["Companies judged"]),
            "gap_year": _or_none(r["Gap year"]),
            "gap_share_of_fair_share": _or_none(r["Gap share of fair share"]),
            "kpis_on_track": r["KPIs on track"],
            "kpis_with_a_next_target": r["KPIs with a next target"],
            "actions": {s: r[f"Actions {s}"] for s in ACTION_STATUSES},
        }
        for r in shown.table.to_dict("records")
    ]
    return answer(schemas.OverviewList, rows)


def _or_none(value: object) -> object:
    return None if pd.isna(value) else value  # type: ignore[call-overload]
