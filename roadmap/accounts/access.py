"""Who may see and do what: the one place where every query is scoped by role.

A ``Viewer`` is built once per request from the signed-in user (or nobody). Queries add the
``*_filter`` conditions below; views never check roles themselves. Asking for something one may
not see finds nothing, and the view answers 404, so existence does not leak.

- admin: everything.
- coordinator: everything inside the platforms they coordinate, and public platforms.
- company member: their own company's submissions and results; of peers only anonymised
  figures; the platforms their company submits to, and public platforms.
- consultant: read-only, the companies that granted them access (until revoked).
- anyone, signed in or not: platforms marked public (their roadmap and aggregate figures),
  and the directory of service providers.
- needs for support: their poster's side (the company's members, the platform's
  coordinators), and the keepers of providers that could answer them (an open need matching
  one of their offers by stage and sector, or one they answered).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true
from sqlmodel import Session, select

from roadmap.domain.providers import SERVICES, services_of_stage
from roadmap.models import (
    ConsultantGrant,
    Need,
    NeedAnswer,
    Platform,
    PlatformCoordinator,
    ProviderMember,
    ProviderOffer,
    Submission,
    User,
)

ADMIN, COORDINATOR, COMPANY, CONSULTANT = "admin", "coordinator", "company", "consultant"


@dataclass(frozen=True)
class Viewer:
    user_id: int | None = None
    role: str | None = None
    company_id: int | None = None
    coordinated: frozenset[int] = field(default_factory=frozenset)  # platform ids
    granted: frozenset[int] = field(default_factory=frozenset)  # company ids (consultants)
    may_create_sectors: bool = False  # an admin's leave to a coordinator
    providers: frozenset[int] = field(default_factory=frozenset)  # listings they keep

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


ANONYMOUS = Viewer()


def viewer_for(user: User | None, *, session: Session) -> Viewer:
    """The Viewer of ``user`` (None or an inactive user: anonymous)."""
    if user is None or not getattr(user, "is_active", False) or user.id is None:
        return ANONYMOUS
    coordinated: frozenset[int] = frozenset()
    granted: frozenset[int] = frozenset()
    if user.role == COORDINATOR:
        coordinated = frozenset(
            session.exec(
                select(PlatformCoordinator.platform_id).where(
                    PlatformCoordinator.user_id == user.id
                )
            ).all()
        )
    if user.role == CONSULTANT:
        granted = frozenset(
            session.exec(
                select(ConsultantGrant.company_id).where(
                    ConsultantGrant.consultant_id == user.id, ConsultantGrant.revoked_at.is_(None)
                )
            ).all()
        )
    providers: frozenset[int] = frozenset()
    if user.role in PROVIDER_ROLES:
        providers = frozenset(
            session.exec(
                select(ProviderMember.provider_id).where(ProviderMember.user_id == user.id)
            ).all()
        )
    return Viewer(
        user.id,
        user.role,
        user.company_id,
        coordinated,
        granted,
        may_create_sectors=bool(getattr(user, "may_create_sectors", False)),
        providers=providers,
    )


def platform_filter(viewer: Viewer) -> ColumnElement[bool]:
    """Platforms whose page the viewer may open."""
    if viewer.is_admin:
        return true()
    own: list[ColumnElement[bool]] = [Platform.is_public.is_(True)]
    if viewer.coordinated:
        own.append(Platform.id.in_(viewer.coordinated))
    companies = _viewer_companies(viewer)
    if companies:
        own.append(
            Platform.id.in_(
                select(Submission.platform_id).where(Submission.company_id.in_(companies))
            )
        )
    return or_(*own)


def company_filter(viewer: Viewer, company_id_column: ColumnElement[int]) -> ColumnElement[bool]:
    """Companies whose detail (names, submissions, results) the viewer may see."""
    if viewer.is_admin:
        return true()
    parts: list[ColumnElement[bool]] = []
    companies = _viewer_companies(viewer)
    if companies:
        parts.append(company_id_column.in_(companies))
    if viewer.coordinated:
        parts.append(
            company_id_column.in_(
                select(Submission.company_id).where(Submission.platform_id.in_(viewer.coordinated))
            )
        )
    return or_(*parts) if parts else false()


def submission_filter(viewer: Viewer) -> ColumnElement[bool]:
    """Submissions the viewer may read."""
    if viewer.is_admin:
        return true()
    parts: list[ColumnElement[bool]] = []
    companies = _viewer_companies(viewer)
    if companies:
        parts.append(Submission.company_id.in_(companies))
    if viewer.coordinated:
        parts.append(Submission.platform_id.in_(viewer.coordinated))
    return or_(*parts) if parts else false()


def own_companies(viewer: Viewer) -> frozenset[int]:
    """The companies whose rows the viewer reads on a platform it does not coordinate: its own
    company (members) or those that granted it access (consultants); none otherwise."""
    return _viewer_companies(viewer)


def _viewer_companies(viewer: Viewer) -> frozenset[int]:
    """Companies whose own detail the viewer reads as member or granted consultant."""
    if viewer.role == COMPANY and viewer.company_id is not None:
        return frozenset({viewer.company_id})
    return viewer.granted


def can_submit(viewer: Viewer, company_id: int) -> bool:
    """Members submit for their own company; an admin for any."""
    return viewer.is_admin or (viewer.role == COMPANY and viewer.company_id == company_id)


def can_try_plans(viewer: Viewer, company_id: int) -> bool:
    """What-if plans of a company (sandbox, drafts) are for its members and the consultants it
    granted access to; an admin's for any. Coordinators review plans, they do not make them."""
    return can_submit(viewer, company_id) or company_id in viewer.granted


