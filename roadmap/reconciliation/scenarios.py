"""The scenarios a platform's companies can be reconciled against: every stored pathway of its
sector, and the platform's own published roadmap pathways, offered as "<name> (platform
roadmap)" in the platform's region and scope."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlmodel import Session, select

from roadmap.domain import columns as col
from roadmap.domain.errors import InputError
from roadmap.domain.ingest import table_from_records
from roadmap.domain.matching import canonical_scenario
from roadmap.domain.params import ReconcileParams
from roadmap.domain.validate import validate_pathways
from roadmap.memo import Memo, per_session
from roadmap.models import Platform, RoadmapMilestone, RoadmapPathway
from roadmap.sectors.queries import pathways_frame, pathways_stamp

ROADMAP_SUFFIX = " (platform roadmap)"

# Pathway tables are small (some thousand rows per sector).
_memo = Memo(budget=200_000)


def roadmap_rows(platform: Platform, *, session: Session) -> tuple[tuple[Any, ...], ...]:
    """The milestones of the platform's published roadmap pathways (a few rows), in order:
    they can be edited, so they are read whole to tell whether they changed."""
    rows = session.exec(
        select(
            RoadmapPathway.scenario,
            RoadmapPathway.intensity_unit,
            RoadmapPathway.activity_unit,
            RoadmapMilestone.year,
            RoadmapMilestone.intensity,
            RoadmapMilestone.activity,
        )
        .join(RoadmapMilestone, RoadmapMilestone.pathway_id == RoadmapPathway.id)
        .where(RoadmapPathway.platform_id == platform.id, RoadmapPathway.published)
        .order_by(RoadmapPathway.id, RoadmapMilestone.year)
    ).all()
    return tuple(tuple(row) for row in rows)


def scenarios_stamp(platform: Platform, *, session: Session) -> tuple[Any, ...]:
    """What the platform's scenarios depend on, read once per database session."""
    return per_session(
        session,
        ("scenarios", platform.id, platform.sector_id, platform.region, platform.scope),
        lambda: (
            platform.id,
            platform.sector_id,
            platform.region,
            platform.scope,
            *pathways_stamp(session=session),
            roadmap_rows(platform, session=session),
        ),
    )


def sector_pathways(platform: Platform, *, session: Session) -> pd.DataFrame:
    """The stored pathways of the platform's sector and its published roadmap pathways, as one
    validated pathway table, read once per change of the data. Do not modify it."""
    stamp = scenarios_stamp(platform, session=session)

    def make() -> pd.DataFrame:
        stored = pathways_frame(session=session, sectors=[platform.sector.name])
        own = roadmap_table(platform, stamp[-1])
        return stored if own is None else pd.concat([stored, own], ignore_index=True)

    return _memo.get(session, ("pathways", *stamp), make)


def roadmap_table(platform: Platform, rows: tuple[tuple[Any, ...], ...]) -> pd.DataFrame | None:
    """The platform's roadmap milestones (``roadmap_rows``) as a validated pathway table,
    linear between milestones like any pathway; None where there are none. A pathway that
    does not make a valid one (a draft saved half-done) is simply not offered."""
    if not rows:
        return None
    records = [
        {
            col.SECTOR: platform.sector.name,
            col.SCENARIO: f"{scenario}{ROADMAP_SUFFIX}",
            col.REGION: platform.region,
            col.SCOPE: platform.scope,
            col.YEAR: year,
            col.INTENSITY: intensity,
            col.INTENSITY_UNIT: intensity_unit,
            col.ACTIVITY: activity if activity_unit else None,
            col.ACTIVITY_UNIT: activity_unit if activity is not None else "",
            col.SOURCE: f"{platform.name} roadmap",
        }
        for scenario, intensity_unit, activity_unit, year, intensity, activity in rows
    ]
    # Each pathway is checked alone first, so that one that cannot be used (stored before
    # a rule refused its name, or half-done) does not take the platform's others with it.
    by_pathway: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_pathway.setdefault(record[col.SCENARIO], []).append(record)
    usable = [
        record
        for pathway in by_pathway.values()
        if _pathway_table(platform, pathway) is not None
        for record in pathway
    ]
    return _pathway_table(platform, usable) if usable else None


def _pathway_table(platform: Platform, records: list[dict[str, Any]]) -> pd.DataFrame | None:
    columns = [*col.PATHWAY_REQUIRED, col.ACTIVITY, col.ACTIVITY_UNIT, col.SOURCE]
    try:
        return validate_pathways(
            table_from_records(records, columns=columns, name=f"{platform.slug} roadmap")
        )
    except InputError:
        return None


def scenario_names(platform: Platform, *, session: Session) -> list[str]:
    return sorted(sector_pathways(platform, session=session)[col.SCENARIO].unique())


def canonical(platform: Platform, scenario: str, *, session: Session) -> str | None:
    """The stored spelling of ``scenario`` among the platform's scenarios, or None."""
    return canonical_scenario(scenario_names(platform, session=session), scenario)


def scenario_for(platform: Platform, preferred: str, *, session: Session) -> str | None:
    """``preferred`` where the platform's sector has it, else its first scenario, else None."""
    names = scenario_names(platform, session=session)
    return canonical_scenario(names, preferred) or (names[0] if names else None)


def platform_params(platform: Platform, scenario: str) -> ReconcileParams:
    """How ``platform`` reconciles its companies against ``scenario``: the SDA with its own
    CO2/CO2e setting. Every reconciliation of a platform's figures (dashboards, review effects,
    upload previews, what-if plans) uses this, so all of them draw what will count."""
    return ReconcileParams(scenario, treat_co2_as_co2e=platform.treat_co2_as_co2e)


def no_scenario_message(platform: Platform) -> str:
    return f"No scenario is stored for the {platform.sector.name} sector yet."


def gate_scenario(platform: Platform, default: str, *, session: Session) -> str | None:
    """The scenario company targets are judged against for the stage-3 gate: the platform's
    first published roadmap pathway (the roadmap its targets are tied to), else ``default``
    where the sector has it, else its first scenario; None where there is none."""
    names = set(scenario_names(platform, session=session))
    for scenario, *_ in roadmap_rows(platform, session=session):
        if f"{scenario}{ROADMAP_SUFFIX}" in names:
            return f"{scenario}{ROADMAP_SUFFIX}"
    return scenario_for(platform, default, session=session)
