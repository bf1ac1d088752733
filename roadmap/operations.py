"""Writes. Each function takes ``session`` by keyword and flushes; the caller (a view or a
command) commits once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import func, insert
from sqlmodel import Session, SQLModel, select

from roadmap import security
from roadmap.domain import columns as col
from roadmap.models import (
    ApiToken,
    Company,
    ConsultantGrant,
    HistoryEntry,
    Kpi,
    KpiValue,
    PasswordReset,
    Pathway,
    PathwayPoint,
    Platform,
    PlatformCoordinator,
    RoadmapMilestone,
    RoadmapPathway,
    Scenario,
    Sector,
    Submission,
    TrajectoryPoint,
    User,
    utcnow,
)


@dataclass(frozen=True)
class PathwayImport:
    added: int  # pathways stored
    skipped: int  # pathways already present, left as they were


def get_or_create_sector(name: str, intensity_unit: str, *, session: Session) -> Sector:
    sector = session.exec(select(Sector).where(Sector.name == name)).first()
    if sector is None:
        sector = Sector(name=name, intensity_unit=intensity_unit)
        session.add(sector)
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
        )
        session.add(scenario)
        session.flush()
    return scenario


def create_platform(
    *, session: Session, slug: str, name: str, sector: Sector, **fields: object
) -> Platform:
    platform = Platform(slug=slug, name=name, sector_id=sector.id, **fields)
    session.add(platform)
    session.flush()
    return platform


def get_or_create_company(name: str, *, session: Session) -> Company:
    company = session.exec(select(Company).where(Company.name == name)).first()
    if company is None:
        company = Company(name=name)
        session.add(company)
        session.flush()
    return company


def create_submissions(
    trajectories: pd.DataFrame,
    *,
    platform: Platform,
    source: str,
    filename: str = "",
    assurance: str = "self-reported",
    submitted_by: User | None = None,
    status: str = "pending",
    checksum: str | None = None,
    session: Session,
) -> list[Submission]:
    """Store a validated trajectory table as one new submission version per company.

    Each company's rows become version n + 1 of its submissions to ``platform``; nothing older
    is changed. ``checksum`` is the SHA-256 of the uploaded file where there is one, else of
    the company's rows as stored.
    """
    created = []
    for company_name, rows in trajectories.groupby(col.COMPANY, sort=True):
        company = get_or_create_company(company_name, session=session)
        latest = session.exec(
            select(func.max(Submission.version)).where(
                Submission.company_id == company.id, Submission.platform_id == platform.id
            )
        ).one()
        points = rows.sort_values(col.YEAR)[col.TRAJECTORY_POINT]
        submission = Submission(
            company_id=company.id,
            platform_id=platform.id,
            version=(latest or 0) + 1,
            region=rows[col.REGION].iloc[0],
            scope=rows[col.SCOPE].iloc[0],
            source=source,
            filename=filename,
            checksum=checksum or _checksum(points),
            assurance=assurance,
            submitted_by_id=submitted_by.id if submitted_by else None,
            status=status,
        )
        session.add(submission)
        session.flush()
        records = points.astype(object).where(points.notna(), None).to_dict("records")
        session.execute(
            insert(TrajectoryPoint), [{"submission_id": submission.id, **r} for r in records]
        )
        created.append(submission)
    session.flush()
    return created


def _checksum(points: pd.DataFrame) -> str:
    return hashlib.sha256(points.to_csv(index=False).encode()).hexdigest()


# --- accounts ------------------------------------------------------------------------------

RESET_LIFETIME = timedelta(days=2)


def create_user(
    *,
    session: Session,
    email: str,
    password: str,
    role: str,
    name: str = "",
    company_id: int | None = None,
    platform_ids: list[int] | None = None,
) -> User:
    """A user with a hashed password; a coordinator is linked to ``platform_ids``."""
    user = User(
        email=security.normalise_email(email),
        name=name,
        role=role,
        company_id=company_id if role == "company" else None,
        password_hash=security.hash_password(password),
    )
    session.add(user)
    session.flush()
    for platform_id in platform_ids or []:
        session.add(PlatformCoordinator(user_id=user.id, platform_id=platform_id))
    session.flush()
    return user


def create_password_reset(user: User, *, created_by: User, session: Session) -> str:
    """A one-time reset token for ``user`` (valid RESET_LIFETIME); returns the secret, of which
    only the digest is stored."""
    secret = security.new_secret()
    session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=security.digest(secret),
            created_by_id=created_by.id,
            expires_at=utcnow() + RESET_LIFETIME,
        )
    )
    session.flush()
    return secret


def find_password_reset(secret: str, *, session: Session) -> PasswordReset | None:
    """The unused, unexpired reset of this secret, or None."""
    found = session.exec(
        select(PasswordReset).where(
            PasswordReset.token_hash == security.digest(secret), PasswordReset.used_at.is_(None)
        )
    ).first()
    if found is None or _aware(found.expires_at) < utcnow():
        return None
    return found


def use_password_reset(reset: PasswordReset, password: str, *, session: Session) -> None:
    user = session.get(User, reset.user_id)
    assert user is not None
    user.password_hash = security.hash_password(password)
    reset.used_at = utcnow()
    session.add_all([user, reset])
    session.flush()


def create_api_token(user: User, name: str, *, session: Session) -> tuple[ApiToken, str]:
    """A new bearer token; the secret is returned once and never stored."""
    secret = security.new_secret()
    token = ApiToken(
        user_id=user.id, token_hash=security.digest(secret), prefix=secret[:8], name=name
    )
    session.add(token)
    session.flush()
    return token, secret


def revoke_api_token(token: ApiToken, *, session: Session) -> None:
    token.revoked_at = token.revoked_at or utcnow()
    session.add(token)
    session.flush()


def grant_consultant(
    company_id: int, consultant: User, *, granted_by: User, session: Session
) -> ConsultantGrant:
    """Give a consultant read-only access to a company (no-op if already granted)."""
    current = session.exec(
        select(ConsultantGrant).where(
            ConsultantGrant.company_id == company_id,
            ConsultantGrant.consultant_id == consultant.id,
            ConsultantGrant.revoked_at.is_(None),
        )
    ).first()
    if current is not None:
        return current
    grant = ConsultantGrant(
        company_id=company_id, consultant_id=consultant.id, granted_by_id=granted_by.id
    )
    session.add(grant)
    session.flush()
    return grant


def revoke_grant(grant: ConsultantGrant, *, session: Session) -> None:
    grant.revoked_at = grant.revoked_at or utcnow()
    session.add(grant)
    session.flush()


def review_submission(
    submission: Submission, *, accept: bool, reason: str, reviewer: User, session: Session
) -> None:
    """Accept a submission for the platform's reconciliation, or reject it with a reason."""
    if not accept and not reason.strip():
        raise ValueError("a rejection needs a reason")
    submission.status = "accepted" if accept else "rejected"
    submission.review_reason = reason.strip()
    submission.reviewed_by_id = reviewer.id
    submission.reviewed_at = utcnow()
    session.add(submission)
    session.flush()


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# --- platform stages -----------------------------------------------------------------------


