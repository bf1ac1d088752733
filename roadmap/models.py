"""Database tables (SQLModel).

Reference data: sectors, scenarios, their pathways and pathway points. Platform data:
platforms, companies, and submissions, which are append-only versions: a new upload is a new
Submission with the next version number and never overwrites an older one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

# Named constraints, so that migrations name the same thing on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STAGES = {
    1: "Shared vision",
    2: "Roadmaps and metrics",
    3: "Committing to action",
    4: "Supporting implementation",
}
SUBMISSION_SOURCES = ("form", "upload", "api", "seed")
ASSURANCE_LEVELS = ("self-reported", "limited assurance", "reasonable assurance")


def utcnow() -> datetime:
    return datetime.now(UTC)


def _timestamp() -> object:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)


class Sector(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    # The unit every intensity of this sector is shown in (e.g. "t CO2e/(t Steel)").
    intensity_unit: str = Field(max_length=100)


class Scenario(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    source: str = Field(default="", max_length=500)
    licence: str = Field(default="", max_length=200)
    release_date: str = Field(default="", max_length=40)
    created_at: datetime = _timestamp()


class Pathway(SQLModel, table=True):
    """One scenario's curve for one sector, region and scope."""

    __table_args__ = (
        UniqueConstraint("scenario_id", "sector_id", "region", "scope", name="uq_pathway_series"),
    )
    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")
    sector_id: int = Field(foreign_key="sector.id", index=True)
    region: str = Field(max_length=100)
    scope: str = Field(max_length=10)
    intensity_unit: str = Field(max_length=100)
    activity_unit: str = Field(default="", max_length=100)


class PathwayPoint(SQLModel, table=True):
    __tablename__ = "pathway_point"
    __table_args__ = (
        UniqueConstraint("pathway_id", "year", name="uq_pathway_point_year"),
        CheckConstraint("intensity >= 0", name="intensity_not_negative"),
        CheckConstraint("activity IS NULL OR activity > 0", name="activity_positive"),
    )
    id: int | None = Field(default=None, primary_key=True)
    pathway_id: int = Field(foreign_key="pathway.id", index=True, ondelete="CASCADE")
    year: int
    intensity: float
    activity: float | None = None


class Platform(SQLModel, table=True):
    """A sector platform (optionally one region) moving through the four MPP stages."""

    __table_args__ = (CheckConstraint("stage BETWEEN 1 AND 4", name="stage_range"),)
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    name: str = Field(max_length=200)
    sector_id: int = Field(foreign_key="sector.id", index=True)
    region: str = Field(default="Global", max_length=100)
    scope: str = Field(default="S1S2", max_length=10)
    stage: int = Field(default=1)
    net_zero_year: int | None = None
    vision: str = Field(default="", max_length=4000)
    is_public: bool = Field(default=False)
    created_at: datetime = _timestamp()


class Company(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    created_at: datetime = _timestamp()


class Submission(SQLModel, table=True):
    """One version of a company's trajectory for one platform; never updated in place."""

    __table_args__ = (
        UniqueConstraint("company_id", "platform_id", "version", name="uq_submission_version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    platform_id: int = Field(foreign_key="platform.id", index=True)
    version: int
    region: str = Field(max_length=100)
    scope: str = Field(max_length=10)
    source: str = Field(max_length=20)
    filename: str = Field(default="", max_length=255)
    checksum: str = Field(max_length=64)  # SHA-256 of the submitted file or rows, hex
    assurance: str = Field(default="self-reported", max_length=40)
    submitted_at: datetime = _timestamp()


class TrajectoryPoint(SQLModel, table=True):
    __tablename__ = "trajectory_point"
    __table_args__ = (
        UniqueConstraint("submission_id", "year", name="uq_trajectory_point_year"),
        CheckConstraint("activity IS NULL OR activity > 0", name="activity_positive"),
        CheckConstraint("emissions IS NULL OR emissions >= 0", name="emissions_not_negative"),
        CheckConstraint("kind IN ('reported', 'planned')", name="kind_known"),
    )
    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    year: int
    kind: str = Field(max_length=10)
    activity: float | None = None
    activity_unit: str = Field(default="", max_length=100)
    emissions: float | None = None
    emissions_unit: str = Field(default="", max_length=100)
    intensity: float | None = None
    intensity_unit: str = Field(default="", max_length=100)
