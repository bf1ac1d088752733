"""Reads of submissions: versions a viewer may read, their rows, pending uploads, and the
accepted trajectories of a platform in the shape the reconciliation takes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, union
from sqlmodel import Session, select

from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.domain import columns as col
from roadmap.domain.rounds import changed_companies
from roadmap.memo import Memo, per_session
from roadmap.models import (
    Company,
    CompanyTarget,
    PendingUpload,
    Platform,
    ReportingRound,
    RoundPublication,
    Sector,
    Submission,
    TrajectoryPoint,
    User,
    utcnow,
)


@dataclass(frozen=True)
class SubmissionRow:
    submission: Submission
    platform: Platform
    company: Company
    submitted_by: str  # the submitter's email, or the source where no user made it


def rows_query() -> Any:
    return (
        select(Submission, Platform, Company, User.email)
        .join(Platform, Platform.id == Submission.platform_id)
        .join(Company, Company.id == Submission.company_id)
        .outerjoin(User, User.id == Submission.submitted_by_id)
    )


def submissions(
    *,
    session: Session,
    viewer: Viewer,
    company_id: int | None = None,
    platform_id: int | None = None,
) -> list[SubmissionRow]:
    """Submissions the viewer may read, by company, platform and newest version first."""
    query = rows_query().where(access.submission_filter(viewer))
    if company_id is not None:
        query = query.where(Submission.company_id == company_id)
    if platform_id is not None:
        query = query.where(Submission.platform_id == platform_id)
    query = query.order_by(Company.name, Platform.name, Submission.version.desc())
    return [
        SubmissionRow(s, p, c, email or s.source) for s, p, c, email in session.exec(query).all()
    ]


def submission(submission_id: int, *, session: Session, viewer: Viewer) -> SubmissionRow | None:
    found = session.exec(
        rows_query().where(Submission.id == submission_id, access.submission_filter(viewer))
    ).first()
    if found is None:
        return None
    s, p, c, email = found
    return SubmissionRow(s, p, c, email or s.source)


def reviewer_email(submission: Submission, *, session: Session) -> str | None:
    """Who decided the submission (their email, as submitters are shown); None while it
    waits, or where the reviewer's account is gone."""
    if submission.reviewed_by_id is None:
        return None
    reviewer = session.get(User, submission.reviewed_by_id)
    return reviewer.email if reviewer is not None else None


def newest_submission(company_id: int, *, session: Session, viewer: Viewer) -> Submission | None:
    """The company's most recent submission the viewer may read, on any platform."""
    return session.exec(
        select(Submission)
        .where(Submission.company_id == company_id, access.submission_filter(viewer))
        .order_by(Submission.id.desc())
    ).first()


def own_platform_id(company_id: int, *, session: Session) -> int | None:
    """The platform a company submits to: that of its newest submission, else one where a
    coordinator recorded a target of it; None for a company new to every platform."""
    submitted = session.exec(
        select(Submission.platform_id)
        .where(Submission.company_id == company_id)
        .order_by(Submission.id.desc())
    ).first()
    if submitted is not None:
        return int(submitted)
    targeted = session.exec(
        select(CompanyTarget.platform_id)
        .where(CompanyTarget.company_id == company_id)
        .order_by(CompanyTarget.id)
    ).first()
    return int(targeted) if targeted is not None else None


# The figures of a stored trajectory table, read as floats however the database returns them.
_NUMBER_COLUMNS = (
    col.ACTIVITY,
    col.EMISSIONS,
    col.INTENSITY,
    col.CLINKER_RATIO,
    col.KG_PER_PASSENGER,
)


def submission_trajectory_frame(
    submission: Submission, *, company: Company, platform: Platform, session: Session
) -> pd.DataFrame:
    """One stored version as a validated trajectory table (the data contract's columns), as
    the reconciliation reads accepted submissions."""
    points = submission_points_frame(submission, session=session)
    frame = points.assign(
        **{
            col.COMPANY: company.name,
            col.SECTOR: platform.sector.name,
            col.REGION: submission.region,
            col.SCOPE: submission.scope,
            col.ROW: range(1, len(points) + 1),
        }
    )[[*col.TRAJECTORY_COLUMNS, col.ROW]]
    for number in _NUMBER_COLUMNS:
        frame[number] = frame[number].astype("float64")
    frame.attrs["source"] = f"version {submission.version}"
    return frame


