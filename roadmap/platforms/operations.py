"""Writes of a platform's four stages, each kept in its history with who and when. Functions
take ``session`` by keyword and flush; the caller (a view or a command) commits once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session, SQLModel

from roadmap.accounts.operations import add_coordinator
from roadmap.domain.numbers import exact_text
from roadmap.domain.pipeline import TYPED
from roadmap.models import (
    Action,
    CompanyTarget,
    DemandSignal,
    Kpi,
    KpiValue,
    Platform,
    PolicyAsk,
    RoadmapMilestone,
    RoadmapPathway,
    Signatory,
    User,
)
from roadmap.platforms.history import (
    changes_of,
    changes_text,
    named_companies,
    record_history,
    year_changes,
)
from roadmap.platforms.queries import sector_bound_records

# How the history names each kind of record a coordinator adds, edits and removes.
RECORD_LABELS: dict[type[SQLModel], Callable[[Any], str]] = {
    Signatory: lambda r: f"signatory {r.organisation}",
    CompanyTarget: lambda r: f"company target for {r.target_year}",
    DemandSignal: lambda r: f"demand signal from {r.buyer}",
    PolicyAsk: lambda r: f"policy ask '{r.rule[:60]}'",
    Action: lambda r: f"action '{r.title}'",
}
# The history's kind (models.HISTORY_KINDS) of each record.
RECORD_KINDS: dict[type[SQLModel], str] = {
    Signatory: "signatory",
    CompanyTarget: "company target",
    DemandSignal: "demand signal",
    PolicyAsk: "policy ask",
    Action: "action",
}


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
    changed = changes_of(platform, changes)
    if any(name == "sector_id" for name, _, _ in changed):
        bound = sector_bound_records(platform, session=session)
        if bound:
            held = " and ".join(f"{n} {kind}" for kind, n in bound.items())
            raise ChangeRefused(
                "sector_id",
                f"The sector cannot change: the platform holds {held} in "
                f"{platform.sector.name}'s units, which the new sector could not reconcile. "
                "Start a new platform for the other sector.",
            )
    for name, _, new in changed:
        setattr(platform, name, new)
    session.add(platform)
    session.flush()
    names = [name for name, _, _ in changed]
    if changed:
        record_history(
            platform,
            "edited " + ", ".join(names),
            detail=changes_text(changed),
            user=user,
            session=session,
        )
    return names


def advance_stage(platform: Platform, *, user: User | None, session: Session) -> None:
    """Move to the next stage; the caller has checked the gate."""
    platform.stage += 1
    session.add(platform)
    session.flush()
    record_history(
        platform,
        f"advanced to stage {platform.stage}",
        kind="stage",
        detail=f"stage: {platform.stage - 1} -> {platform.stage}",
        user=user,
        session=session,
    )


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
    record_history(
        platform,
        f"added {RECORD_LABELS[model](record)}",
        kind=RECORD_KINDS[model],
        detail=changes_text(
            named_companies(
                [(k, None, v) for k, v in columns.items() if v not in (None, "")], session=session
            )
        ),
        user=user,
        session=session,
    )
    return record


def update_record(
    record: SQLModel,
    platform: Platform,
    values: dict[str, Any],
    *,
    user: User | None,
    session: Session,
) -> list[str]:
    """Edit a signatory, company target, demand signal, policy ask or action in place with a
    form's ``values``; the history keeps each changed field's old and new value. Returns the
    names changed (none: no entry)."""
    changed = changes_of(record, values)
    if not changed:
        return []
    label = RECORD_LABELS[type(record)](record)
    for name, _, new in changed:
        setattr(record, name, new)
    session.add(record)
    session.flush()
    record_history(
        platform,
        f"edited {label}",
        kind=RECORD_KINDS[type(record)],
        detail=changes_text(named_companies(changed, session=session)),
        user=user,
        session=session,
    )
    return [name for name, _, _ in changed]


def delete_record(
    record: SQLModel, platform: Platform, *, user: User | None, session: Session
) -> None:
    label = RECORD_LABELS[type(record)](record)
    session.delete(record)
    session.flush()
    record_history(
        platform, f"removed {label}", kind=RECORD_KINDS[type(record)], user=user, session=session
    )


def set_action_status(action: Action, status: str, *, user: User | None, session: Session) -> None:
    """Move an implementation action to ``status``, kept in the history; no change, no entry."""
    if status == action.status:
        return
    record_history(
        action_platform(action, session=session),
        f"action '{action.title}': {action.status} -> {status}",
        kind="action",
        detail=changes_text([("status", action.status, status)]),
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
        before: dict[int, tuple[float, float | None]] = {}
        changed = [(name, None, value) for name, value in fields.items()]
        pathway = RoadmapPathway(platform_id=platform.id, **fields)
    else:
        before = {m.year: (m.intensity, m.activity) for m in pathway.milestones}
        changed = changes_of(pathway, fields)
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
    after = {y: (i, a) for y, i, a in milestones}
    record_history(
        platform,
        f"saved pathway '{pathway.scenario}' ({len(milestones)} milestones)",
        kind="pathway",
        detail=changes_text(changed + year_changes(before, after)),
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
    source: str = TYPED,
) -> Kpi:
    """A KPI with its five-year targets; ``source`` says whether its actuals are typed in or
    computed from the project pipeline (roadmap.domain.pipeline.MEASURES)."""
    kpi = Kpi(platform_id=platform.id, name=name, unit=unit, direction=direction, source=source)
    session.add(kpi)
    session.flush()
    session.add_all(
        [
            KpiValue(kpi_id=kpi.id, year=y, value=v, is_target=True)
            for y, v in sorted(targets.items())
        ]
    )
    session.flush()
    record_history(
        platform,
        f"saved KPI '{kpi.name}'",
        kind="kpi",
        detail=changes_text(
            [("unit", None, unit), ("direction", None, direction), ("source", None, source)]
            + [(f"target {y}", None, v) for y, v in sorted(targets.items())]
        ),
        user=user,
        session=session,
    )
    return kpi


def update_kpi(
    kpi: Kpi,
    platform: Platform,
    *,
    name: str,
    unit: str,
    direction: str,
    targets: dict[int, float],
    user: User | None,
    session: Session,
    source: str = TYPED,
) -> list[str]:
    """Edit a KPI and replace its five-year targets (its actuals stay); the history keeps each
    change. Returns what changed."""
    changed = changes_of(
        kpi, {"name": name, "unit": unit, "direction": direction, "source": source}
    )
    label = kpi.name
    for field, _, new in changed:
        setattr(kpi, field, new)
    stored = {v.year: v for v in kpi.values if v.is_target}
    for year in sorted(set(stored) | set(targets)):
        old = stored[year].value if year in stored else None
        if old == targets.get(year):
            continue
        changed.append((f"target {year}", old, targets.get(year)))
        if year not in targets:
            session.delete(stored[year])
        elif year in stored:
            stored[year].value = targets[year]
            session.add(stored[year])
        else:
            session.add(KpiValue(kpi_id=kpi.id, year=year, value=targets[year], is_target=True))
    session.add(kpi)
    session.flush()
    session.refresh(kpi, ["values"])
    if changed:
        record_history(
            platform,
            f"edited KPI '{label}'",
            kind="kpi",
            detail=changes_text(changed),
            user=user,
            session=session,
        )
    return [field for field, _, _ in changed]


def record_kpi_actual(
    kpi: Kpi, year: int, value: float, *, platform: Platform, user: User | None, session: Session
) -> None:
    """Record (or correct) the KPI's reported value for ``year``."""
    existing = next((v for v in kpi.values if v.year == year and not v.is_target), None)
    old = existing.value if existing else None
    actual = existing or KpiValue(kpi_id=kpi.id, year=year, value=value, is_target=False)
    actual.value = value
    session.add(actual)
    session.flush()
    session.refresh(kpi, ["values"])
    record_history(
        platform,
        f"recorded {kpi.name} {year}: {exact_text(value)} {kpi.unit}",
        kind="kpi",
        detail=changes_text([(f"actual {year}", old, value)]),
        user=user,
        session=session,
    )
