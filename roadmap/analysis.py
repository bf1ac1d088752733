"""A platform's reconciliation from stored data, scoped to the viewer: what the API (and the
dashboards) show. The figures come from roadmap.domain only, never recomputed here."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Engine, event, func
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from roadmap import access, queries
from roadmap.access import Viewer
from roadmap.domain import columns as col
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.dashboard import QUARTILE_COLUMNS, peer_quartiles
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.ingest import table_from_records
from roadmap.domain.matching import resolve_scenario
from roadmap.domain.reconcile import ReconcileParams, Reconciliation, reconcile
from roadmap.domain.validate import validate_pathways
from roadmap.models import (
    Company,
    Pathway,
    Platform,
    RoadmapMilestone,
    RoadmapPathway,
    Sector,
    Submission,
)

T = TypeVar("T")


@dataclass(frozen=True)
class PlatformAnalysis:
    scenario: str
    results: pd.DataFrame  # company rows the viewer may see (data contract + details)
    aggregate: pd.DataFrame  # platform totals over every accepted company (anonymous figures)
    warnings: tuple[str, ...]
    # Peer quartiles of intensity per year over every company (years with too few withheld).
    peers: pd.DataFrame


class _Memo:
    """A least-recently-used store, per database engine, shared by the threads of one process,
    holding at most ``budget`` table rows (``weight`` of each value) per engine. Values are
    treated as read-only by every caller."""

    def __init__(self, budget: int, weight: Callable[[Any], int]) -> None:
        self.budget, self.weight = budget, weight
        self.lock = threading.Lock()
        self.stores: weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, Any]] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, engine: Engine, key: Hashable, make: Callable[[], T]) -> T:
        with self.lock:
            store = self.stores.setdefault(engine, OrderedDict())
            if key in store:
                store.move_to_end(key)
                return store[key]  # type: ignore[no-any-return]
        value = make()
        with self.lock:
            store[key] = value
            while len(store) > 1 and sum(map(self.weight, store.values())) > self.budget:
                store.popitem(last=False)
        return value


@dataclass(frozen=True)
class _Full:
    """A platform's whole reconciliation (every company) under one scenario."""

    scenario: str
    results: pd.DataFrame
    totals: pd.DataFrame
    warnings: tuple[str, ...]
    peers: pd.DataFrame


def _rows(value: Any) -> int:
    """The rows a stored value holds; at least 1, so that empty results count too."""
    if isinstance(value, _Full):
        return max(1, len(value.results))
    return max(1, len(value)) if isinstance(value, pd.DataFrame) else 1


# About 2 million rows of results and inputs (some hundreds of MB at most) per process.
_memo = _Memo(budget=2_000_000, weight=_rows)


ROADMAP_SUFFIX = " (platform roadmap)"


def _roadmap_rows(platform: Platform, session: Session) -> tuple[tuple[Any, ...], ...]:
    """The milestones of the platform's published roadmap pathways (a few rows), in order."""
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


_STAMPS = "roadmap.analysis.stamps"


def _stamp(platform: Platform, session: Session) -> tuple[Any, ...]:
    """What the platform's reconciliation depends on (``_read_stamp``), read once per
    database session until it writes, commits or rolls back (``_forget_stamps``): a
    dashboard asks for it several times per request."""
    stamps = session.info.setdefault(_STAMPS, {})
    if platform.id not in stamps:
        stamps[platform.id] = _read_stamp(platform, session)
    return stamps[platform.id]  # type: ignore[no-any-return]


@event.listens_for(OrmSession, "after_flush")
@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _forget_stamps(session: OrmSession, *_: Any) -> None:
    session.info.pop(_STAMPS, None)


def _read_stamp(platform: Platform, session: Session) -> tuple[Any, ...]:
    """Submissions and pathway points are only ever added (a submission's status changes
    once, on review, which sets ``reviewed_at``), so counts, largest ids and the latest
    review identify them; the platform's own roadmap milestones can be edited, and are few,
    so they are read whole."""
    accepted = session.exec(
        select(func.count(), func.max(Submission.id), func.max(Submission.reviewed_at)).where(
            Submission.platform_id == platform.id, Submission.status == "accepted"
        )
    ).one()
    pathways = session.exec(select(func.count(), func.max(Pathway.id))).one()
    return (
        platform.id,
        platform.sector_id,
        platform.region,
        platform.scope,
        *accepted,
        *pathways,
        _roadmap_rows(platform, session),
    )


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def platform_trajectories(platform: Platform, *, session: Session) -> pd.DataFrame:
    """The platform's accepted trajectories (``queries.accepted_trajectories_frame``), read
    once per change of the data. Do not modify the frame returned."""
    return _memo.get(
        _engine(session),
        ("trajectories", *_stamp(platform, session)),
        lambda: queries.accepted_trajectories_frame(session=session, platform=platform),
    )


