"""Database tables (SQLModel).

Reference data: sectors, scenarios, their pathways and pathway points. Platform data:
platforms, companies, and submissions, which are append-only versions: a new upload is a new
Submission with the next version number and never overwrites an older one.

Relationships are declared where code follows them (a platform's sector, a submission's
company and platform, ...), read lazily on first use. No ``from __future__ import
annotations`` here: SQLAlchemy reads the relationships' annotations at class creation, so
forward references are written as strings.
"""

from datetime import UTC, date, datetime
from typing import Optional

from sqlalchemy import CheckConstraint, DateTime, Index, Text, UniqueConstraint, event, text
from sqlmodel import Field, Relationship, SQLModel

from roadmap.domain.matching import name_key, tidy_name
from roadmap.domain.pipeline import STATUSES as PROJECT_STATUSES
from roadmap.domain.providers import ANSWER_STATUSES, NEED_STATUSES
from roadmap.domain.providers import KINDS as PROVIDER_KINDS
from roadmap.domain.providers import SERVICES as PROVIDER_SERVICES

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
ASSURANCE_LEVELS = ("self-reported", "limited assurance", "reasonable assurance")
SUBMISSION_STATUSES = ("pending", "accepted", "changes_requested", "rejected")
ROUND_STATUSES = ("open", "closed", "published")


def utcnow() -> datetime:
    return datetime.now(UTC)


def _timestamp() -> object:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)


