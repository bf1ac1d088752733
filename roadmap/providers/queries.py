"""Reads of the directory: providers with what they offer (anyone may read the directory),
the needs a viewer may read (roadmap.accounts.access.need_filter), the providers that match a
need, and the answers each side of a need may read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, literal
from sqlmodel import Session, select

from roadmap.accounts.access import Viewer, need_filter, offer_fits, poster_side
from roadmap.domain.providers import (
    SERVICES,
    NeedKey,
    OfferKey,
    exact,
    matches,
    neutral_order,
    poster_label,
    services_of_stage,
    stage_of,
)
from roadmap.models import (
    Company,
    Need,
    NeedAnswer,
    Platform,
    Provider,
    ProviderChange,
    ProviderMember,
    ProviderOffer,
    Sector,
    Submission,
    User,
)


@dataclass(frozen=True)
class OfferRow:
    offer: ProviderOffer
    sector: str  # "" for every sector

    @property
    def label(self) -> str:
        return SERVICES[self.offer.service].label

    @property
    def stage(self) -> int:
        return stage_of(self.offer.service)

    @property
    def key(self) -> OfferKey:
        return OfferKey(self.offer.service, self.offer.sector_id)


@dataclass(frozen=True)
class ProviderRow:
    provider: Provider
    offers: list[OfferRow] = field(default_factory=list)

    @property
    def stages(self) -> list[int]:
        return sorted({o.stage for o in self.offers})


@dataclass(frozen=True)
class DirectoryFilter:
    """What the directory is narrowed to; None: no narrowing."""

    stage: int | None = None
    service: str | None = None
    sector_id: int | None = None
    kind: str | None = None
    text: str = ""


def _itself(row: Any) -> Any:
    return row


def provider_rows(filters: DirectoryFilter, *, session: Session) -> list[ProviderRow]:
    """Every listed provider that has an offer fitting ``filters`` (a sector filter keeps
    offers for that sector and for every sector), with all its offers; in no particular order
    (the caller orders them neutrally)."""
    query = select(Provider)
    if filters.kind:
        query = query.where(Provider.kind == filters.kind)
    if filters.text:
        needle = f"%{_escape_like(filters.text.casefold())}%"
        query = query.where(
            func.lower(Provider.name).like(needle, escape="\\")
            | func.lower(Provider.description).like(needle, escape="\\")
        )
    offer_conditions = []
    if filters.service:
        offer_conditions.append(ProviderOffer.service == filters.service)
    if filters.stage:
        offer_conditions.append(ProviderOffer.service.in_(services_of_stage(filters.stage)))
    if filters.sector_id:
        offer_conditions.append(
            ProviderOffer.sector_id.is_(None) | (ProviderOffer.sector_id == filters.sector_id)
        )
    if offer_conditions:
        query = query.where(
            Provider.id.in_(select(ProviderOffer.provider_id).where(*offer_conditions))
        )
    providers = list(session.exec(query).all())
    offers = offer_rows([p.id for p in providers if p.id is not None], session=session)
    return [ProviderRow(p, offers.get(p.id, [])) for p in providers]  # type: ignore[arg-type]


def in_neutral_order(
    rows: list[Any], order: str, seed: str | None, *, of: Callable[[Any], ProviderRow] = _itself
) -> list[Any]:
    """Rows holding providers (``of`` finds the ProviderRow in each) in the directory's neutral
    order (roadmap.domain.providers.neutral_order), for the pages and the API alike."""
    return neutral_order(
        rows,
        name=lambda r: of(r).provider.name,
        ident=lambda r: int(of(r).provider.id),
        order=order,
        seed=seed,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def offer_rows(provider_ids: list[int], *, session: Session) -> dict[int, list[OfferRow]]:
    """The offers of each provider, by stage, service and sector name (every sector first)."""
    if not provider_ids:
        return {}
    rows = session.exec(
        select(ProviderOffer, Sector.name)
        .join(Sector, Sector.id == ProviderOffer.sector_id, isouter=True)
        .where(ProviderOffer.provider_id.in_(provider_ids))
    ).all()
    place = {name: n for n, name in enumerate(SERVICES)}
    found: dict[int, list[OfferRow]] = defaultdict(list)
    for offer, sector in sorted(rows, key=lambda r: (place[r[0].service], r[1] or "", r[0].id)):
        found[offer.provider_id].append(OfferRow(offer, sector or ""))
    return dict(found)


def provider_row(provider_id: int, *, session: Session) -> ProviderRow | None:
    provider = session.get(Provider, provider_id)
    if provider is None:
        return None
    return ProviderRow(provider, offer_rows([provider_id], session=session).get(provider_id, []))


def provider_named(name_key: str, *, session: Session) -> Provider | None:
    return session.exec(select(Provider).where(Provider.key == name_key)).first()


def need_count(*, session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Need)).one())


def members(provider_id: int, *, session: Session) -> list[User]:
    return list(
        session.exec(
            select(User)
            .join(ProviderMember, ProviderMember.user_id == User.id)
            .where(ProviderMember.provider_id == provider_id)
            .order_by(User.email)
        ).all()
    )


def kept_providers(viewer: Viewer, *, session: Session) -> list[Provider]:
    """The listings the viewer keeps (an admin: those they are a member of), by name."""
    if not viewer.providers:
        return []
    return list(
        session.exec(
            select(Provider).where(Provider.id.in_(viewer.providers)).order_by(Provider.key)
        ).all()
    )


def sector_choices(*, session: Session) -> list[tuple[int, str]]:
    return [(s.id, s.name) for s in session.exec(select(Sector).order_by(Sector.name)).all()]  # type: ignore[misc]


# --- needs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedRow:
    """A need as one viewer reads it: ``poster`` is who it is for, as the viewer may know it
    (an anonymous company's name only for its own side and for providers whose answer it
    accepted)."""

    need: Need
    sector: str
    poster: str
    company: str  # the company's name, "" where the need is a platform's or hidden
    platform: str
    platform_slug: str
    answers: int
    is_poster_side: bool

    @property
    def service_label(self) -> str:
        return SERVICES[self.need.service].label

    @property
    def stage(self) -> int:
        return stage_of(self.need.service)

    @property
    def key(self) -> NeedKey:
        return NeedKey(self.need.service, self.need.sector_id)


def need_rows(
    viewer: Viewer, *, session: Session, status: str | None = None, need_id: int | None = None
) -> list[NeedRow]:
    """The needs the viewer may read, newest first."""
    query = (
        select(Need, Sector.name, Company.name, Platform.name, Platform.slug)
        .join(Sector, Sector.id == Need.sector_id)
        .join(Company, Company.id == Need.company_id, isouter=True)
        .join(Platform, Platform.id == Need.platform_id, isouter=True)
        .where(need_filter(viewer))
        .order_by(Need.created_at.desc(), Need.id.desc())  # type: ignore[attr-defined]
    )
    if status:
        query = query.where(Need.status == status)
    if need_id is not None:
        query = query.where(Need.id == need_id)
    found = session.exec(query).all()
    ids = [need.id for need, *_ in found]
    counts = _answer_counts(ids, session=session)
    revealed = _revealed_to(viewer, ids, session=session)
    rows = []
    for need, sector, company, platform, slug in found:
        own = poster_side(viewer, need.company_id, need.platform_id)
        named = own or not need.anonymous or need.id in revealed
        shown = company if company and named else ""
        poster = poster_label(company=company, platform=platform, sector=sector, named=named)
        rows.append(
            NeedRow(
                need, sector, poster, shown, platform or "", slug or "", counts.get(need.id, 0), own
            )
        )
    return rows


def need_row(need_id: int, viewer: Viewer, *, session: Session) -> NeedRow | None:
    rows = need_rows(viewer, session=session, need_id=need_id)
    return rows[0] if rows else None


def _answer_counts(need_ids: list[int | None], *, session: Session) -> dict[int, int]:
    if not need_ids:
        return {}
    rows = session.exec(
        select(NeedAnswer.need_id, func.count())
        .where(NeedAnswer.need_id.in_(need_ids))
        .group_by(NeedAnswer.need_id)
    ).all()
    return {need_id: count for need_id, count in rows}


def _revealed_to(viewer: Viewer, need_ids: list[int | None], *, session: Session) -> set[int]:
    """Needs whose anonymous company accepted an answer of a provider the viewer keeps."""
    if not viewer.providers or not need_ids:
        return set()
    return set(
        session.exec(
            select(NeedAnswer.need_id).where(
                NeedAnswer.need_id.in_(need_ids),
                NeedAnswer.provider_id.in_(viewer.providers),
                NeedAnswer.status == "accepted",
            )
        ).all()
    )


@dataclass(frozen=True)
class Match:
    row: ProviderRow
    exact: bool  # offers the very service asked for, not only one of its stage


def fitting_offer(key: NeedKey) -> ColumnElement[bool]:
    """Offers that match the need ``key`` (the access rule's SQL, with the need's values)."""
    return offer_fits(literal(key.service), key.sector_id)


def matching_providers(need: Need, *, session: Session) -> list[Match]:
    """The providers with an offer of the need's stage in its sector (or every sector), each
    marked where it offers the very service asked for."""
    key = NeedKey(need.service, need.sector_id)
    providers = session.exec(
        select(Provider).where(
            Provider.id.in_(select(ProviderOffer.provider_id).where(fitting_offer(key)))
        )
    ).all()
    offers = offer_rows([p.id for p in providers if p.id is not None], session=session)
    found = []
    for provider in providers:
        rows = offers.get(provider.id, [])  # type: ignore[arg-type]
        found.append(Match(ProviderRow(provider, rows), any(exact(o.key, key) for o in rows)))
    return found


@dataclass(frozen=True)
class AnswerRow:
    answer: NeedAnswer
    provider: Provider
    answered_by: User | None


def answer_rows(need: Need, viewer: Viewer, *, session: Session) -> list[AnswerRow]:
    """Every answer for the poster's side; a provider's keepers read their own answers only
    (providers never read each other's)."""
    query = (
        select(NeedAnswer, Provider, User)
        .join(Provider, Provider.id == NeedAnswer.provider_id)
        .join(User, User.id == NeedAnswer.answered_by_id, isouter=True)
        .where(NeedAnswer.need_id == need.id)
        .order_by(NeedAnswer.created_at, NeedAnswer.id)
    )
    if not poster_side(viewer, need.company_id, need.platform_id):
        query = query.where(NeedAnswer.provider_id.in_(viewer.providers))
    return [AnswerRow(a, p, u) for a, p, u in session.exec(query).all()]


def answer_of(need_id: int, answer_id: int, *, session: Session) -> NeedAnswer | None:
    return session.exec(
        select(NeedAnswer).where(NeedAnswer.id == answer_id, NeedAnswer.need_id == need_id)
    ).first()


def answerable_providers(need: Need, viewer: Viewer, *, session: Session) -> list[Provider]:
    """The viewer's listings that may still answer the need: open, one of their offers
    matches it, and they have not answered it yet."""
    if need.status != "open" or not viewer.providers:
        return []
    answered = select(NeedAnswer.provider_id).where(NeedAnswer.need_id == need.id)
    candidates = session.exec(
        select(Provider)
        .where(Provider.id.in_(viewer.providers), Provider.id.not_in(answered))
        .order_by(Provider.key)
    ).all()
    key = NeedKey(need.service, need.sector_id)
    offers = offer_rows([p.id for p in candidates if p.id is not None], session=session)
    return [
        p
        for p in candidates
        if any(matches(o.key, key) for o in offers.get(p.id, []))  # type: ignore[arg-type]
    ]


def need_postable_for(viewer: Viewer, *, session: Session) -> list[tuple[str, str]]:
    """Whom the viewer may post a need for, as (choice value, label): "company:<id>" for a
    member's company, "platform:<id>" for each platform they coordinate (an admin: every
    platform and company)."""
    choices: list[tuple[str, str]] = []
    if viewer.is_admin:
        platforms = session.exec(select(Platform).order_by(Platform.name)).all()
        companies = session.exec(select(Company).order_by(Company.name)).all()
        choices += [(f"platform:{p.id}", f"{p.name} (platform)") for p in platforms]
        choices += [(f"company:{c.id}", c.name) for c in companies]
        return choices
    if viewer.role == "company" and viewer.company_id is not None:
        company = session.get(Company, viewer.company_id)
        if company is not None:
            choices.append((f"company:{company.id}", company.name))
    if viewer.coordinated:
        platforms = session.exec(
            select(Platform).where(Platform.id.in_(viewer.coordinated)).order_by(Platform.name)
        ).all()
        choices += [(f"platform:{p.id}", f"{p.name} (platform)") for p in platforms]
    return choices


def usual_sector(poster: str, *, session: Session) -> int | None:
    """The sector a need of ``poster`` ("platform:<id>" or "company:<id>") is most likely
    about: the platform's, or that of the platform the company last submitted to."""
    kind, _, ident = poster.partition(":")
    if not ident.isdigit():
        return None
    if kind == "platform":
        return platform_sector(int(ident), session=session)
    latest = session.exec(
        select(Platform.sector_id)
        .join(Submission, Submission.platform_id == Platform.id)
        .where(Submission.company_id == int(ident))
        .order_by(Submission.id.desc())
    ).first()
    return latest


def platform_sector(platform_id: int, *, session: Session) -> int | None:
    platform = session.get(Platform, platform_id)
    return platform.sector_id if platform else None


def keepers_to_tell(need: Need, *, session: Session) -> list[User]:
    """The active keepers of every provider whose offers match the need, each once."""
    fitting = select(ProviderOffer.provider_id).where(
        fitting_offer(NeedKey(need.service, need.sector_id))
    )
    users = session.exec(
        select(User)
        .where(
            User.is_active.is_(True),
            User.id.in_(
                select(ProviderMember.user_id).where(ProviderMember.provider_id.in_(fitting))
            ),
        )
        .order_by(User.email)
    ).all()
    return list(users)


def changes(provider_id: int, *, session: Session) -> list[tuple[ProviderChange, str]]:
    """The listing's history, newest first, with who did each thing (their email, or "system"
    for what was loaded from a file)."""
    rows = session.exec(
        select(ProviderChange, User.email)
        .outerjoin(User, User.id == ProviderChange.user_id)
        .where(ProviderChange.provider_id == provider_id)
        .order_by(ProviderChange.at.desc(), ProviderChange.id.desc())  # type: ignore[attr-defined]
    ).all()
    return [(change, email or "system") for change, email in rows]
