"""Bodies of /api/v1/providers and /api/v1/needs: the directory and the needs a caller may
read, as the pages show them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, RootModel

from roadmap.domain import providers as rules

Service = Literal[
    "vision facilitation",
    "roadmap modelling",
    "target setting",
    "financing blueprints",
    "labelling",
    "research",
]
Kind = Literal["consultancy", "research body", "financier", "standards body", "other"]
assert set(Service.__args__) == set(rules.SERVICES)  # type: ignore[attr-defined]
assert set(Kind.__args__) == set(rules.KINDS)  # type: ignore[attr-defined]


class DirectoryQuery(BaseModel):
    stage: int | None = Field(None, ge=1, le=4, description="offers of this stage")
    service: Service | None = None
    sector: int | None = Field(None, ge=1, le=2**31 - 1, description="a sector's id")
    kind: Kind | None = None
    q: str = Field("", max_length=100, description="in the name or the description")
    order: Literal["name", "random"] = Field(
        "name", description="alphabetical, or shuffled by seed (a new one when none is sent)"
    )
    seed: str | None = Field(
        None, pattern="^[0-9a-f]{8}$", description="eight hex digits; the same seed, the same order"
    )


class Offer(BaseModel):
    service: Service
    label: str
    stage: int
    sector: str | None = Field(description="null: every sector")
    evidence_url: str
    note: str


class Provider(BaseModel):
    id: int
    name: str
    kind: Kind
    description: str
    website: str
    contact_email: str
    stages: list[int]
    offers: list[Offer]


class Directory(BaseModel):
    """Providers in a neutral order: alphabetical, or shuffled by ``seed``."""

    order: Literal["name", "random"]
    seed: str | None
    providers: list[Provider]


class NeedQuery(BaseModel):
    status: Literal["open", "met", "withdrawn", "all"] = "open"


class Need(BaseModel):
    """A need as the caller may read it: an anonymous company's name is null for providers
    until it accepts their answer."""

    id: int
    title: str
    detail: str
    service: Service
    stage: int
    sector: str
    company: str | None
    platform: str | None = Field(description="the platform's slug, for a platform's need")
    needed_by: date | None
    status: Literal["open", "met", "withdrawn"]
    posted_at: str = Field(description="ISO 8601, UTC")
    answers: int | None = Field(description="for the poster's side; null for providers")
    poster_side: bool


class NeedList(RootModel[list[Need]]):
    """The needs the caller may read, newest first."""
