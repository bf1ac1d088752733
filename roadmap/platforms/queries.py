"""Reads of platforms, scoped to the viewer: the board, a platform's four stages, its gate
facts, and the published scenarios its roadmap is drawn against."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.config import Defaults
from roadmap.domain import columns as col
from roadmap.domain import commitments as cm
from roadmap.domain.aggregate import activity_share
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.matching import pathway_region
from roadmap.domain.milestones import Milestone, check_milestones
from roadmap.domain.stages import Criterion, PlatformFacts, gate, met_share
from roadmap.models import (
    Action,
    Company,
    CompanyTarget,
    DemandSignal,
    HistoryEntry,
    Kpi,
    Platform,
    PolicyAsk,
    RoadmapMilestone,
    RoadmapPathway,
    Sector,
    Signatory,
    Submission,
    User,
)
from roadmap.reconciliation.analysis import every_company
from roadmap.reconciliation.scenarios import gate_scenario
from roadmap.sectors.queries import pathways_frame
from roadmap.submissions.queries import accepted_assurance, accepted_trajectories

R = TypeVar("R", bound=SQLModel)


def platforms(*, session: Session, viewer: Viewer) -> list[Platform]:
    return list(
        session.exec(
            select(Platform).where(access.platform_filter(viewer)).order_by(Platform.name)
        ).all()
    )


def platform(slug: str, *, session: Session, viewer: Viewer) -> Platform | None:
    return session.exec(
        select(Platform).where(Platform.slug == slug, access.platform_filter(viewer))
    ).first()


def platform_by_slug(slug: str, *, session: Session) -> Platform | None:
    """Unscoped, for commands run by the operator and for uniqueness checks."""
    return session.exec(select(Platform).where(Platform.slug == slug)).first()


@dataclass(frozen=True)
class PlatformSummary:
    platform: Platform
    sector: str
    companies: int


def platform_overview(*, session: Session, viewer: Viewer) -> list[PlatformSummary]:
    """The platforms the viewer may see, with sector name and how many companies have
    submitted to each."""
    companies = (
        select(Submission.platform_id, func.count(func.distinct(Submission.company_id)).label("n"))
        .group_by(Submission.platform_id)
        .subquery()
    )
    rows = session.exec(
        select(Platform, Sector.name, func.coalesce(companies.c.n, 0))
        .join(Sector, Sector.id == Platform.sector_id)
        .outerjoin(companies, companies.c.platform_id == Platform.id)
        .where(access.platform_filter(viewer))
        .order_by(Platform.stage.desc(), Platform.name)
    ).all()
    return [PlatformSummary(p, sector, int(n)) for p, sector, n in rows]


def platform_companies(platform: Platform, *, session: Session) -> list[Company]:
    """Companies that have submitted to the platform (for a coordinator's choices)."""
    return list(
        session.exec(
            select(Company)
            .where(
                Company.id.in_(
                    select(Submission.company_id).where(Submission.platform_id == platform.id)
                )
            )
            .order_by(Company.name)
        ).all()
    )


def sector_bound_records(platform: Platform, *, session: Session) -> dict[str, int]:
    """What the platform stores in its sector's units: submissions (of any status) and roadmap
    pathways; by kind, where there are any."""
    counts = {
        "submissions": session.exec(
            select(func.count())
            .select_from(Submission)
            .where(Submission.platform_id == platform.id)
        ).one(),
        "roadmap pathways": session.exec(
            select(func.count())
            .select_from(RoadmapPathway)
            .where(RoadmapPathway.platform_id == platform.id)
        ).one(),
    }
    return {kind: int(n) for kind, n in counts.items() if n}


def signatory_count(platform: Platform, *, session: Session) -> int:
    return int(
        session.exec(
            select(func.count()).select_from(Signatory).where(Signatory.platform_id == platform.id)
        ).one()
    )


def record_of(model: type[R], platform: Platform, record_id: int, *, session: Session) -> R | None:
    """A signatory, target, demand signal, policy ask, action, KPI or roadmap pathway of this
    platform; one of another platform is not found."""
    record = session.get(model, record_id)
    if record is None or getattr(record, "platform_id", None) != platform.id:
        return None
    return record


def references(platform: Platform, *, session: Session) -> pd.DataFrame:
    """Published scenarios for the platform's sector and scope (in its region, else Global,
    as the reconciliation falls back), for comparison on the roadmap chart and to start a
    pathway from: scenario, year, intensity."""
    stored = pathways_frame(session=session, sectors=[platform.sector.name])
    stored = stored[stored[col.SCOPE] == platform.scope]
    frames = []
    for _, curve in stored.groupby(col.SCENARIO, sort=True):
        region = pathway_region(curve[col.REGION].unique(), platform.region)
        if region is not None:
            frames.append(curve[curve[col.REGION] == region])
    columns = [col.SCENARIO, col.YEAR, col.INTENSITY]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


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
    # For a KPI computed from the project pipeline (roadmap.pipeline.analysis): what the
    # pipeline promises at each target year, the status weights used, and what was counted.
    projection: dict[int, float] = field(default_factory=dict)
    weights: dict[str, float] | None = None
    note: str = ""


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
    credibility: Credibility | None = None


@dataclass(frozen=True)
class Credibility:
    """Each company target judged against its company's own SDA target and plan
    (``commitments.assess_targets``), by target id, with the assurance of the figures used."""

    scenario: str | None  # what the targets are judged against
    unit: str  # of the intensities below
    assessments: dict[int, dict[str, Any]]  # target id -> the assessment's columns
    assurance: dict[str, str]  # company name -> assurance of the accepted version used
    note: str = ""  # why nothing could be judged, for coordinators

    def counts(self, target_id: int | None) -> bool:
        found = self.assessments.get(target_id or 0)
        return bool(found and found[cm.COUNTS])


def _all(session: Session, model: type, platform: Platform, order: Any) -> list:
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
        milestones = list(pathway.milestones)
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
        values = kpi.values
        views.append(
            KpiView(
                kpi,
                {v.year: v.value for v in values if v.is_target},
                {v.year: v.value for v in values if not v.is_target},
            )
        )
    return views


def platform_view(
    platform: Platform, *, session: Session, default_scenario: str = Defaults.DEFAULT_SCENARIO
) -> PlatformView:
    """Everything on a platform's page; its company targets are judged against
    ``gate_scenario`` (its published roadmap, else ``default_scenario``)."""
    view = PlatformView(platform, platform.sector)
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
    view.history = history(platform, session=session)
    view.credibility = credibility(view, session=session, default_scenario=default_scenario)
    view.facts = facts_of(view, session=session)
    return view


def credibility(view: PlatformView, *, session: Session, default_scenario: str) -> Credibility:
    """The platform's company targets judged against its gate scenario. Where the platform
    cannot be reconciled, every target is "cannot assess" and ``note`` says why."""
    platform = view.platform
    scenario = gate_scenario(platform, default_scenario, session=session)
    unit = view.sector.intensity_unit
    # The versions behind the gate's (published) figures.
    assurance = (
        accepted_assurance(platform, session=session, published=True) if view.targets else {}
    )
    targets = pd.DataFrame(
        [
            (t.id, name, t.target_year, t.kind, t.value, t.scope, t.validation)
            for t, name in view.targets
        ],
        columns=[*cm.TARGET_COLUMNS, cm.VALIDATION],
    )
    note = ""
    results = pd.DataFrame(columns=col.RESULT_COLUMNS + col.RESULT_DETAIL_COLUMNS)
    if scenario is None:
        note = f"No scenario is stored for {view.sector.name}: targets cannot be judged."
    elif not targets.empty and assurance:
        try:
            results = every_company(platform, scenario=scenario, session=session)
        except (InputError, ReconcileError) as error:
            note = f"The submissions cannot be reconciled against {scenario}: {error}"
    assessed = cm.assess_targets(targets, results, unit=unit)
    if not results.empty:
        unit = str(results[col.INTENSITY_UNIT].iloc[0])
    assessed[cm.COUNTS] = cm.counts_for_gate(assessed[cm.ASSESSMENT], targets[cm.VALIDATION])
    by_id = {int(row[cm.TARGET_ID]): row for row in assessed.to_dict("records")}
    return Credibility(scenario, unit, by_id, assurance, note)


def facts_of(view: PlatformView, *, session: Session) -> PlatformFacts:
    platform = view.platform
    # The gates read what everyone sees: the last published round's figures.
    trajectories = accepted_trajectories(platform, session=session, published=True)
    assert view.credibility is not None
    credible = {name for t, name in view.targets if view.credibility.counts(t.id)}
    coverage = activity_share(trajectories, credible) if not trajectories.empty else None
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
        targets=len(view.targets),
        credible_targets=sum(view.credibility.counts(t.id) for t, _ in view.targets),
    )


