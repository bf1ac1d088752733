"""Reads of sectors and their stored pathways."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, select

from roadmap.accounts.access import Viewer, platform_filter
from roadmap.domain import columns as col
from roadmap.models import Pathway, PathwayPoint, Platform, Scenario, Sector, SectorUnit


def table_frame(session: Session, query: Any, names: list[str]) -> pd.DataFrame:
    """The rows of ``query`` (columns, not objects) as a DataFrame. The query runs on the
    session's connection, past the ORM's row loading, which cost more than the query itself
    (16,000 trajectory rows: about half the time); what the session holds unsaved is flushed
    first, as the ORM would. Rows become plain tuples: pandas probes SQLAlchemy's Row objects
    attribute by attribute."""
    session.flush()
    rows = session.connection().execute(query).fetchall()
    return pd.DataFrame([tuple(row) for row in rows], columns=names)


def sectors(*, session: Session) -> list[Sector]:
    return list(session.exec(select(Sector).order_by(Sector.name)).all())


def sector_named(name: str, *, session: Session) -> Sector | None:
    return session.exec(select(Sector).where(Sector.name == name)).first()


_PATHWAY_COLUMNS = [
    col.SECTOR,
    col.SCENARIO,
    col.REGION,
    col.SCOPE,
    col.YEAR,
    col.INTENSITY,
    col.INTENSITY_UNIT,
    col.ACTIVITY,
    col.ACTIVITY_UNIT,
    col.SOURCE,
    col.LICENCE,
    col.RELEASE_DATE,
    col.TEMPERATURE,
    col.GLOBAL_BUDGET,
    col.ROW,
]


def pathways_frame(*, session: Session, sectors: list[str] | None = None) -> pd.DataFrame:
    """Every stored pathway point (of ``sectors``, if given) as a validated pathway table
    (DESIGN.md data contract)."""
    query = (
        select(
            Sector.name,
            Scenario.name,
            Pathway.region,
            Pathway.scope,
            PathwayPoint.year,
            PathwayPoint.intensity,
            Pathway.intensity_unit,
            PathwayPoint.activity,
            Pathway.activity_unit,
            Scenario.source,
            Scenario.licence,
            Scenario.release_date,
            Scenario.temperature,
            Scenario.global_budget,
            PathwayPoint.id,
        )
        .join(Pathway, Pathway.id == PathwayPoint.pathway_id)
        .join(Scenario, Scenario.id == Pathway.scenario_id)
        .join(Sector, Sector.id == Pathway.sector_id)
        .order_by(Sector.name, Scenario.name, Pathway.region, Pathway.scope, PathwayPoint.year)
    )
    if sectors is not None:
        query = query.where(Sector.name.in_(sectors))
    frame = table_frame(session, query, _PATHWAY_COLUMNS)
    for figure in (col.ACTIVITY, col.TEMPERATURE, col.GLOBAL_BUDGET):
        frame[figure] = frame[figure].astype("float64")
    frame.attrs["source"] = "stored pathways"
    return frame


def pathways_stamp(*, session: Session) -> tuple[Any, ...]:
    """Identifies the stored pathways: they are only ever added, so their count and largest
    id change with every import."""
    return tuple(session.exec(select(func.count(), func.max(Pathway.id))).one())


@dataclass(frozen=True)
class SectorRow:
    sector: Sector
    unit: SectorUnit | None  # None: a built-in sector, its unit defined in code
    scenarios: int  # stored scenarios with a pathway for it


def sector_rows(*, session: Session) -> list[SectorRow]:
    """Every sector with its product unit and how many stored scenarios it has, by name."""
    counts = dict(
        session.exec(
            select(Pathway.sector_id, func.count(func.distinct(Pathway.scenario_id))).group_by(
                Pathway.sector_id
            )
        ).all()
    )
    rows = session.exec(
        select(Sector, SectorUnit)
        .join(SectorUnit, SectorUnit.sector_id == Sector.id, isouter=True)
        .order_by(Sector.name)
    ).all()
    return [SectorRow(sector, unit, counts.get(sector.id, 0)) for sector, unit in rows]


def sector_row(sector_id: int, *, session: Session) -> SectorRow | None:
    return next((r for r in sector_rows(session=session) if r.sector.id == sector_id), None)


def sector_scenarios(sector: Sector, *, session: Session) -> list[tuple[str, str, str]]:
    """(scenario, source, activity unit) of each stored scenario with a pathway for ``sector``."""
    rows = session.exec(
        select(Scenario.name, Scenario.source, func.max(Pathway.activity_unit))
        .join(Pathway, Pathway.scenario_id == Scenario.id)
        .where(Pathway.sector_id == sector.id)
        .group_by(Scenario.name, Scenario.source)
        .order_by(Scenario.name)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def sector_platforms(sector: Sector, *, viewer: Viewer, session: Session) -> list[Platform]:
    """The platforms on ``sector`` the viewer may open."""
    return list(
        session.exec(
            select(Platform)
            .where(Platform.sector_id == sector.id, platform_filter(viewer))
            .order_by(Platform.name)
        ).all()
    )