class Sector(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    # The unit every intensity of this sector is shown in (e.g. "t CO2e/(t Steel)").
    intensity_unit: str = Field(max_length=100)


class SectorUnit(SQLModel, table=True):
    """The product unit of a sector made in the browser: a unit of its own dimension
    (``Glass = [glass]``), so that a tonne of glass never converts into a tonne of steel nor
    into a plain tonne. The unit registry learns it at run time (roadmap/sectors/stored_units.py);
    the built-in sectors' units are in roadmap/domain/units.py and have no row here. Never
    changed once made: stored figures are written in it."""

    __tablename__ = "sector_unit"
    id: int | None = Field(default=None, primary_key=True)
    sector_id: int = Field(foreign_key="sector.id", unique=True, ondelete="CASCADE")
    name: str = Field(max_length=40, unique=True)  # the unit, e.g. "Glass"
    dimension: str = Field(max_length=40, unique=True)  # without brackets, e.g. "glass"
    aliases: str = Field(default="", max_length=200)  # other names of the unit, comma-separated
    activity_unit: str = Field(max_length=100)  # what companies report, e.g. "t Glass"
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = _timestamp()

    sector: "Sector" = Relationship()
    created_by: Optional["User"] = Relationship()  # noqa: UP045


class Scenario(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    source: str = Field(default="", max_length=500)
    licence: str = Field(default="", max_length=200)
    release_date: str = Field(default="", max_length=40)
    # Benchmark temperature (degC) and global CO2 budget (Gt CO2), where the pathway file
    # gives them (DESIGN.md "Temperature and credibility").
    temperature: float | None = Field(default=None)
    global_budget: float | None = Field(default=None)
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
    # Stage 3's gate: the share of the platform's activity company targets must cover.
    coverage_target: float = Field(default=0.5)
    # The coordinators state that figures in CO2 and CO2e may be compared as one quantity
    # (TPI publishes CO2, OECM CO2e); without it a submission on the other basis than a
    # scenario's is left out of that scenario's reconciliation.
    treat_co2_as_co2e: bool = Field(default=False)
    # The share of its capacity a near-zero plant is expected to run at: near-zero supply in
    # the demand-against-supply balance is the pipeline's projected capacity times this.
    supply_utilisation: float = Field(default=0.85)
    created_at: datetime = _timestamp()

    sector: "Sector" = Relationship()


class Company(SQLModel, table=True):
    """``key`` is the company's identity (``name_key``: case and blanks folded), set from the
    name whenever a company is written, so that "NORTHWIND STEEL" is never a second company."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    key: str = Field(default="", max_length=200, unique=True, index=True)
    created_at: datetime = _timestamp()


def _named_key(_mapper: object, _connection: object, named: "Company | Provider") -> None:
    """A name as stored (tidied) and its identity (``key``), whenever the row is written."""
    named.name = tidy_name(named.name)
    named.key = name_key(named.name)


event.listen(Company, "before_insert", _named_key)
event.listen(Company, "before_update", _named_key)


class Submission(SQLModel, table=True):
    """One version of a company's trajectory for one platform; never updated in place."""

    __table_args__ = (
        UniqueConstraint("company_id", "platform_id", "version", name="uq_submission_version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            "status IN ('pending', 'accepted', 'changes_requested', 'rejected')",
            name="status_known",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    platform_id: int = Field(foreign_key="platform.id", index=True)
    # The reporting round it answers; none for one made while no round was open.
    round_id: int | None = Field(default=None, foreign_key="reporting_round.id", index=True)
    version: int
    region: str = Field(max_length=100)
    scope: str = Field(max_length=10)
    source: str = Field(max_length=20)
    filename: str = Field(default="", max_length=255)
    checksum: str = Field(max_length=64)  # SHA-256 of the submitted file or rows, hex
    assurance: str = Field(default="self-reported", max_length=40)
    submitted_at: datetime = _timestamp()
    submitted_by_id: int | None = Field(default=None, foreign_key="user.id")
    # The coordinator's review: the only part of a submission that changes after it is made.
    status: str = Field(default="pending", max_length=20)
    reviewed_by_id: int | None = Field(default=None, foreign_key="user.id")
    reviewed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    review_reason: str = Field(default="", max_length=2000)

    company: "Company" = Relationship()
    platform: "Platform" = Relationship()
    submitted_by: Optional["User"] = Relationship(  # noqa: UP045
        sa_relationship_kwargs={"foreign_keys": "[Submission.submitted_by_id]"}
    )


class ReportingRound(SQLModel, table=True):
    """A platform's yearly disclosure: what is asked (reported years up to ``reported_up_to``,
    a plan to ``plan_to``), from when and by when. Opened, then closed, then published; a
    published round's ``RoundPublication`` rows are what everyone but the platform's
    coordinators sees."""

    __tablename__ = "reporting_round"
    __table_args__ = (
        UniqueConstraint("platform_id", "name", name="uq_reporting_round_name"),
        CheckConstraint("status IN ('open', 'closed', 'published')", name="status_known"),
        CheckConstraint("plan_to > reported_up_to", name="plan_after_reported"),
        CheckConstraint("deadline >= opens_on", name="deadline_after_opening"),
        # At most one open round per platform, also when two coordinators open one at once.
        Index(
            "uq_reporting_round_one_open",
            "platform_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    reported_up_to: int
    plan_to: int
    opens_on: date
    deadline: date
    status: str = Field(default="open", max_length=10)
    opened_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _timestamp()
    closed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    published_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    published_by_id: int | None = Field(default=None, foreign_key="user.id")

    platform: "Platform" = Relationship()


class RoundPublication(SQLModel, table=True):
    """Which accepted version of each company a published round publishes: a reference to the
    stored figures, never a copy of them."""

    __tablename__ = "round_publication"
    round_id: int = Field(foreign_key="reporting_round.id", primary_key=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)


class TrajectoryPoint(SQLModel, table=True):
    __tablename__ = "trajectory_point"
    __table_args__ = (
        UniqueConstraint("submission_id", "year", name="uq_trajectory_point_year"),
        CheckConstraint("activity IS NULL OR activity > 0", name="activity_positive"),
        CheckConstraint("emissions IS NULL OR emissions >= 0", name="emissions_not_negative"),
        CheckConstraint("kind IN ('reported', 'planned')", name="kind_known"),
        CheckConstraint(
            "clinker_ratio IS NULL OR (clinker_ratio > 0 AND clinker_ratio <= 1)",
            name="clinker_ratio_range",
        ),
        CheckConstraint(
            "kg_per_passenger IS NULL OR kg_per_passenger > 0", name="kg_per_passenger_positive"
        ),
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
    # t clinker per t cement, and kg per passenger: what turns a figure per tonne of clinker
    # or per passenger-km into the sector's unit (roadmap.domain.conversion).
    clinker_ratio: float | None = None
    kg_per_passenger: float | None = None


# --- accounts and access -------------------------------------------------------------------

ROLES = ("admin", "coordinator", "company", "consultant")


class User(SQLModel, table=True):
    """A person who signs in. ``role`` decides what they may see (roadmap/access.py): an admin
    everything, a coordinator their platforms, a company member their company, a consultant the
    companies that granted them access."""

    __table_args__ = (
        CheckConstraint(
            "role IN ('admin', 'coordinator', 'company', 'consultant')", name="role_known"
        ),
        CheckConstraint("role != 'company' OR company_id IS NOT NULL", name="member_has_company"),
    )
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)  # stored lower-case
    name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    is_active: bool = Field(default=True)
    # An admin's leave for a coordinator to create sectors (admins always may).
    may_create_sectors: bool = Field(default=False)
    created_at: datetime = _timestamp()

    company: Optional["Company"] = Relationship()  # noqa: UP045

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class PlatformCoordinator(SQLModel, table=True):
    __tablename__ = "platform_coordinator"
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    platform_id: int = Field(foreign_key="platform.id", primary_key=True, ondelete="CASCADE")


class ConsultantGrant(SQLModel, table=True):
    """A company's read-only access grant to a consultant; revoking sets ``revoked_at`` so the
    history of who could see what is kept."""

    __tablename__ = "consultant_grant"
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    consultant_id: int = Field(foreign_key="user.id", index=True)
    granted_by_id: int = Field(foreign_key="user.id")
    granted_at: datetime = _timestamp()
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))

    consultant: "User" = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[ConsultantGrant.consultant_id]"}
    )


class ApiToken(SQLModel, table=True):
    """A bearer token for the API. Only its SHA-256 is stored; ``prefix`` lets the owner tell
    tokens apart in a list."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)
    name: str = Field(default="", max_length=100)
    created_at: datetime = _timestamp()
    last_used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class SignIn(SQLModel, table=True):
    """One signed-in browser session. The cookie holds a secret whose SHA-256 is ``token_hash``;
    a session is valid until ``ended_at`` is set (signing out, a password reset, an admin
    deactivating the user), so ending it does not depend on the browser forgetting a cookie."""

    __tablename__ = "sign_in"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _timestamp()
    ended_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class LoginAttempt(SQLModel, table=True):
    """Sign-in attempts, kept in the database so the throttle holds across app workers."""

    __tablename__ = "login_attempt"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    remote_addr: str = Field(default="", max_length=64)
    succeeded: bool = Field(default=False)
    attempted_at: datetime = _timestamp()


class PasswordReset(SQLModel, table=True):
    """A one-time password-reset link an admin made for a user; only its SHA-256 is stored."""

    __tablename__ = "password_reset"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = _timestamp()
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))
    used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class PendingUpload(SQLModel, table=True):
    """An uploaded file between its preview and its acceptance: the user sees every problem
    first, and accepting stores exactly the previewed bytes (checked by checksum)."""

    __tablename__ = "pending_upload"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", index=True)
    platform_id: int = Field(foreign_key="platform.id")
    filename: str = Field(max_length=255)
    checksum: str = Field(max_length=64)
    content: bytes
    created_at: datetime = _timestamp()

    company: "Company" = Relationship()
    platform: "Platform" = Relationship()


class WhatIfDraft(SQLModel, table=True):
    """A what-if plan saved by its owner: a sandbox's table (units, region, scope and one row
    per year, as typed) as JSON text. Private to ``user_id``; never a submission until its
    owner submits it, which makes a new Submission through the submission operations."""

    __tablename__ = "what_if_draft"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", index=True)
    platform_id: int = Field(foreign_key="platform.id")
    name: str = Field(max_length=100)
    table_json: str = Field(sa_type=Text)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()

    company: "Company" = Relationship()
    platform: "Platform" = Relationship()


# --- the four stages of a platform ---------------------------------------------------------

SIGNATORY_KINDS = ("company", "government", "financier", "civil society", "other")
KPI_DIRECTIONS = ("increase", "decrease")
TARGET_KINDS = ("intensity", "absolute reduction")
VALIDATIONS = ("self-declared", "third-party verified", "SBTi-validated")
POLICY_STATUSES = ("proposed", "in discussion", "adopted", "rejected")
ACTION_KINDS = ("R&D", "label or standard", "financing", "toolkit", "policy sandbox")
ACTION_STATUSES = ("planned", "under way", "done", "stalled")


class Signatory(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    organisation: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    joined_on: date


class RoadmapPathway(SQLModel, table=True):
    """A platform's own sector pathway: intensity (and optionally sector activity) at each
    five-year milestone from the base year to the target year."""

    __tablename__ = "roadmap_pathway"
    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    scenario: str = Field(max_length=200)
    base_year: int
    target_year: int
    intensity_unit: str = Field(max_length=100)
    activity_unit: str = Field(default="", max_length=100)
    published: bool = Field(default=False)

    milestones: list["RoadmapMilestone"] = Relationship(
        sa_relationship_kwargs={"order_by": "RoadmapMilestone.year"}
    )


class RoadmapMilestone(SQLModel, table=True):
    __tablename__ = "roadmap_milestone"
    __table_args__ = (UniqueConstraint("pathway_id", "year", name="uq_roadmap_milestone_year"),)
    id: int | None = Field(default=None, primary_key=True)
    pathway_id: int = Field(foreign_key="roadmap_pathway.id", index=True, ondelete="CASCADE")
    year: int
    intensity: float
    activity: float | None = None


class Kpi(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    unit: str = Field(max_length=50)
    direction: str = Field(max_length=10)
    # "typed" (actuals entered by hand) or a measure of the project pipeline
    # (roadmap.domain.pipeline.MEASURES): actuals from status dates, a projection to milestones.
    source: str = Field(default="typed", max_length=60)

    values: list["KpiValue"] = Relationship(sa_relationship_kwargs={"order_by": "KpiValue.year"})


class KpiValue(SQLModel, table=True):
    """A KPI's five-year target (``is_target``) or a reported actual for a year."""

    __tablename__ = "kpi_value"
    __table_args__ = (UniqueConstraint("kpi_id", "year", "is_target", name="uq_kpi_value_year"),)
    id: int | None = Field(default=None, primary_key=True)
    kpi_id: int = Field(foreign_key="kpi.id", index=True, ondelete="CASCADE")
    year: int
    value: float
    is_target: bool


class CompanyTarget(SQLModel, table=True):
    __tablename__ = "company_target"
    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", index=True)
    target_year: int
    kind: str = Field(max_length=20)
    value: float  # intensity in the sector's unit, or the reduction as a fraction
    scope: str = Field(max_length=10)
    net_zero_year: int | None = None
    validation: str = Field(max_length=30)

    company: "Company" = Relationship()


class DemandSignal(SQLModel, table=True):
    __tablename__ = "demand_signal"
    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    buyer: str = Field(max_length=200)
    product: str = Field(max_length=200)
    volume: float  # per year, from ``year`` to ``until_year``
    volume_unit: str = Field(max_length=50)
    year: int
    # The last year the volume is committed for (the same year where None).
    until_year: int | None = None
    commitment: str = Field(default="procurement pledge", max_length=40)


# --- the near-zero project pipeline (roadmap.pipeline) ---------------------------------------

# The column holding the date each status was reached (roadmap.domain.pipeline.STATUSES, in the
# order a project moves through them; "cancelled" ends it at any point).
PROJECT_STATUS_DATES = {
    "announced": "announced_on",
    "feasibility": "feasibility_on",
    "final investment decision": "fid_on",
    "construction": "construction_on",
    "operating": "operating_on",
    "cancelled": "cancelled_on",
}


class Project(SQLModel, table=True):
    """A near-zero plant (or vessel, kiln, ...) of a company on a platform: its technology
    route, where it stands, when it is expected to start and how much it will make per year in
    the sector's activity unit (``capacity_unit``, e.g. "Mt Steel": per year is implied).

    Only projects the company marks ``is_public`` are shown to everyone; the others count in
    totals under the same anonymisation rules as companies' figures."""

    __table_args__ = (
        UniqueConstraint("platform_id", "company_id", "name", name="uq_project_name"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in PROJECT_STATUSES) + ")",
            name="status_known",
        ),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint(
            "expected_intensity IS NULL OR expected_intensity >= 0",
            name="expected_intensity_not_negative",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", index=True)
    name: str = Field(max_length=200)
    country: str = Field(default="", max_length=100)
    technology: str = Field(max_length=100)
    status: str = Field(max_length=30)
    announced_on: date | None = None
    feasibility_on: date | None = None
    fid_on: date | None = None
    construction_on: date | None = None
    operating_on: date | None = None
    cancelled_on: date | None = None
    start_year: int
    capacity: float
    capacity_unit: str = Field(max_length=100)
    expected_intensity: float | None = None
    intensity_unit: str = Field(default="", max_length=100)
    source_url: str = Field(default="", max_length=500)
    is_public: bool = Field(default=False)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()

    company: "Company" = Relationship()


class PipelineWeight(SQLModel, table=True):
    """A platform's own likelihood that a project at ``status`` runs by its expected start
    year (roadmap.domain.pipeline.DEFAULT_WEIGHTS where a platform has none)."""

    __tablename__ = "pipeline_weight"
    platform_id: int = Field(foreign_key="platform.id", primary_key=True, ondelete="CASCADE")
    status: str = Field(max_length=30, primary_key=True)
    weight: float


class ProjectPublication(SQLModel, table=True):
    """A confidential project's numbers as a published round saw them: what everyone who may
    not see the project counts in the platform's totals until the next publication."""

    __tablename__ = "project_publication"
    round_id: int = Field(foreign_key="reporting_round.id", primary_key=True, ondelete="CASCADE")
    project_id: int = Field(primary_key=True)  # the project may be deleted since
    company_id: int = Field(foreign_key="company.id", index=True)
    technology: str = Field(max_length=100)
    status: str = Field(max_length=30)
    start_year: int
    capacity: float  # in the sector's activity unit per year, as converted then
    construction_year: int | None = None
    operating_year: int | None = None
    cancelled_year: int | None = None


class GateCriterion(SQLModel, table=True):
    """A criterion of a stage's gate that the platform's coordinators set themselves and tick
    with their evidence (roadmap.domain.stages.gate counts it beside the computed ones)."""

    __tablename__ = "gate_criterion"
    __table_args__ = (CheckConstraint("stage BETWEEN 1 AND 3", name="stage_with_a_gate"),)
    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    stage: int
    text: str = Field(max_length=300)
    met: bool = Field(default=False)
    evidence: str = Field(default="", max_length=500)


class PolicyAsk(SQLModel, table=True):
    __tablename__ = "policy_ask"
    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    rule: str = Field(max_length=500)
    jurisdiction: str = Field(max_length=200)
    status: str = Field(max_length=20)


class Action(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=30)
    title: str = Field(max_length=200)
    owner: str = Field(max_length=200)
    status: str = Field(max_length=20)
    milestone_year: int
    due_on: date | None = None


# --- the directory of service providers (roadmap.providers) ---------------------------------


class Provider(SQLModel, table=True):
    """A consultancy, research body, financier or standards body listed in the directory.
    ``key`` is its name's identity (``name_key``), so one organisation is listed once."""

    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in PROVIDER_KINDS) + ")", name="kind_known"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    key: str = Field(default="", max_length=200, unique=True)
    kind: str = Field(max_length=30)
    description: str = Field(default="", sa_type=Text)
    website: str = Field(default="", max_length=500)
    contact_email: str = Field(default="", max_length=254)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


event.listen(Provider, "before_insert", _named_key)
event.listen(Provider, "before_update", _named_key)


class ProviderMember(SQLModel, table=True):
    """A person who keeps a provider's listing and answers needs in its name."""

    __tablename__ = "provider_member"
    provider_id: int = Field(foreign_key="provider.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE", index=True)


class ProviderChange(SQLModel, table=True):
    """A change to a listing: who, when, what (listed, its fields edited, an offer or a keeper
    added or removed); ``detail`` holds an edit's ``field: old -> new`` lines. Removed with the
    listing."""

    __tablename__ = "provider_change"
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    at: datetime = _timestamp()
    what: str = Field(max_length=500)
    detail: str = Field(default="", sa_type=Text)

    user: Optional["User"] = Relationship()  # noqa: UP045


class ProviderOffer(SQLModel, table=True):
    """A service a provider offers, in one sector or (``sector_id`` None) in every sector,
    with a link to evidence of its work."""

    __tablename__ = "provider_offer"
    __table_args__ = (
        CheckConstraint(
            "service IN (" + ", ".join(f"'{s}'" for s in PROVIDER_SERVICES) + ")",
            name="service_known",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True, ondelete="CASCADE")
    service: str = Field(max_length=40)
    sector_id: int | None = Field(default=None, foreign_key="sector.id", ondelete="CASCADE")
    evidence_url: str = Field(default="", max_length=500)
    note: str = Field(default="", max_length=300)


class Need(SQLModel, table=True):
    """Support a company or a platform looks for: a service (hence a stage), a sector, by when.
    ``anonymous`` hides a company's name from providers until it accepts one's answer."""

    __table_args__ = (
        CheckConstraint(
            "service IN (" + ", ".join(f"'{s}'" for s in PROVIDER_SERVICES) + ")",
            name="service_known",
        ),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in NEED_STATUSES) + ")",
            name="status_known",
        ),
        CheckConstraint(
            "(company_id IS NULL) != (platform_id IS NULL)", name="company_or_platform"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    detail: str = Field(default="", sa_type=Text)
    service: str = Field(max_length=40)
    sector_id: int = Field(foreign_key="sector.id", index=True, ondelete="CASCADE")
    company_id: int | None = Field(
        default=None, foreign_key="company.id", index=True, ondelete="CASCADE"
    )
    platform_id: int | None = Field(
        default=None, foreign_key="platform.id", index=True, ondelete="CASCADE"
    )
    needed_by: date | None = None
    anonymous: bool = Field(default=False)
    status: str = Field(default="open", max_length=20)
    posted_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = _timestamp()
    closed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class NeedAnswer(SQLModel, table=True):
    """A provider's answer to a need; the need's poster accepts or declines it."""

    __tablename__ = "need_answer"
    __table_args__ = (
        UniqueConstraint("need_id", "provider_id", name="uq_need_answer_provider"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in ANSWER_STATUSES) + ")",
            name="status_known",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    need_id: int = Field(foreign_key="need.id", index=True, ondelete="CASCADE")
    provider_id: int = Field(foreign_key="provider.id", index=True, ondelete="CASCADE")
    answered_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    message: str = Field(sa_type=Text)
    status: str = Field(default="sent", max_length=20)
    created_at: datetime = _timestamp()
    decided_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    decided_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


# What a history entry is about, for filtering: the platform's settings, its stage, one kind
# of record, a coordinator's review of a submission, or a reporting round opened, closed or
# published.
HISTORY_KINDS = (
    "platform",
    "stage",
    "gate criterion",
    "signatory",
    "pathway",
    "kpi",
    "company target",
    "demand signal",
    "policy ask",
    "action",
    "project",
    "review",
    "round",
)


class HistoryEntry(SQLModel, table=True):
    """Every stage change, edit and review decision of a platform: who, when, what; ``detail``
    holds an edit's old -> new values or a decision's reason."""

    __tablename__ = "history_entry"
    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = _timestamp()
    what: str = Field(max_length=500)
    kind: str = Field(default="platform", max_length=30, index=True)
    detail: str = Field(default="", sa_type=Text)

    user: Optional["User"] = Relationship()  # noqa: UP045


# --- notifications -------------------------------------------------------------------------

# The events a user may be told about by email; each is on until the user turns it off.
NOTIFICATION_EVENTS = (
    "round_opened",
    "deadline_reminder",
    "deadline_changed",
    "submission_received",
    "review_decision",
    "consultant_access",
    "need_posted",
    "need_answered",
    "answer_decided",
)


class NotificationOptOut(SQLModel, table=True):
    """An event a user chose not to be emailed about (no row: the user wants it)."""

    __tablename__ = "notification_opt_out"
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    event: str = Field(max_length=40, primary_key=True)


class OutboxMessage(SQLModel, table=True):
    """An email, stored in the transaction of the change it tells about and sent after the
    commit; it stays here until a mail server takes it (``roadmap send-mail`` retries)."""

    __tablename__ = "outbox_message"
    id: int | None = Field(default=None, primary_key=True)
    event: str = Field(max_length=40)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=Text)
    created_at: datetime = _timestamp()
    # A sender claims a message before sending it, so two senders never send it twice.
    claimed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True), index=True)
    attempts: int = Field(default=0)
    last_error: str = Field(default="", max_length=500)