def sector_pathways(platform: Platform, *, session: Session) -> pd.DataFrame:
    """The stored pathways of the platform's sector and, as scenarios named "... (platform
    roadmap)", the platform's own published roadmap pathways (in its region and scope), read
    once per change of the data."""
    sector = session.get(Sector, platform.sector_id)
    assert sector is not None
    stamp = _stamp(platform, session)

    def make() -> pd.DataFrame:
        stored = queries.pathways_frame(session=session, sectors=[sector.name])
        own = roadmap_pathways(platform, sector.name, stamp[-1])
        return stored if own is None else pd.concat([stored, own], ignore_index=True)

    return _memo.get(_engine(session), ("pathways", *stamp), make)


def roadmap_pathways(
    platform: Platform, sector: str, rows: tuple[tuple[Any, ...], ...]
) -> pd.DataFrame | None:
    """The platform's roadmap milestones (``_roadmap_rows``) as a validated pathway table,
    linear between milestones like any pathway; None where there are none, or where they do
    not make a valid pathway (a draft saved half-done), which then is simply not offered."""
    if not rows:
        return None
    records = [
        {
            col.SECTOR: sector,
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
    columns = [*col.PATHWAY_REQUIRED, col.ACTIVITY, col.ACTIVITY_UNIT, col.SOURCE]
    try:
        return validate_pathways(
            table_from_records(records, columns=columns, name=f"{platform.slug} roadmap")
        )
    except InputError:
        return None


def _reconciled(
    platform: Platform, scenario: str, scope: str | None, region: str | None, session: Session
) -> _Full:
    """The platform's whole reconciliation (every company), computed once per change of the
    data and kept for the requests that follow."""

    def make() -> _Full:
        pathways = sector_pathways(platform, session=session)
        trajectories = platform_trajectories(platform, session=session)
        if scope:
            trajectories = trajectories[trajectories[col.SCOPE] == scope]
        if region:
            trajectories = trajectories[trajectories[col.REGION] == region]
        if trajectories.empty:
            name = resolve_scenario(pathways, scenario, "stored pathways")
            return _Full(
                name,
                pd.DataFrame(columns=col.RESULT_COLUMNS + col.RESULT_DETAIL_COLUMNS),
                pd.DataFrame(columns=col.AGGREGATE_COLUMNS + col.AGGREGATE_DETAIL_COLUMNS),
                (),
                pd.DataFrame(columns=QUARTILE_COLUMNS),
            )
        outcome, left_out = _reconcile_leaving_out(pathways, trajectories, scenario)
        totals, notes = platform_aggregate(outcome.results)
        peers = peer_quartiles(outcome.results, min_group=access.MIN_GROUP)
        warnings = left_out + outcome.warnings + notes
        return _Full(outcome.scenario, outcome.results, totals, warnings, peers)

    # One entry per scenario however it is spelt ("tpi 1.5 degrees"); an unknown one raises.
    scenario = _canonical(platform, scenario, session) or scenario
    key = ("reconciled", scenario, scope, region, *_stamp(platform, session))
    return _memo.get(_engine(session), key, make)


def _reconcile_leaving_out(
    pathways: pd.DataFrame, trajectories: pd.DataFrame, scenario: str
) -> tuple[Reconciliation, tuple[str, ...]]:
    """Reconcile; where some companies' rows cannot be (a scope or region the scenario has no
    pathway for), reconcile the others and say who was left out and why, so that one
    company's submission does not blank its platform's dashboards. Each round leaves out at
    least one more company, so it ends."""
    reasons: dict[str, set[str]] = {}
    while True:
        try:
            outcome = reconcile(pathways, trajectories, ReconcileParams(scenario))
            break
        except InputError as error:
            rows = {p.row for p in error.problems if p.row is not None}
            owners = trajectories.loc[trajectories[col.ROW].isin(rows), [col.ROW, col.COMPANY]]
            bad = set(owners[col.COMPANY])
            if not bad or bad == set(trajectories[col.COMPANY]):
                raise
            by_row = dict(zip(owners[col.ROW], owners[col.COMPANY], strict=True))
            for problem in error.problems:
                if problem.row in by_row:
                    reasons.setdefault(by_row[problem.row], set()).add(problem.message)
            trajectories = trajectories[~trajectories[col.COMPANY].isin(bad)]
    notes = tuple(
        f"{company} is left out of this reconciliation: {'; '.join(sorted(messages))}"
        for company, messages in sorted(reasons.items())
    )
    return outcome, notes


def analyse_platform(
    platform: Platform,
    *,
    scenario: str,
    viewer: Viewer,
    session: Session,
    scope: str | None = None,
    region: str | None = None,
) -> PlatformAnalysis:
    """Reconcile the newest accepted submission of every company on ``platform`` against
    ``scenario``, optionally only the trajectories of one ``scope`` or ``region``. Raises
    InputError for an unknown scenario (naming it). The frames returned are shared between
    requests: read them, do not modify them."""
    if access.sees_all_companies_of(viewer, platform.id):
        full = _reconciled(platform, scenario, scope, region, session)
        return PlatformAnalysis(full.scenario, full.results, full.totals, full.warnings, full.peers)
    # Everyone else: the whole platform only (totals of a scope or region, set beside the
    # platform's, would give away the companies outside it), their own (or granted)
    # companies' rows, no warnings (they name companies), and totals and quartiles only where
    # enough companies they cannot see make them up (else their own rows, subtracted, would
    # leave one or two peers' figures).
    full = _reconciled(platform, scenario, None, None, session)
    names = _own_names(viewer, session)
    visible = full.results[full.results[col.COMPANY].isin(names)]
    totals, peers = _fixed_set(full, platform, session)
    unseen = _unseen(totals, visible[visible[col.ACTIVITY].notna()])
    totals = totals[
        (totals[col.COMPANIES] >= access.MIN_GROUP) & ((unseen == 0) | (unseen >= access.MIN_GROUP))
    ]
    peers = peers[_unseen(peers, visible[visible[col.INTENSITY].notna()]) >= access.MIN_PEERS]
    return PlatformAnalysis(
        full.scenario,
        visible.reset_index(drop=True),
        totals.reset_index(drop=True),
        (),
        peers.reset_index(drop=True),
    )


def _own_names(viewer: Viewer, session: Session) -> set[str]:
    """The names of the companies the viewer belongs to or was granted."""
    own = access.own_companies(viewer)
    return set(session.exec(select(Company.name).where(Company.id.in_(own))).all())


def _fixed_set(
    full: _Full, platform: Platform, session: Session
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The totals and quartiles of the years where every company of the platform's accepted
    submissions is in them; none where this scenario left a company out. Totals over
    different sets of companies (two scenarios, or a year before and after one company's
    plan ends) would give away the difference: one company's figures."""
    everyone = platform_trajectories(platform, session=session)
    results = full.results
    if set(results[col.COMPANY]) != set(everyone[col.COMPANY]):
        return full.totals.iloc[0:0], full.peers.iloc[0:0]
    with_activity = results.loc[results[col.ACTIVITY].notna(), col.COMPANY].nunique()
    with_intensity = results.loc[results[col.INTENSITY].notna(), col.COMPANY].nunique()
    return (
        full.totals[full.totals[col.COMPANIES] == with_activity],
        full.peers[full.peers[col.COMPANIES] == with_intensity],
    )


def _unseen(table: pd.DataFrame, visible: pd.DataFrame) -> pd.Series:
    """Per row of ``table`` (year, companies), how many of its companies are not in
    ``visible`` that year."""
    seen = visible.groupby(col.YEAR)[col.COMPANY].nunique()
    return table[col.COMPANIES] - table[col.YEAR].map(seen).fillna(0).astype(int)


def _canonical(platform: Platform, scenario: str, session: Session) -> str | None:
    """The stored spelling of ``scenario`` among the platform's scenarios (matched without
    regard to case), or None."""
    names = sector_pathways(platform, session=session)[col.SCENARIO].unique()
    return {n.casefold(): n for n in names}.get(scenario.casefold())


def scenario_for(platform: Platform, preferred: str, *, session: Session) -> str | None:
    """``preferred`` where the platform's sector has it, else its first scenario, else None."""
    names = sorted(sector_pathways(platform, session=session)[col.SCENARIO].unique())
    return _canonical(platform, preferred, session) or (names[0] if names else None)


def companies_behind(
    platform: Platform, *, scenario: str, viewer: Viewer, session: Session
) -> int | None:
    """How many companies are behind their SDA target in their latest reported year (a count,
    so no company is named); None where nothing can be reconciled, or where the viewer, who
    does not see every company, would learn a peer's status from it (fewer than MIN_GROUP
    reconciled companies besides their own)."""
    try:
        results = _reconciled(platform, scenario, None, None, session).results
    except (InputError, ReconcileError):
        return None
    if results.empty:
        return None
    if not access.sees_all_companies_of(viewer, platform.id):
        names = _own_names(viewer, session)
        unseen = set(results[col.COMPANY]) - names
        if len(unseen) < access.MIN_GROUP:
            return None
    reported = results[results[col.KIND] == col.REPORTED]
    latest = reported.sort_values(col.YEAR).groupby(col.COMPANY).tail(1)
    return int((latest[col.STATUS] == col.BEHIND).sum())