def can_coordinate(viewer: Viewer, platform_id: int) -> bool:
    """Coordinators run their platforms (edit, review, advance); an admin any platform."""
    return viewer.is_admin or platform_id in viewer.coordinated


def can_review(viewer: Viewer, platform_id: int) -> bool:
    """Coordinators accept or reject submissions on their platforms; an admin on any."""
    return can_coordinate(viewer, platform_id)


def can_create_platform(viewer: Viewer) -> bool:
    return viewer.is_admin or viewer.role == COORDINATOR


def can_create_sector(viewer: Viewer) -> bool:
    """Admins, and coordinators an admin has allowed, make new sectors."""
    return viewer.is_admin or (viewer.role == COORDINATOR and viewer.may_create_sectors)


def can_manage_grants(viewer: Viewer, company_id: int) -> bool:
    """A company's members grant and revoke consultants' access to it."""
    return can_submit(viewer, company_id)


# --- the directory of service providers -------------------------------------------------------

# Who lists a provider and keeps its listing: consultants (people of outside organisations) and
# admins; company members and coordinators post needs instead.
PROVIDER_ROLES = (ADMIN, CONSULTANT)
STAGES_OFFERED = sorted({s.stage for s in SERVICES.values()})


def can_list_provider(viewer: Viewer) -> bool:
    return viewer.role in PROVIDER_ROLES


def can_keep_provider(viewer: Viewer, provider_id: int) -> bool:
    """A listing's keepers edit it, add offers and colleagues, and answer needs in its name;
    an admin keeps every listing (to correct or remove one)."""
    return viewer.is_admin or provider_id in viewer.providers


def can_post_need(viewer: Viewer) -> bool:
    """Company members post needs for their company, coordinators for their platforms."""
    return (
        viewer.is_admin
        or (viewer.role == COMPANY and viewer.company_id is not None)
        or bool(viewer.coordinated)
    )


def poster_side(viewer: Viewer, company_id: int | None, platform_id: int | None) -> bool:
    """Whether the viewer speaks for a need's poster: the company's members, the platform's
    coordinators (an admin for any): they see every answer, accept, decline and close."""
    if viewer.is_admin:
        return True
    if company_id is not None:
        return viewer.role == COMPANY and viewer.company_id == company_id
    return platform_id is not None and platform_id in viewer.coordinated


def offer_fits(service: Any, sector_id: Any) -> ColumnElement[bool]:
    """An offer of the need's stage, in the need's sector or in every sector:
    roadmap.domain.providers.matches as SQL. ``service`` and ``sector_id`` are the need's, as
    columns (a correlated condition on the ``need`` row) or as values (``literal``)."""
    same_stage = or_(
        *(
            and_(service.in_(names), ProviderOffer.service.in_(names))
            for names in (services_of_stage(stage) for stage in STAGES_OFFERED)
        )
    )
    return and_(
        same_stage,
        or_(ProviderOffer.sector_id.is_(None), ProviderOffer.sector_id == sector_id),
    )


def _matching_offer(providers: ColumnElement[bool]) -> ColumnElement[bool]:
    """EXISTS an offer of the providers ``providers`` selects that fits the ``need`` row."""
    return (
        select(ProviderOffer.id).where(offer_fits(Need.service, Need.sector_id), providers).exists()
    )


def need_filter(viewer: Viewer) -> ColumnElement[bool]:
    """Needs the viewer may read."""
    if viewer.is_admin:
        return true()
    parts: list[ColumnElement[bool]] = []
    if viewer.role == COMPANY and viewer.company_id is not None:
        parts.append(Need.company_id == viewer.company_id)
    if viewer.coordinated:
        parts.append(Need.platform_id.in_(viewer.coordinated))
    if viewer.providers:
        mine = ProviderOffer.provider_id.in_(viewer.providers)
        parts.append(and_(Need.status == "open", _matching_offer(mine)))
        parts.append(
            Need.id.in_(
                select(NeedAnswer.need_id).where(NeedAnswer.provider_id.in_(viewer.providers))
            )
        )
    return or_(*parts) if parts else false()


# Figures summed over fewer companies than this are not shown to those who may not see the
# companies themselves: with one or two, a total is a peer's own figure.
MIN_GROUP = 3


def small_group_hidden(unseen: Any) -> Any:
    """The small-group rule: True where a figure over companies of which the viewer may not see
    ``unseen`` (an int, or a Series/array of them) must be hidden from them: one or two
    unseen companies (subtracting the companies one sees would leave those peers' own
    figures). None unseen, or at least MIN_GROUP, may be shown."""
    return (unseen > 0) & (unseen < MIN_GROUP)


# Peer quartiles are order statistics: over three or four companies, with one's own value
# known, they give back the others' exact values. They are shown to those who may not see
# every company only where at least this many companies they cannot see make them up.
MIN_PEERS = 5


def sees_all_companies_of(viewer: Viewer, platform_id: int) -> bool:
    """True where the viewer may see every company of the platform by name (not anonymised)."""
    return viewer.is_admin or platform_id in viewer.coordinated


def sees_live_figures(viewer: Viewer, platform_id: int) -> bool:
    """True where the viewer reads the platform's live accepted figures; everyone else reads
    its last published round (a total read before and after one acceptance would give away
    that company's figures). Members read their own company's live figures on its own page
    and submissions, never through the platform's totals."""
    return sees_all_companies_of(viewer, platform_id)
