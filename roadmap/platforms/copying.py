"""Setting a platform up from another one: its own gate criteria (to be ticked again), its KPI
definitions (with their targets, where asked) and its implementation actions as templates
(status reset to planned, no due date).
Nothing of any company is copied. What the source has that the platform already has (a KPI of
the same name, an action of the same title) is skipped. Each function takes ``session`` by
keyword; ``copy_from`` flushes and records one history entry, the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from roadmap.domain.matching import name_key
from roadmap.models import Action, GateCriterion, Kpi, Platform, User
from roadmap.platforms.history import record_history
from roadmap.platforms.operations import create_kpi
from roadmap.platforms.queries import kpi_views


@dataclass(frozen=True)
class CopyPlan:
    criteria: list[GateCriterion] = field(default_factory=list)  # of the source, to add
    kpis: list[Kpi] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what the platform has already


def copy_plan(target: Platform, source: Platform, *, session: Session) -> CopyPlan:
    """What copying ``source`` into ``target`` would add, and what it would skip."""
    have_kpis = {name_key(k.name) for k in _kpis(target, session)}
    have_actions = {name_key(a.title) for a in _actions(target, session)}
    plan = CopyPlan()
    have_criteria = {(c.stage, name_key(c.text)) for c in _criteria(target, session)}
    for criterion in _criteria(source, session):
        if (criterion.stage, name_key(criterion.text)) in have_criteria:
            plan.skipped.append(f"gate criterion {criterion.text}: {target.name} has it")
        else:
            plan.criteria.append(criterion)
    for kpi in _kpis(source, session):
        if name_key(kpi.name) in have_kpis:
            plan.skipped.append(f"KPI {kpi.name}: {target.name} has one of that name")
        else:
            plan.kpis.append(kpi)
    for action in _actions(source, session):
        if name_key(action.title) in have_actions:
            plan.skipped.append(f"action {action.title}: {target.name} has one of that title")
        else:
            plan.actions.append(action)
            have_actions.add(name_key(action.title))
    return plan


def copy_from(
    target: Platform,
    source: Platform,
    *,
    kpis: bool,
    targets: bool,
    actions: bool,
    user: User | None,
    session: Session,
    criteria: bool = False,
) -> list[str]:
    """Copy what ``copy_plan`` lists (gate criteria, KPIs and/or actions); returns what was
    added. Copied criteria are not met: the platform ticks them with its own evidence."""
    plan = copy_plan(target, source, session=session)
    added = []
    if criteria:
        for criterion in plan.criteria:
            session.add(
                GateCriterion(platform_id=target.id, stage=criterion.stage, text=criterion.text)
            )
            added.append(f"gate criterion {criterion.text}")
        session.flush()
    if kpis:
        values = {v.kpi.id: v.targets for v in kpi_views(source, session=session)}
        for kpi in plan.kpis:
            create_kpi(
                target,
                name=kpi.name,
                unit=kpi.unit,
                direction=kpi.direction,
                targets=values.get(kpi.id, {}) if targets else {},
                source=kpi.source,
                user=user,
                session=session,
            )
            added.append(f"KPI {kpi.name}")
    if actions:
        for action in plan.actions:
            session.add(
                Action(
                    platform_id=target.id,
                    kind=action.kind,
                    title=action.title,
                    owner=action.owner,
                    status="planned",
                    milestone_year=action.milestone_year,
                )
            )
            added.append(f"action {action.title}")
        session.flush()
    if added:
        record_history(
            target,
            f"copied {len(added)} definitions from {source.name}",
            detail="\n".join(added),
            user=user,
            session=session,
        )
    return added


def _criteria(platform: Platform, session: Session) -> list[GateCriterion]:
    query = select(GateCriterion).where(GateCriterion.platform_id == platform.id)
    return list(session.exec(query.order_by(GateCriterion.stage, GateCriterion.id)).all())


def _kpis(platform: Platform, session: Session) -> list[Kpi]:
    return list(
        session.exec(select(Kpi).where(Kpi.platform_id == platform.id).order_by(Kpi.name)).all()
    )


def _actions(platform: Platform, session: Session) -> list[Action]:
    return list(
        session.exec(
            select(Action).where(Action.platform_id == platform.id).order_by(Action.id)
        ).all()
    )
