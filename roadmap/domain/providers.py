"""The rules of the directory of service providers: what a provider may offer (a service
belongs to one of the four stages), which providers match a need, and the neutral order the
directory lists them in.

The order is never bought and never learnt: alphabetical by name (letter case and runs of blanks
do not count), or shuffled per visit from a seed the page carries in its links, so
that a visitor paging or filtering sees one stable order while every provider has the same
chance of coming first on the next visit.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from urllib.parse import urlsplit

from roadmap.domain.matching import name_key


@dataclass(frozen=True)
class Service:
    name: str  # stored
    label: str  # shown
    stage: int


SERVICES = {
    s.name: s
    for s in (
        Service("vision facilitation", "Vision facilitation", 1),
        Service("roadmap modelling", "Roadmap modelling", 2),
        Service("target setting", "Target setting", 3),
        Service("financing blueprints", "Financing blueprints", 4),
        Service("labelling", "Labelling and certification", 4),
        Service("research", "Research and development", 4),
    )
}
KINDS = ("consultancy", "research body", "financier", "standards body", "other")
NEED_STATUSES = ("open", "met", "withdrawn")
ANSWER_STATUSES = ("sent", "accepted", "declined")
ORDERS = {"name": "Alphabetical", "random": "Random (new each visit)"}

# Sizes the forms and the API share.
NAME_MAX = 200
TEXT_MAX = 2000
URL_MAX = 500
NOTE_MAX = 300


def stage_of(service: str) -> int:
    return SERVICES[service].stage


def services_of_stage(stage: int) -> list[str]:
    return [s.name for s in SERVICES.values() if s.stage == stage]


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a provider's website or evidence link (None: it can). Only web
    addresses are shown as links, so that a listing never carries a script or a local file."""
    if not url:
        return None
    if len(url) > URL_MAX:
        return f"at most {URL_MAX} characters"
    if any(c.isspace() for c in url):
        return "a web address has no spaces"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "give a full web address starting with https:// or http://"
    return None


@dataclass(frozen=True)
class OfferKey:
    """What an offer covers: a service, in one sector or (None) in every sector."""

    service: str
    sector_id: int | None


@dataclass(frozen=True)
class NeedKey:
    service: str
    sector_id: int


def matches(offer: OfferKey, need: NeedKey) -> bool:
    """An offer matches a need of the same stage in the need's sector (or in every sector)."""
    return stage_of(offer.service) == stage_of(need.service) and offer.sector_id in (
        None,
        need.sector_id,
    )


def exact(offer: OfferKey, need: NeedKey) -> bool:
    """The offer is of the very service the need asks for (not only of its stage)."""
    return matches(offer, need) and offer.service == need.service


def new_seed() -> str:
    return secrets.token_hex(4)


def clean_seed(seed: str | None) -> str | None:
    """A seed as the page's links carry it (eight hex digits), else None."""
    if seed and len(seed) == 8 and all(c in "0123456789abcdef" for c in seed):
        return seed
    return None


def seed_for(order: str, asked: str | None) -> str | None:
    """The seed an order is shown with: the one asked for (if well formed) or a new one for a
    random order; none for the alphabetical one."""
    if order != "random":
        return None
    return clean_seed(asked) or new_seed()


T = TypeVar("T")


def neutral_order(
    items: Iterable[T],
    *,
    name: Callable[[T], str],
    ident: Callable[[T], int],
    order: str,
    seed: str | None,
) -> list[T]:
    """``items`` alphabetically (``order="name"``), or shuffled by ``seed``: each item's place
    is a hash of the seed and its id, so the same seed gives the same order whatever the
    filter, and a new seed a new one. Ties of name fall back to the id."""
    if order == "random":
        if seed is None:
            raise ValueError("a random order needs a seed")

        def rank(item: T) -> tuple[bytes, int]:
            digest = hashlib.blake2b(f"{seed}:{ident(item)}".encode(), digest_size=8).digest()
            return digest, ident(item)

        return sorted(items, key=rank)
    return sorted(items, key=lambda item: (name_key(name(item)), name(item), ident(item)))


def poster_label(*, company: str | None, platform: str | None, sector: str, named: bool) -> str:
    """Who a need is for, as a reader may know it: a platform by name; a company by name where
    ``named`` (its own side, a need not posted anonymously, or a provider whose answer it
    accepted), else only its sector."""
    if company is None:
        return f"{platform} (platform)"
    return company if named else f"A company in {sector} (name withheld)"


def due_problem(needed_by: date | None, today: date) -> str | None:
    """A need's date must not be in the past when it is posted."""
    if needed_by is not None and needed_by < today:
        return f"a date from today ({today.isoformat()}) on"
    return None
