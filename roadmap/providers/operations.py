"""Writes of the directory: listings, their offers and keepers, needs, answers and the
poster's decisions. Each function takes ``session`` by keyword and flushes; the caller (a view
or the API) commits once. Refusals name each field and what is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.accounts.operations import grant_consultant
from roadmap.accounts.queries import active_consultant
from roadmap.config import external_url
from roadmap.domain import providers as rules
from roadmap.domain.matching import name_key, tidy_name
from roadmap.models import (
    Company,
    ConsultantGrant,
    Need,
    NeedAnswer,
    Platform,
    Provider,
    ProviderChange,
    ProviderMember,
    ProviderOffer,
    Sector,
    User,
    utcnow,
)
from roadmap.notifications.operations import queue_message
from roadmap.platforms.history import changes_of, changes_text
from roadmap.providers import queries


class Refused(ValueError):
    """A write that breaks a rule: (field, message) for each problem."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems


def _refuse_if(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise Refused(problems)


# --- listings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    kind: str
    description: str = ""
    website: str = ""
    contact_email: str = ""


def provider_problems(
    spec: ProviderSpec, *, session: Session, provider_id: int | None = None
) -> list[tuple[str, str]]:
    problems = []
    name = tidy_name(spec.name)
    if not name:
        problems.append(("name", "give the organisation's name"))
    elif len(name) > rules.NAME_MAX:
        problems.append(("name", f"at most {rules.NAME_MAX} characters"))
    else:
        taken = queries.provider_named(name_key(name), session=session)
        if taken is not None and taken.id != provider_id:
            problems.append(("name", f"{taken.name} is listed already"))
    if spec.kind not in rules.KINDS:
        problems.append(("kind", "choose one of: " + ", ".join(rules.KINDS)))
    if len(spec.description) > rules.TEXT_MAX:
        problems.append(("description", f"at most {rules.TEXT_MAX} characters"))
    if (why := rules.url_problem(spec.website)) is not None:
        problems.append(("website", why))
    email = spec.contact_email.strip()
    if email and ("@" not in email or any(c.isspace() for c in email) or len(email) > 254):
        problems.append(("contact_email", "not an email address"))
    return problems


def record_change(
    provider: Provider, what: str, *, by: User | None, session: Session, detail: str = ""
) -> None:
    """Keep who changed the listing, what and when (its history, for its keepers and
    admins)."""
    session.add(
        ProviderChange(
            provider_id=provider.id,  # type: ignore[arg-type]
            user_id=by.id if by else None,
            what=what[:500],
            detail=detail,
        )
    )
    session.flush()


def _fields(spec: ProviderSpec) -> dict[str, str]:
    """The listing's fields as stored from ``spec``."""
    return {
        "name": spec.name,
        "kind": spec.kind,
        "description": spec.description.strip(),
        "website": spec.website.strip(),
        "contact_email": spec.contact_email.strip(),
    }


def create_provider(spec: ProviderSpec, *, user: User | None, session: Session) -> Provider:
    """List a provider; the user who lists it keeps it (None: a listing loaded from a file,
    kept by admins until someone is added)."""
    _refuse_if(provider_problems(spec, session=session))
    provider = Provider(**_fields(spec), created_by_id=user.id if user else None)
    session.add(provider)
    session.flush()
    if user is not None:
        session.add(ProviderMember(provider_id=provider.id, user_id=user.id))  # type: ignore[arg-type]
        session.flush()
    record_change(provider, f"Listed {provider.name}", by=user, session=session)
    return provider


def update_provider(
    provider: Provider, spec: ProviderSpec, *, by: User | None, session: Session
) -> Provider:
    _refuse_if(provider_problems(spec, session=session, provider_id=provider.id))
    values = _fields(spec)
    changes = changes_of(provider, values)
    if not changes:
        return provider
    for name, value in values.items():
        setattr(provider, name, value)
    provider.updated_at = utcnow()
    session.add(provider)
    session.flush()
    record_change(
        provider, "Edited the listing", by=by, session=session, detail=changes_text(changes)
    )
    return provider


def delete_provider(provider: Provider, *, session: Session) -> None:
    """Remove a listing with its offers, keepers and answers (access a company granted from an
    accepted answer stays until the company revokes it)."""
    session.delete(provider)
    session.flush()


def add_offer(
    provider: Provider,
    service: str,
    sector_id: int | None,
    *,
    evidence_url: str = "",
    note: str = "",
    by: User | None,
    session: Session,
) -> ProviderOffer:
    problems = []
    if service not in rules.SERVICES:
        problems.append(("service", "choose one of: " + ", ".join(rules.SERVICES)))
    if sector_id is not None and session.get(Sector, sector_id) is None:
        problems.append(("sector", "no such sector"))
    if (why := rules.url_problem(evidence_url.strip())) is not None:
        problems.append(("evidence_url", why))
    if len(note) > rules.NOTE_MAX:
        problems.append(("note", f"at most {rules.NOTE_MAX} characters"))
    if not problems:
        same = session.exec(
            select(ProviderOffer).where(
                ProviderOffer.provider_id == provider.id,
                ProviderOffer.service == service,
                ProviderOffer.sector_id.is_(None)
                if sector_id is None
                else ProviderOffer.sector_id == sector_id,
            )
        ).first()
        if same is not None:
            problems.append(("service", "this service is offered in that sector already"))
    _refuse_if(problems)
    offer = ProviderOffer(
        provider_id=provider.id,  # type: ignore[arg-type]
        service=service,
        sector_id=sector_id,
        evidence_url=evidence_url.strip(),
        note=note.strip(),
    )
    session.add(offer)
    provider.updated_at = utcnow()
    session.add(provider)
    session.flush()
    record_change(
        provider,
        f"Added an offer: {_offer_words(offer, session=session)}",
        by=by,
        session=session,
        detail="\n".join(
            f"{name}: {value}"
            for name, value in (("evidence", offer.evidence_url), ("note", offer.note))
            if value
        ),
    )
    return offer


def _offer_words(offer: ProviderOffer, *, session: Session) -> str:
    sector = session.get(Sector, offer.sector_id) if offer.sector_id is not None else None
    where = f"in {sector.name}" if sector is not None else "in every sector"
    return f"{rules.SERVICES[offer.service].label} {where}"


def remove_offer(
    provider: Provider, offer: ProviderOffer, *, by: User | None, session: Session
) -> None:
    words = _offer_words(offer, session=session)
    session.delete(offer)
    provider.updated_at = utcnow()
    session.add(provider)
    session.flush()
    record_change(provider, f"Removed an offer: {words}", by=by, session=session)


def add_keeper(provider: Provider, email: str, *, by: User | None, session: Session) -> User:
    """Let a colleague keep the listing too: an active consultant account."""
    user = active_consultant(email.strip().lower(), session=session)
    if user is None:
        raise Refused([("email", "no active consultant account has this email")])
    if session.get(ProviderMember, (provider.id, user.id)) is not None:
        raise Refused([("email", f"{user.email} keeps this listing already")])
    session.add(ProviderMember(provider_id=provider.id, user_id=user.id))  # type: ignore[arg-type]
    session.flush()
    record_change(provider, f"Added a keeper: {user.email}", by=by, session=session)
    return user


def remove_keeper(provider: Provider, user_id: int, *, by: User | None, session: Session) -> None:
    """A keeper leaves, or is removed; the last one cannot (delete the listing instead)."""
    member = session.get(ProviderMember, (provider.id, user_id))
    if member is None:
        raise Refused([("user", "not a keeper of this listing")])
    if len(queries.members(provider.id, session=session)) <= 1:  # type: ignore[arg-type]
        raise Refused([("user", "the last keeper cannot leave: delete the listing instead")])
    session.delete(member)
    session.flush()
    gone = session.get(User, user_id)
    who = gone.email if gone is not None else f"user {user_id}"
    what = "Left as a keeper" if by is not None and by.id == user_id else f"Removed a keeper: {who}"
    record_change(provider, what, by=by, session=session)


# --- needs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedSpec:
    title: str
    service: str
    sector_id: int | None
    poster: str  # "company:<id>" or "platform:<id>"
    detail: str = ""
    needed_by: date | None = None
    anonymous: bool = False


def _poster(poster: str) -> tuple[int | None, int | None]:
    """(company id, platform id) of one of ``queries.need_postable_for``'s choices."""
    kind, _, ident = poster.partition(":")
    return (int(ident), None) if kind == "company" else (None, int(ident))


def post_need(spec: NeedSpec, *, user: User, viewer: Viewer, session: Session, today: date) -> Need:
    """Post a need for a company the viewer belongs to or a platform it coordinates; the
    keepers of every matching provider are told."""
    problems = []
    title = " ".join(spec.title.split())
    if not title:
        problems.append(("title", "say in a few words what support is needed"))
    elif len(title) > rules.NAME_MAX:
        problems.append(("title", f"at most {rules.NAME_MAX} characters"))
    if len(spec.detail) > rules.TEXT_MAX:
        problems.append(("detail", f"at most {rules.TEXT_MAX} characters"))
    if spec.service not in rules.SERVICES:
        problems.append(("service", "choose one of: " + ", ".join(rules.SERVICES)))
    allowed = {value for value, _ in queries.need_postable_for(viewer, session=session)}
    company_id, platform_id = _poster(spec.poster) if spec.poster in allowed else (None, None)
    if company_id is None and platform_id is None:
        problems.append(("poster", "post for your own company or a platform you coordinate"))
    sector_id = spec.sector_id
    if sector_id is None and platform_id is not None:
        sector_id = queries.platform_sector(platform_id, session=session)
    if sector_id is None or session.get(Sector, sector_id) is None:
        problems.append(("sector", "choose the sector"))
    if (why := rules.due_problem(spec.needed_by, today)) is not None:
        problems.append(("needed_by", why))
    if spec.anonymous and company_id is None:
        problems.append(("anonymous", "only a company's need can hide its name"))
    _refuse_if(problems)
    need = Need(
        title=title,
        detail=spec.detail.strip(),
        service=spec.service,
        sector_id=sector_id,  # type: ignore[arg-type]
        company_id=company_id,
        platform_id=platform_id,
        needed_by=spec.needed_by,
        anonymous=spec.anonymous,
        posted_by_id=user.id,
    )
    session.add(need)
    session.flush()
    _tell_keepers(need, session=session)
    return need


def close_need(need: Need, status: str, *, session: Session) -> Need:
    """Mark a need met or withdrawn; providers can no longer answer it."""
    if status not in ("met", "withdrawn"):
        raise Refused([("status", "choose met or withdrawn")])
    if need.status != "open":
        raise Refused([("status", f"the need is {need.status} already")])
    need.status = status
    need.closed_at = utcnow()
    session.add(need)
    session.flush()
    return need


def reopen_need(need: Need, *, session: Session) -> Need:
    if need.status == "open":
        raise Refused([("status", "the need is open already")])
    need.status = "open"
    need.closed_at = None
    session.add(need)
    session.flush()
    return need


def answer_need(
    need: Need, provider_id: int, message: str, *, user: User, viewer: Viewer, session: Session
) -> NeedAnswer:
    """A provider the viewer keeps answers an open need that one of its offers matches; the
    need's poster is told."""
    allowed = {p.id for p in queries.answerable_providers(need, viewer, session=session)}
    problems = []
    if provider_id not in allowed:
        problems.append(
            ("provider", "choose a listing you keep that offers this stage and has not answered")
        )
    text = message.strip()
    if not text:
        problems.append(("message", "say how the provider would help"))
    elif len(text) > rules.TEXT_MAX:
        problems.append(("message", f"at most {rules.TEXT_MAX} characters"))
    _refuse_if(problems)
    answer = NeedAnswer(
        need_id=need.id,  # type: ignore[arg-type]
        provider_id=provider_id,
        answered_by_id=user.id,
        message=text,
    )
    session.add(answer)
    session.flush()
    poster = _active_user(need.posted_by_id, session=session)
    if poster is not None:
        queue_message(
            poster,
            "need_answered",
            session=session,
            need=need,
            provider=session.get(Provider, provider_id),
            link=external_url("providers.need", need_id=need.id),
        )
    return answer


@dataclass(frozen=True)
class Decision:
    answer: NeedAnswer
    grant: ConsultantGrant | None


def decide_answer(
    need: Need,
    answer: NeedAnswer,
    *,
    accept: bool,
    grant_access: bool,
    user: User,
    viewer: Viewer,
    session: Session,
) -> Decision:
    """The poster's side accepts or declines an answer (once). Accepting a company's need may
    also give the consultant who answered read-only access to the company's figures, as a
    grant on the company page would; only the company's members may give it."""
    if answer.status != "sent":
        raise Refused([("answer", f"this answer was {answer.status} already")])
    consultant = grantable_consultant(need, answer, viewer, session=session)
    if accept and grant_access and consultant is None:
        raise Refused(
            [
                (
                    "grant_access",
                    "only the company's members give access, to the consultant who answered",
                )
            ]
        )
    answer.status = "accepted" if accept else "declined"
    answer.decided_at = utcnow()
    answer.decided_by_id = user.id
    session.add(answer)
    session.flush()
    grant = None
    if accept and grant_access and consultant is not None and need.company_id is not None:
        grant = grant_consultant(need.company_id, consultant, granted_by=user, session=session)
    answerer = _active_user(answer.answered_by_id, session=session)
    if answerer is not None:
        queue_message(
            answerer,
            "answer_decided",
            session=session,
            need=need,
            answer=answer,
            provider=session.get(Provider, answer.provider_id),
            poster=_poster_name(need, revealed=accept, session=session),
            granted=grant is not None,
            link=external_url("providers.need", need_id=need.id),
        )
    return Decision(answer, grant)


def _active_user(user_id: int | None, *, session: Session) -> User | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user if user is not None and user.is_active else None


def grantable_consultant(
    need: Need, answer: NeedAnswer, viewer: Viewer, *, session: Session
) -> User | None:
    """The consultant an accepted answer could give access to: the active consultant who
    answered a company's need, where the viewer manages that company's grants."""
    if need.company_id is None or not access.can_manage_grants(viewer, need.company_id):
        return None
    user = _active_user(answer.answered_by_id, session=session)
    return user if user is not None and user.role == "consultant" else None


def _poster_name(need: Need, *, revealed: bool, session: Session) -> str:
    """Who the need is for, as its readers may know it (``revealed``: an answer accepted)."""
    platform = session.get(Platform, need.platform_id) if need.platform_id else None
    company = session.get(Company, need.company_id) if need.company_id else None
    sector = session.get(Sector, need.sector_id)
    return rules.poster_label(
        company=company.name if company else None,
        platform=platform.name if platform else None,
        sector=sector.name if sector else "",
        named=revealed or not need.anonymous,
    )


def _tell_keepers(need: Need, *, session: Session) -> int:
    poster = _poster_name(need, revealed=False, session=session)
    sector = session.get(Sector, need.sector_id)
    link = external_url("providers.need", need_id=need.id)
    return sum(
        queue_message(
            keeper,
            "need_posted",
            session=session,
            need=need,
            poster=poster,
            service=rules.SERVICES[need.service].label,
            stage=rules.stage_of(need.service),
            sector=sector.name if sector else "",
            link=link,
        )
        for keeper in queries.keepers_to_tell(need, session=session)
    )