def latest_version(company_id: int, platform_id: int, *, session: Session) -> int:
    """The company's highest version number on the platform (0 before its first)."""
    latest = session.exec(
        select(func.max(Submission.version)).where(
            Submission.company_id == company_id, Submission.platform_id == platform_id
        )
    ).one()
    return int(latest or 0)


def submission_points_frame(submission: Submission, *, session: Session) -> pd.DataFrame:
    """The rows of one submission, by year."""
    query = (
        select(TrajectoryPoint)
        .where(TrajectoryPoint.submission_id == submission.id)
        .order_by(TrajectoryPoint.year)
    )
    rows = [p.model_dump(exclude={"id", "submission_id"}) for p in session.exec(query).all()]
    return pd.DataFrame(rows, columns=col.TRAJECTORY_POINT)


# A previewed upload waits this long for its owner to accept it; each user keeps at most
# PENDING_PER_USER of them (the oldest go first). Uploads hold whole files, so neither may grow
# without bound.
PENDING_LIFETIME = timedelta(hours=24)
PENDING_PER_USER = 5


def pending_upload(upload_id: int, *, owner: User, session: Session) -> PendingUpload | None:
    """An upload waiting for its owner's acceptance; anyone else's, or one that expired, is
    not found."""
    pending = session.get(PendingUpload, upload_id)
    if pending is None or pending.user_id != owner.id:
        return None
    created = pending.created_at
    if created.tzinfo is None:  # SQLite gives back naive UTC
        created = created.replace(tzinfo=UTC)
    return pending if utcnow() - created < PENDING_LIFETIME else None


def last_publication(platform_id: int, *, session: Session) -> ReportingRound | None:
    """The platform's most recently published round (None before its first publication),
    read once per database session."""
    return per_session(
        session,
        ("published", platform_id),
        lambda: session.exec(
            select(ReportingRound)
            .where(ReportingRound.platform_id == platform_id, ReportingRound.status == "published")
            .order_by(ReportingRound.published_at.desc(), ReportingRound.id.desc())
        ).first(),
    )


def _counted_submissions(platform: Platform, *, session: Session, published: bool) -> Any:
    """The ids of the submissions a platform's figures come from: its last publication's
    (``published``), else each company's newest accepted version (live)."""
    if published:
        last = last_publication(platform.id, session=session)
        return select(RoundPublication.submission_id).where(
            RoundPublication.round_id == (last.id if last is not None else -1)
        )
    latest = (
        select(Submission.company_id, func.max(Submission.version).label("version"))
        .where(Submission.platform_id == platform.id, Submission.status == "accepted")
        .group_by(Submission.company_id)
        .subquery()
    )
    return (
        select(Submission.id)
        .join(
            latest,
            (latest.c.company_id == Submission.company_id)
            & (latest.c.version == Submission.version),
        )
        .where(Submission.platform_id == platform.id)
    )


def accepted_trajectories_frame(
    *, session: Session, platform: Platform, published: bool = False
) -> pd.DataFrame:
    """The newest accepted submission of each company on ``platform`` (live), or those of its
    last published round (``published``), as a validated trajectory table: what the
    platform's reconciliation uses."""
    counted = _counted_submissions(platform, session=session, published=published)
    return _trajectory_frames(session, platform, [counted])[0]


