"""Writes of sectors and pathways. Each function takes ``session`` by keyword and flushes; the
caller (a command or a view) commits once."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import insert
from sqlmodel import Session, select

from roadmap.domain import columns as col
from roadmap.domain.new_sector import NewSector, sector_problems
from roadmap.domain.units import product_dimension
from roadmap.models import Pathway, PathwayPoint, Scenario, Sector, SectorUnit, User
from roadmap.sectors.queries import sector_named, sectors
from roadmap.sectors.stored_units import learn_stored_units


@dataclass(frozen=True)
class PathwayImport:
    added: int  # pathways stored
    skipped: int  # pathways already present, left as they were


def get_or_create_sector(name: str, intensity_unit: str, *, session: Session) -> Sector:
    sector = sector_named(name, session=session)
    if sector is None:
        sector = Sector(name=name, intensity_unit=intensity_unit)
        session.add(sector)
        session.flush()
    return sector


class SectorRefused(ValueError):
    """A new sector that breaks a rule: (field, message) for each."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems


def create_sector(spec: NewSector, *, user: User | None, session: Session) -> Sector:
    """Store a sector with its product unit, or raise SectorRefused naming each problem. The
    units already stored (made by another process too) are learnt first, so that a name one
    of them took is refused. The unit itself is defined in the registry by the caller once the
    sector is stored (``stored_units.learn_stored_units``)."""
    learn_stored_units(session.connection())
    problems = sector_problems(spec, [s.name for s in sectors(session=session)])
    if problems:
        raise SectorRefused(problems)
    sector = Sector(name=spec.name, intensity_unit=spec.intensity_unit)
    session.add(sector)
    session.flush()
    session.add(
        SectorUnit(
            sector_id=sector.id,
            name=spec.unit,
            dimension=product_dimension(spec.unit),
            aliases=", ".join(spec.aliases),
            activity_unit=spec.activity_unit,
            created_by_id=user.id if user is not None else None,
        )
    )
    session.flush()
    return sector


def import_pathways(pathways: pd.DataFrame, *, session: Session) -> PathwayImport:
    """Store a validated pathway table. A pathway (scenario, sector, region, scope) already
    stored is left untouched, so importing the same file twice changes nothing."""
    added = skipped = 0
    series = [col.SCENARIO, col.SECTOR, col.REGION, col.SCOPE]
    for (_, sector_name, region, scope), points in pathways.groupby(series, sort=True):
        first = points.iloc[0]
        sector = get_or_create_sector(sector_name, first[col.INTENSITY_UNIT], session=session)
        scenario = _get_or_create_scenario(first, session=session)
        exists = session.exec(
            select(Pathway.id).where(
                Pathway.scenario_id == scenario.id,
                Pathway.sector_id == sector.id,
                Pathway.region == region,
                Pathway.scope == scope,
            )
        ).first()
        if exists is not None:
            skipped += 1
            continue
        pathway = Pathway(
            scenario_id=scenario.id,
            sector_id=sector.id,
            region=region,
            scope=scope,
            intensity_unit=first[col.INTENSITY_UNIT],
            activity_unit=first[col.ACTIVITY_UNIT] or "",
        )
        session.add(pathway)
        session.flush()
        rows = [
            {
                "pathway_id": pathway.id,
                "year": int(year),
                "intensity": float(intensity),
                "activity": None if pd.isna(activity) else float(activity),
            }
            for year, intensity, activity in points[
                [col.YEAR, col.INTENSITY, col.ACTIVITY]
            ].itertuples(index=False)
        ]
        session.execute(insert(PathwayPoint), rows)
        added += 1
    session.flush()
    return PathwayImport(added, skipped)


def _get_or_create_scenario(first: pd.Series, *, session: Session) -> Scenario:
    scenario = session.exec(select(Scenario).where(Scenario.name == first[col.SCENARIO])).first()
    if scenario is None:
        scenario = Scenario(
            name=first[col.SCENARIO],
            source=first[col.SOURCE],
            licence=first[col.LICENCE],
            release_date=first[col.RELEASE_DATE],
            temperature=_figure(first.get(col.TEMPERATURE)),
            global_budget=_figure(first.get(col.GLOBAL_BUDGET)),
        )
        session.add(scenario)
        session.flush()
    else:
        # A scenario stored before pathway files carried temperatures gets them from the next
        # import that gives them; one already stored is kept.
        for name in ("temperature", "global_budget"):
            if getattr(scenario, name) is None and _figure(first.get(name)) is not None:
                setattr(scenario, name, _figure(first.get(name)))
        session.flush()
    return scenario


def _figure(value: float | None) -> float | None:
    """A per-scenario figure as stored: None where the pathway table gives none."""
    return None if value is None or pd.isna(value) else float(value)
