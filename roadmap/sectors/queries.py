"""Reads of sectors and their stored pathways."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, select

from roadmap.domain import columns as col
from roadmap.models import Pathway, PathwayPoint, Scenario, Sector


def table_frame(session: Session, query: Any, names: list[str]) -> pd.DataFrame:
    """The rows of ``query`` as a DataFrame. Rows become plain tuples first: pandas probes
    SQLAlchemy's Row objects attribute by attribute, which costs more than the query."""
    return pd.DataFrame([tuple(row) for row in session.exec(query).all()], columns=names)


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
