"""Reads for the platform pages: the board, a platform's four stages, and its gate facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from roadmap import analysis, queries
from roadmap.access import Viewer
from roadmap.domain.aggregate import activity_share
from roadmap.domain.milestones import Milestone, check_milestones
from roadmap.domain.stages import PlatformFacts, gate, met_share
from roadmap.models import (
    Action,
    Company,
    CompanyTarget,
    DemandSignal,
    HistoryEntry,
    Kpi,
    KpiValue,
    Platform,
    PolicyAsk,
    RoadmapMilestone,
    RoadmapPathway,
    Sector,
    Signatory,
    User,
)


@dataclass(frozen=True)
class PathwayView:
    pathway: RoadmapPathway
    milestones: list[RoadmapMilestone]
    complete: bool


@dataclass(frozen=True)
class KpiView:
    kpi: Kpi
    targets: dict[int, float]
    actuals: dict[int, float]


@dataclass
class PlatformView:
    platform: Platform
    sector: Sector
    signatories: list[Signatory] = field(default_factory=list)
    pathways: list[PathwayView] = field(default_factory=list)
    kpis: list[KpiView] = field(default_factory=list)
    targets: list[tuple[CompanyTarget, str]] = field(default_factory=list)
    demand: list[DemandSignal] = field(default_factory=list)
    policy: list[PolicyAsk] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    history: list[tuple[HistoryEntry, str]] = field(default_factory=list)
    facts: PlatformFacts = field(default_factory=PlatformFacts)


def _all(session: Session, model: type, platform: Platform, order: object) -> list:
    return list(
        session.exec(
            select(model)
            .where(model.platform_id == platform.id)  # type: ignore[attr-defined]
            .order_by(order)
        ).all()
    )


def pathway_views(platform: Platform, *, session: Session) -> list[PathwayView]:
    views = []
    for pathway in _all(session, RoadmapPathway, platform, RoadmapPathway.id):
        milestones = list(
            session.exec(
                select(RoadmapMilestone)
                .where(RoadmapMilestone.pathway_id == pathway.id)
                .order_by(RoadmapMilestone.year)
            ).all()
        )
        problems = check_milestones(
            [Milestone(m.year, m.intensity, m.activity) for m in milestones],
            base_year=pathway.base_year,
            target_year=pathway.target_year,
        )
        views.append(PathwayView(pathway, milestones, not problems))
    return views


def kpi_views(platform: Platform, *, session: Session) -> list[KpiView]:
    views = []
    for kpi in _all(session, Kpi, platform, Kpi.name):
        values = session.exec(select(KpiValue).where(KpiValue.kpi_id == kpi.id)).all()
        views.append(
            KpiView(
                kpi,
                {v.year: v.value for v in values if v.is_target},
                {v.year: v.value for v in values if not v.is_target},
            )
        )
    return views


def platform_view(platform: Platform, *, session: Session) -> PlatformView:
    sector = session.get(Sector, platform.sector_id)
    assert sector is not None
    view = PlatformView(platform, sector)
    view.signatories = _all(session, Signatory, platform, Signatory.joined_on)
    view.pathways = pathway_views(platform, session=session)
    view.kpis = kpi_views(platform, session=session)
    view.targets = [
        (t, name)
        for t, name in session.exec(
            select(CompanyTarget, Company.name)
            .join(Company, Company.id == CompanyTarget.company_id)
            .where(CompanyTarget.platform_id == platform.id)
            .order_by(Company.name)
        ).all()
    ]
    view.demand = _all(session, DemandSignal, platform, DemandSignal.year)
    view.policy = _all(session, PolicyAsk, platform, PolicyAsk.id)
    view.actions = _all(session, Action, platform, Action.milestone_year)
    view.history = [
        (h, email or "system")
        for h, email in session.exec(
            select(HistoryEntry, User.email)
            .outerjoin(User, User.id == HistoryEntry.user_id)
            .where(HistoryEntry.platform_id == platform.id)
            .order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc())
        ).all()
    ]
    view.facts = facts_of(view, session=session)
    return view


def facts_of(view: PlatformView, *, session: Session) -> PlatformFacts:
    platform = view.platform
    trajectories = analysis.platform_trajectories(platform, session=session)
    committed = {name for _, name in view.targets}
    coverage = activity_share(trajectories, committed) if not trajectories.empty else None
    return PlatformFacts(
        vision=platform.vision,
        net_zero_year=platform.net_zero_year,
        signatories=len(view.signatories),
        complete_pathways=sum(p.complete and p.pathway.published for p in view.pathways),
        kpis_with_targets=sum(bool(k.targets) for k in view.kpis),
        commitment_coverage=coverage,
        coverage_target=platform.coverage_target,
        demand_signals=len(view.demand),
        policy_asks=len(view.policy),
        actions=len(view.actions),
    )


@dataclass(frozen=True)
class Card:
    platform: Platform
    sector: str
    signatories: int
    companies: int  # companies that submitted a trajectory
    met: int
    criteria: int
    behind: int | None
    scenario: str | None


def board(*, viewer: Viewer, scenario: str, session: Session) -> dict[int, list[Card]]:
    """The platforms the viewer may see, by stage, with what each card shows."""
    cards: dict[int, list[Card]] = {stage: [] for stage in (1, 2, 3, 4)}
    signatories = dict(
        session.exec(
            select(Signatory.platform_id, func.count()).group_by(Signatory.platform_id)
        ).all()
    )
    companies = {
        s.platform.id: s.companies
        for s in queries.platform_overview(session=session, viewer=viewer)
    }
    for platform in queries.platforms(session=session, viewer=viewer):
        view = platform_view(platform, session=session)
        met, total = met_share(platform.stage, view.facts)
        chosen = analysis.scenario_for(platform, scenario, session=session)
        # Withheld where it would tell how one or two peers stand (see companies_behind).
        behind = (
            analysis.companies_behind(platform, scenario=chosen, viewer=viewer, session=session)
            if chosen
            else None
        )
        cards[platform.stage].append(
            Card(
                platform,
                view.sector.name,
                signatories.get(platform.id, 0),
                companies.get(platform.id, 0),
                met,
                total,
                behind,
                chosen,
            )
        )
    return cards


def checklist(view: PlatformView) -> list:
    return gate(view.platform.stage, view.facts)