def record_history(platform: Platform, what: str, *, user: User | None, session: Session) -> None:
    """Keep who changed what on a platform, and when."""
    session.add(
        HistoryEntry(platform_id=platform.id, user_id=user.id if user else None, what=what[:500])
    )
    session.flush()


def add_platform_record(
    record: SQLModel, platform: Platform, *, label: str, user: User | None, session: Session
) -> SQLModel:
    """Store a signatory, commitment, demand signal, policy ask or action of ``platform``."""
    session.add(record)
    session.flush()
    record_history(platform, f"added {label}", user=user, session=session)
    return record


def delete_platform_record(
    record: SQLModel, platform: Platform, *, label: str, user: User | None, session: Session
) -> None:
    session.delete(record)
    session.flush()
    record_history(platform, f"removed {label}", user=user, session=session)


def update_platform(
    platform: Platform, changes: dict[str, object], *, user: User | None, session: Session
) -> list[str]:
    """Apply ``changes`` and record each changed field; returns the names changed."""
    changed = [k for k, v in changes.items() if getattr(platform, k) != v]
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


def save_pathway(
    pathway: RoadmapPathway,
    milestones: list[tuple[int, float, float | None]],
    *,
    platform: Platform,
    user: User | None,
    session: Session,
) -> RoadmapPathway:
    """Store a roadmap pathway and replace its milestones (checked by the caller with
    roadmap.domain.milestones)."""
    session.add(pathway)
    session.flush()
    for old in session.exec(
        select(RoadmapMilestone).where(RoadmapMilestone.pathway_id == pathway.id)
    ).all():
        session.delete(old)
    session.flush()
    session.add_all(
        [
            RoadmapMilestone(pathway_id=pathway.id, year=y, intensity=i, activity=a)
            for y, i, a in milestones
        ]
    )
    session.flush()
    record_history(
        platform,
        f"saved pathway '{pathway.scenario}' ({len(milestones)} milestones)",
        user=user,
        session=session,
    )
    return pathway


def save_kpi(
    kpi: Kpi, targets: dict[int, float], *, platform: Platform, user: User | None, session: Session
) -> Kpi:
    session.add(kpi)
    session.flush()
    for old in session.exec(
        select(KpiValue).where(KpiValue.kpi_id == kpi.id, KpiValue.is_target.is_(True))
    ).all():
        session.delete(old)
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
    existing = session.exec(
        select(KpiValue).where(
            KpiValue.kpi_id == kpi.id, KpiValue.year == year, KpiValue.is_target.is_(False)
        )
    ).first()
    actual = existing or KpiValue(kpi_id=kpi.id, year=year, value=value, is_target=False)
    actual.value = value
    session.add(actual)
    session.flush()
    record_history(
        platform, f"recorded {kpi.name} {year}: {value:g} {kpi.unit}", user=user, session=session
    )