def live_and_published_frames(
    *, session: Session, platform: Platform
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``accepted_trajectories_frame`` live and published, read together: they share most
    submissions (all but those accepted since the last publication), and a coordinator's
    dashboard needs both."""
    live = _counted_submissions(platform, session=session, published=False)
    published = _counted_submissions(platform, session=session, published=True)
    both = _trajectory_frames(session, platform, [live, published])
    return both[0], both[1]


# The points of each submission read, kept per process and database. A submission is never
# updated in place and its points never change, so they are read once; the key holds the
# submission's checksum and time, so an id used again after a deletion is another key.
_points = Memo(budget=250_000, weight=lambda points: max(1, len(points)))

_POINT_COLUMNS = (
    TrajectoryPoint.year,
    TrajectoryPoint.kind,
    TrajectoryPoint.activity,
    TrajectoryPoint.activity_unit,
    TrajectoryPoint.emissions,
    TrajectoryPoint.emissions_unit,
    TrajectoryPoint.intensity,
    TrajectoryPoint.intensity_unit,
    TrajectoryPoint.clinker_ratio,
    TrajectoryPoint.kg_per_passenger,
    TrajectoryPoint.id,
)
# Submissions whose points are read by one query, at most (a bound on its parameters).
_READ_AT_ONCE = 500


def _trajectory_frames(
    session: Session, platform: Platform, selections: list[Any]
) -> list[pd.DataFrame]:
    """For each selection of submission ids (a query), the trajectory table of its
    submissions: company by name, then year. One query names the submissions of all the
    selections; only the points of submissions not read before are read."""
    session.flush()  # what the session holds unsaved counts, as the ORM would have it
    chosen = selections[0] if len(selections) == 1 else union(*selections)
    heads = (
        session.connection()
        .execute(
            select(
                Submission.id,
                Submission.checksum,
                Submission.submitted_at,
                Company.name,
                Sector.name,
                Submission.region,
                Submission.scope,
                *(Submission.id.in_(selection) for selection in selections),
            )
            .join(Company, Company.id == Submission.company_id)
            .join(Platform, Platform.id == Submission.platform_id)
            .join(Sector, Sector.id == Platform.sector_id)
            .where(Submission.platform_id == platform.id, Submission.id.in_(chosen))
            .order_by(Company.name, Submission.id)
        )
        .fetchall()
    )
    keys = [(head[0], head[1], head[2]) for head in heads]
    # A submission is stored with its points in one transaction: one read with none is not
    # kept (nothing could then hide points stored later in the same session).
    points = _points.get_many(
        session, keys, lambda missing: _read_points(session, missing), keep=bool
    )
    # One table of the submissions of every selection, each row flagged with the selections
    # it belongs to (one frame built, then split: cheaper than one built per selection).
    flags = [f"_in_{n}" for n in range(len(selections))]
    rows = pd.DataFrame(
        [
            (*head[3:7], *point, *head[7:])
            for key, head in zip(keys, heads, strict=True)
            for point in points[key]
        ],
        columns=[*col.TRAJECTORY_COLUMNS, col.ROW, *flags],
    )
    if len(selections) == 1:
        return [_trajectories(rows.drop(columns=flags), platform)]
    return [
        _trajectories(rows.loc[rows[flag].astype(bool)].drop(columns=flags), platform)
        for flag in flags
    ]


def _read_points(session: Session, keys: list[Any]) -> dict[Any, list[tuple[Any, ...]]]:
    """The points of the submissions ``keys`` name (id first), by year, as tuples of
    ``_POINT_COLUMNS``; texts that repeat (units, kinds) share one string."""
    by_id: dict[int, list[tuple[Any, ...]]] = {key[0]: [] for key in keys}
    texts: dict[str, str] = {}
    ids = list(by_id)
    for start in range(0, len(ids), _READ_AT_ONCE):
        rows = session.connection().execute(
            select(TrajectoryPoint.submission_id, *_POINT_COLUMNS)
            .where(TrajectoryPoint.submission_id.in_(ids[start : start + _READ_AT_ONCE]))
            .order_by(TrajectoryPoint.submission_id, TrajectoryPoint.year)
        )
        for row in rows:
            by_id[row[0]].append(
                tuple(texts.setdefault(v, v) if isinstance(v, str) else v for v in row[1:])
            )
    return {key: by_id[key[0]] for key in keys}


def _trajectories(frame: pd.DataFrame, platform: Platform) -> pd.DataFrame:
    """Rows read as the validated trajectory table: numbers as float64, a fresh index."""
    frame = frame.reset_index(drop=True)
    for number in _NUMBER_COLUMNS:
        frame[number] = frame[number].astype("float64")
    frame.attrs["source"] = f"submissions to {platform.slug}"
    return frame


def accepted_stamp(
    platform: Platform, *, session: Session, published: bool = False
) -> tuple[Any, ...]:
    """Identifies the platform's accepted submissions (live) or its last publication, read
    once per database session. Submissions are only ever added, and a status changes once,
    on review, which sets ``reviewed_at``; so their count, largest id and latest review tell
    any change. A publication is its round's id and the versions it holds: the Initial round's
    are replaced when figures are stored as accepted straight away, and a company's newer
    version has a larger id, so their count and sum tell that change."""
    if published:
        last = last_publication(platform.id, session=session)
        if last is None:
            return ("published", None)
        return per_session(
            session,
            ("publication", last.id),
            lambda: (
                "published",
                last.id,
                *session.exec(
                    select(func.count(), func.sum(RoundPublication.submission_id)).where(
                        RoundPublication.round_id == last.id
                    )
                ).one(),
            ),
        )
    return per_session(
        session,
        ("accepted", platform.id),
        lambda: tuple(
            session.exec(
                select(
                    func.count(), func.max(Submission.id), func.max(Submission.reviewed_at)
                ).where(Submission.platform_id == platform.id, Submission.status == "accepted")
            ).one()
        ),
    )


# The accepted trajectories of the platforms in use, kept between requests.
_memo = Memo(budget=500_000)


def accepted_trajectories(
    platform: Platform, *, session: Session, published: bool = False
) -> pd.DataFrame:
    """``accepted_trajectories_frame``, read once per change of the data; where it must be
    read, the live and the published frames are read together and both kept. Do not modify
    the frame returned."""
    keys = {
        kind: (
            "trajectories",
            platform.id,
            platform.sector_id,
            *accepted_stamp(platform, session=session, published=kind),
        )
        for kind in (False, True)
    }

    def read() -> pd.DataFrame:
        live, last = live_and_published_frames(session=session, platform=platform)
        other = live if published else last
        _memo.get(session, keys[not published], lambda: other)
        return last if published else live

    return _memo.get(session, keys[published], read)


def accepted_assurance(
    platform: Platform, *, session: Session, published: bool = False
) -> dict[str, str]:
    """Company name -> the assurance of the accepted version the platform's figures use: each
    company's newest accepted one (live), or the last publication's (``published``), the
    same versions as ``accepted_trajectories``."""
    counted = _counted_submissions(platform, session=session, published=published)
    rows = session.exec(
        select(Company.name, Submission.assurance)
        .join(Company, Company.id == Submission.company_id)
        .where(Submission.id.in_(counted))
    ).all()
    return {name: assurance for name, assurance in rows}


def accepted_version(company_id: int, platform_id: int, *, session: Session) -> Submission | None:
    """The company's newest accepted version on the platform: the one its results use."""
    return session.exec(
        select(Submission)
        .where(
            Submission.company_id == company_id,
            Submission.platform_id == platform_id,
            Submission.status == "accepted",
        )
        .order_by(Submission.version.desc())
    ).first()


def figures_for(viewer: Viewer, platform: Platform, *, session: Session) -> pd.DataFrame:
    """The accepted trajectories ``viewer`` is shown on ``platform``: live for its
    coordinators and admins, its last publication for everyone else."""
    published = not access.sees_live_figures(viewer, platform.id)
    return accepted_trajectories(platform, session=session, published=published)


def unpublished_changes(platform: Platform, *, session: Session) -> list[str]:
    """For the platform's coordinators: a note where its live accepted figures differ from
    what everyone else is shown (its last publication), else nothing."""
    live_stamp = accepted_stamp(platform, session=session)
    published_stamp = accepted_stamp(platform, session=session, published=True)

    def make() -> list[str]:
        changed = changed_companies(
            *_differing_companies(
                accepted_trajectories(platform, session=session, published=True),
                accepted_trajectories(platform, session=session),
            )
        )
        if not changed:
            return []
        last = last_publication(platform.id, session=session)
        since = (
            f"the last publication ({last.name}, {last.published_at:%Y-%m-%d})"
            if last is not None and last.published_at is not None
            else "nothing, as nothing is published yet"
        )
        count = "1 company's" if len(changed) == 1 else f"{len(changed)} companies'"
        return [
            f"Unpublished changes: {count} accepted figures differ from {since}. Everyone "
            "but the platform's coordinators sees the published figures until a round is "
            "published."
        ]

    key = ("unpublished", platform.id, *live_stamp, *published_stamp)
    return _memo.get(session, key, make)


def _differing_companies(
    previous: pd.DataFrame, current: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of the companies that may differ between two tables read from the database:
    a stored trajectory point is never changed, so a company whose every point (by id) is in
    both tables has the same rows in both, and is left out of the comparison."""
    before, after = previous[col.ROW].to_numpy(), current[col.ROW].to_numpy()
    maybe = set(previous[col.COMPANY][~np.isin(before, after)]) | set(
        current[col.COMPANY][~np.isin(after, before)]
    )
    return (
        previous[previous[col.COMPANY].isin(maybe)],
        current[current[col.COMPANY].isin(maybe)],
    )


def submissions_page(
    company_id: int, *, session: Session, viewer: Viewer, offset: int, limit: int
) -> tuple[list[SubmissionRow], int]:
    """One page of the company's submissions the viewer may read (newest first, on every
    platform), and how many there are in all."""
    where = (Submission.company_id == company_id, access.submission_filter(viewer))
    total = session.exec(select(func.count()).select_from(Submission).where(*where)).one()
    query = (
        rows_query()
        .where(*where)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
        .offset(offset)
        .limit(limit)
    )
    rows = [SubmissionRow(s, p, c, email or s.source) for s, p, c, email in session.exec(query)]
    return rows, int(total)
