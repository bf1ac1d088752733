"""Reads of companies, scoped to the viewer (roadmap.accounts.access)."""

from __future__ import annotations

from sqlmodel import Session, select

from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.domain.matching import name_key
from roadmap.models import Company, Platform, Submission


def companies(*, session: Session, viewer: Viewer) -> list[Company]:
    return list(
        session.exec(
            select(Company).where(access.company_filter(viewer, Company.id)).order_by(Company.name)
        ).all()
    )


def company(company_id: int, *, session: Session, viewer: Viewer) -> Company | None:
    return session.exec(
        select(Company).where(Company.id == company_id, access.company_filter(viewer, Company.id))
    ).first()


def company_named(name: str, *, session: Session) -> Company | None:
    """The company of this name (case and blanks folded), unscoped: for writes that already
    checked access."""
    return session.exec(select(Company).where(Company.key == name_key(name))).first()


def companies_named(names: list[str], *, session: Session, viewer: Viewer) -> list[Company]:
    """The companies of these names (case and blanks folded) that the viewer may see, by name."""
    keys = {name_key(name) for name in names}
    return list(
        session.exec(
            select(Company)
            .where(Company.key.in_(keys), access.company_filter(viewer, Company.id))
            .order_by(Company.name)
        ).all()
    )


def company_platforms(company_id: int, *, session: Session, viewer: Viewer) -> list[Platform]:
    """The platforms the viewer may see where the company has an accepted submission."""
    accepted = select(Submission.platform_id).where(
        Submission.company_id == company_id, Submission.status == "accepted"
    )
    return list(
        session.exec(
            select(Platform)
            .where(Platform.id.in_(accepted), access.platform_filter(viewer))
            .order_by(Platform.name)
        ).all()
    )


def company_names(company_ids: frozenset[int], *, session: Session) -> set[str]:
    """The names of these companies (for ids the caller was given by access rules)."""
    if not company_ids:
        return set()
    return set(session.exec(select(Company.name).where(Company.id.in_(company_ids))).all())


def client_platforms(*, session: Session, viewer: Viewer) -> list[tuple[Company, Platform]]:
    """The viewer's own companies (a member's company, a consultant's clients) paired with
    each platform the viewer may see where the company has an accepted submission, by
    company then platform name. Empty for viewers with no companies of their own."""
    own = access.own_companies(viewer)
    if not own:
        return []
    accepted = select(Submission.company_id, Submission.platform_id).where(
        Submission.status == "accepted", Submission.company_id.in_(own)
    )
    pairs = accepted.distinct().subquery()
    rows = session.exec(
        select(Company, Platform)
        .join(pairs, pairs.c.company_id == Company.id)
        .join(Platform, Platform.id == pairs.c.platform_id)
        .where(access.platform_filter(viewer))
        .order_by(Company.name, Platform.name)
    ).all()
    return [(company, platform) for company, platform in rows]


def platforms_with_companies(*, session: Session, viewer: Viewer) -> list[Platform]:
    """The platforms the viewer may see where a company it may see has an accepted
    submission (for a consultant: where a client has data), by name."""
    accepted = select(Submission.platform_id).where(
        Submission.status == "accepted", access.company_filter(viewer, Submission.company_id)
    )
    return list(
        session.exec(
            select(Platform)
            .where(Platform.id.in_(accepted), access.platform_filter(viewer))
            .order_by(Platform.name)
        ).all()
    )
