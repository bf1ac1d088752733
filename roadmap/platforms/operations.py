"""Writes of a platform's four stages, each kept in its history with who and when. Functions
take ``session`` by keyword and flush; the caller (a view or a command) commits once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session, SQLModel

from roadmap.accounts.operations import add_coordinator
from roadmap.domain.numbers import exact_text
from roadmap.models import (
    Action,
    CompanyTarget,
    DemandSignal,
    HistoryEntry,
    Kpi,
    KpiValue,
    Platform,
    PolicyAsk,
    RoadmapMilestone,
    RoadmapPathway,
    Signatory,
    User,
)
from roadmap.platforms.queries import sector_bound_records

# How the history names each kind of record a coordinator adds and removes.
RECORD_LABELS: dict[type[SQLModel], Callable[[Any], str]] = {
    Signatory: lambda r: f"signatory {r.organisation}",
    CompanyTarget: lambda r: f"company target for {r.target_year}",
    DemandSignal: lambda r: f"demand signal from {r.buyer}",
    PolicyAsk: lambda r: f"policy ask '{r.rule[:60]}'",
    Action: lambda r: f"action '{r.title}'",
}


def record_history(platform: Platform, what: str, *, user: User | None, session: Session) -> None:
    """Keep who changed what on a platform, and when."""
    session.add(
        HistoryEntry(platform_id=platform.id, user_id=user.id if user else None, what=what[:500])
    )
    session.flush()


def create_platform(
    *,
    session: Session,
    slug: str,
    name: str,
    sector_id: int,
    user: User | None = None,
    coordinator: User | None = None,
    **fields: Any,
) -> Platform:
    """A new platform in stage 1 (unless ``fields`` say otherwise); ``coordinator`` runs it."""
    platform = Platform(slug=slug, name=name, sector_id=sector_id, **fields)
    session.add(platform)
    session.flush()
    if coordinator is not None:
        add_coordinator(coordinator, platform.id, session=session)  # type: ignore[arg-type]
    record_history(
        platform, f"created the platform (stage {platform.stage})", user=user, session=session
    )
    return platform


class ChangeRefused(ValueError):
    """A change that would leave stored data meaningless; the message says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def update_platform(
    platform: Platform, changes: dict[str, object], *, user: User | None, session: Session
) -> list[str]:
    """Apply ``changes`` and record each changed field; returns the names changed. A new
    sector is refused (ChangeRefused) while the platform stores figures in the old sector's
    units: they could no longer be reconciled."""
    changed = [k for k, v in changes.items() if getattr(platform, k) != v]
    if "sector_id" in changed:
        bound = sector_bound_records(platform, session=session)
        if bound:
            held = " and ".join(f"{n} {kind}" for kind, n in bound.items())
            raise ChangeRefused(
                "sector_id",
                f"The sector cannot change: the platform holds {held} in "
                f"{platform.sector.name}'s units, which the new sector could not reconcile. "
                "Start a new platform for the other sector.",
            )
    for name in changed:
        setattr(platform, name, changes[name])
    session.add(platform)
    session.flush()
    if changed:
        record_history(platform, "edited " + ", ".join(changed), user=user, session=session)
    return changed


def advance_stage(platform: Platform, *, user: User | None, session: Session) -> None:
    """Move to the next stage; the caller has checked the gate."""
    platform.stage += 1
    session.add(platform)
    session.flush()
    record_history(platform, f"advanced to stage {platform.stage}", user=user, session=session)


def add_record(
    model: type[SQLModel],
    platform: Platform,
    values: dict[str, Any],
    *,
    user: User | None,
    session: Session,
) -> SQLModel:
    """Store a signatory, company target, demand signal, policy ask or action of
    ``platform`` from a form's ``values`` (those that are not the table's columns are left
    out)."""
    columns = {k: v for k, v in values.items() if k in model.model_fields and k != "id"}
    record = model(**{**columns, "platform_id": platform.id})
    session.add(record)
    session.flush()
    record_history(platform, f"added {RECORD_LABELS[model](record)}", user=user, session=session)
    return record


def delete_record(
    record: SQLModel, platform: Platform, *, user: User | None, session: Session
) -> None:
    label = RECORD_LABELS[type(record)](record)
    session.delete(record)
    session.flush()
    record_history(platform, f"removed {label}", user=user, session=session)


def set_action_status(action: Action, status: str, *, user: User | None, session: Session) -> None:
    """Move an implementation action to ``status``, kept in the history; no change, no entry."""
    if status == action.status:
        return
    record_history(
        action_platform(action, session=session),
        f"action '{action.title}': {action.status} -> {status}",
        user=user,
        session=session,
    )
    action.status = status
    session.add(action)
    session.flush()


def action_platform(action: Action, *, session: Session) -> Platform:
    platform = session.get(Platform, action.platform_id)
    assert platform is not None
    return platform


PATHWAY_FIELDS = (
    "scenario",
    "base_year",
    "target_year",
    "intensity_unit",
    "activity_unit",
    "published",
)


def save_pathway(
    platform: Platform,
    pathway: RoadmapPathway | None,
    fields: dict[str, Any],
    milestones: list[tuple[int, float, float | None]],
    *,
    user: User | None,
    session: Session,
) -> RoadmapPathway:
    """Store a roadmap pathway (a new one where ``pathway`` is None) with ``fields`` (of
    PATHWAY_FIELDS) and replace its milestones, checked by the caller with
    roadmap.domain.milestones."""
    if pathway is None:
        pathway = RoadmapPathway(platform_id=platform.id, **fields)
    else:
        for name, value in fields.items():
            setattr(pathway, name, value)
    session.add(pathway)
    session.flush()
    for old in list(pathway.milestones):
        session.delete(old)
    session.flush()
    session.add_all(
        [
            RoadmapMilestone(pathway_id=pathway.id, year=y, intensity=i, activity=a)
            for y, i, a in milestones
        ]
    )
    session.flush()
    session.refresh(pathway, ["milestones"])
    record_history(
        platform,
        f"saved pathway '{pathway.scenario}' ({len(milestones)} milestones)",
        user=user,
        session=session,
    )
    return pathway


def create_kpi(
    platform: Platform,
    *,
    name: str,
    unit: str,
    direction: str,
    targets: dict[int, float],
    user: User | None,
    session: Session,
) -> Kpi:
    """A KPI with its five-year targets."""
    kpi = Kpi(platform_id=platform.id, name=name, unit=unit, direction=direction)
    session.add(kpi)
    session.flush()
    session.add_all(
        [
            KpiValue(kpi_id=kpi.id, year=y, value=v, is_target=True)
            for y, v in sorted(targets.items())
        ]
    )
    session.flush()
    record_history(platform, f"saved KPI '{kpi.name}'", user=user, session=session)
    return kpi


def record_kpi_actual(
    kpi: Kpi, year: int, value: float, *, platform: Platform, user: User | None, session: Session
) -> None:
    """Record (or correct) the KPI's reported value for ``year``."""
    existing = next((v for v in kpi.values if v.year == year and not v.is_target), None)
    actual = existing or KpiValue(kpi_id=kpi.id, year=year, value=value, is_target=False)
    actual.value = value
    session.add(actual)
    session.flush()
    session.refresh(kpi, ["values"])
    record_history(
        platform,
        f"recorded {kpi.name} {year}: {exact_text(value)} {kpi.unit}",
        user=user,
        session=session,
    )