@dataclass(frozen=True)
class Card:
    platform: Platform
    sector: str
    signatories: int
    companies: int  # companies that submitted a trajectory
    met: int
    criteria: int


def board(
    *, viewer: Viewer, session: Session, default_scenario: str = Defaults.DEFAULT_SCENARIO
) -> dict[int, list[Card]]:
    """The platforms the viewer may see, by stage, with what each card shows."""
    cards: dict[int, list[Card]] = {stage: [] for stage in (1, 2, 3, 4)}
    signatories = dict(
        session.exec(
            select(Signatory.platform_id, func.count()).group_by(Signatory.platform_id)
        ).all()
    )
    for summary in platform_overview(session=session, viewer=viewer):
        view = platform_view(summary.platform, session=session, default_scenario=default_scenario)
        met, total = met_share(summary.platform.stage, view.facts)
        cards[summary.platform.stage].append(
            Card(
                summary.platform,
                summary.sector,
                signatories.get(summary.platform.id, 0),
                summary.companies,
                met,
                total,
            )
        )
    for stage_cards in cards.values():
        stage_cards.sort(key=lambda card: card.platform.name)
    return cards


def checklist(view: PlatformView) -> list[Criterion]:
    return gate(view.platform.stage, view.facts)


def history(
    platform: Platform, *, session: Session, kind: str | None = None
) -> list[tuple[HistoryEntry, str]]:
    """The platform's history, newest first, with who did each thing (their email, or
    "system"); only entries of ``kind`` where given."""
    query = (
        select(HistoryEntry, User.email)
        .outerjoin(User, User.id == HistoryEntry.user_id)
        .where(HistoryEntry.platform_id == platform.id)
    )
    if kind:
        query = query.where(HistoryEntry.kind == kind)
    return [
        (entry, email or "system")
        for entry, email in session.exec(
            query.order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc())  # type: ignore[attr-defined]
        ).all()
    ]


HISTORY_COLUMNS = ["at_utc", "by", "kind", "what", "detail"]


def history_frame(platform: Platform, *, session: Session, kind: str | None = None) -> pd.DataFrame:
    """The history as a table for export: one row per entry, newest first; ``detail`` holds
    an edit's ``field: old -> new`` lines or a decision's reason."""
    return pd.DataFrame(
        [
            {
                "at_utc": entry.at.strftime("%Y-%m-%d %H:%M:%S"),
                "by": who,
                "kind": entry.kind,
                "what": entry.what,
                "detail": entry.detail,
            }
            for entry, who in history(platform, session=session, kind=kind)
        ],
        columns=HISTORY_COLUMNS,
    )
