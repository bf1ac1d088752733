"""Request and response bodies of /api/v1 as pydantic models: the views validate requests and
build answers with them, and the OpenAPI document (openapi.py) is generated from them, so the
document cannot drift from what the API accepts and sends.

Rows of the data contract are made from the column lists in roadmap/domain/columns.py: a
column added there shows up in the answers' models and in the document without an edit here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    RootModel,
    WithJsonSchema,
    create_model,
)
from pydantic_core import PydanticCustomError

from roadmap.domain import columns as col
from roadmap.models import ASSURANCE_LEVELS, ApiToken

Assurance = Literal[ASSURANCE_LEVELS]  # type: ignore[valid-type]

# --- rows of the data contract --------------------------------------------------------------

_TEXT_COLUMNS = {
    col.COMPANY,
    col.SECTOR,
    col.SCENARIO,
    col.REGION,
    col.SCOPE,
    col.BENCHMARK_ALIGNMENT,
    col.SOURCE,
    col.LICENCE,
    col.RELEASE_DATE,
}
_OTHER_COLUMNS: dict[str, Any] = {
    col.YEAR: int,
    col.COMPANIES: int,
    col.NEXT_MILESTONE: int | None,  # none past the last milestone
    col.KIND: Literal[col.KINDS],
    col.STATUS: Literal[col.ALIGNED, col.BEHIND],
    col.LEVEL: Literal[col.LEVEL_COMPANY, col.LEVEL_SECTOR],
    col.BASE_YEAR: int,
    col.END_YEAR: int,
}


def _column_type(column: str) -> Any:
    """The type of a data-contract column in an answer: text, an integer or a choice where
    named above, otherwise a number, nullable because the engine leaves NaN where a figure is
    undefined (no activity, a target of zero), which the API sends as null."""
    if column in _OTHER_COLUMNS:
        return _OTHER_COLUMNS[column]
    if column in _TEXT_COLUMNS or column.endswith("_unit"):
        return str
    return float | None


def output_row(name: str, columns: list[str], doc: str) -> type[BaseModel]:
    """A model of one row of engine output with ``columns``, each required, in that order."""
    fields: Any = {column: (_column_type(column), ...) for column in columns}
    return create_model(name, __doc__=doc, **fields)


ResultRow = output_row(
    "ResultRow", col.RESULT_COLUMNS, "One company and year of the reconciliation output."
)
AggregateRow = output_row(
    "AggregateRow", col.AGGREGATE_COLUMNS, "One year of the platform's totals."
)
TemperatureRow = output_row(
    "TemperatureRow",
    col.TEMPERATURE_COLUMNS,
    "Implied temperature rise of a company (level company) or of the platform's sector (level "
    "sector, company empty): cumulative emissions and SDA budget in t CO2e, degC.",
)
StoredPoint = output_row("StoredPoint", col.TRAJECTORY_POINT, "One year of a stored submission.")


def _cell(value: Any) -> Any:
    # Only the shape is checked here: whether a cell is a valid year, kind or number is the
    # data contract's to say (roadmap/submissions/rules.py), by row and column.
    if value is None or (isinstance(value, str | int | float) and not isinstance(value, bool)):
        return value
    raise PydanticCustomError("cell", "must be a string, a number or null")


Cell = Annotated[Any, PlainValidator(_cell), WithJsonSchema({"type": ["string", "number", "null"]})]


class _FreeRow(BaseModel):
    """Named columns and any others, every value a cell; unknown columns are the data
    contract's to report."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Cell] = Field(init=False)


_trajectory_fields: Any = {column: (Cell, None) for column in col.TRAJECTORY_COLUMNS}
TrajectoryRow = create_model(
    "TrajectoryRow",
    __base__=_FreeRow,
    __doc__="One year, as in the trajectory data contract. company, sector, region and scope "
    "default to the submission's own.",
    **_trajectory_fields,
)


# --- errors ---------------------------------------------------------------------------------


# The keys of roadmap.domain.errors.Problem.as_dict (a test holds them together).
class ErrorItem(BaseModel):
    """One problem. row: the record of JSON rows (from 1) or the line of a CSV body
    (header = 1); null where the problem is not in one row. column: the data-contract column,
    or the request field as a path (rows[0].year); null for the request as a whole."""

    row: int | None
    column: str | None
    message: str


class ErrorResponse(BaseModel):
    """Every error answer; errors only where there is something to point at."""

    message: str
    errors: list[ErrorItem] = []


# --- tokens ---------------------------------------------------------------------------------


# As long as the database column: a longer name would be a 500 on PostgreSQL.
_TOKEN_NAME_LENGTH: int = ApiToken.__table__.c.name.type.length  # type: ignore[attr-defined]


class TokenRequest(BaseModel):
    email: str
    password: str
    name: str | None = Field(None, max_length=_TOKEN_NAME_LENGTH)


class TokenCreated(BaseModel):
    token: str = Field(description="the secret; shown once, never stored")


class Token(BaseModel):
    """One of the caller's tokens; never its secret."""

    id: int
    name: str
    prefix: str = Field(description="the secret's first characters, to tell tokens apart")
    created_at: str = Field(description="ISO 8601")
    last_used_at: str | None = Field(description="ISO 8601")
    revoked: bool


class TokenList(RootModel[list[Token]]):
    """The caller's tokens, newest first."""


# --- platforms and reconciliation -----------------------------------------------------------


class Platform(BaseModel):
    slug: str
    name: str
    sector: str
    region: str
    scope: str
    stage: int = Field(ge=1, le=4)
    net_zero_year: int | None
    vision: str
    public: bool


class PlatformList(RootModel[list[Platform]]):
    """Platforms the caller may see."""


class ReconciliationQuery(BaseModel):
    scenario: str = Field("", description="scenario name; default TPI 1.5 Degrees")


class ReconciliationResponse(BaseModel):
    """Rows of the companies the caller may see, and the platform's totals where the caller
    may see them."""

    platform: str
    scenario: str
    rows: list[ResultRow]  # type: ignore[valid-type]
    aggregate: list[AggregateRow]  # type: ignore[valid-type]
    temperature: list[TemperatureRow]  # type: ignore[valid-type]
    warnings: list[str]
    # What was done with units (CO2 read as CO2e where the platform states it); for everyone.
    notes: list[str] = []


# --- sectors --------------------------------------------------------------------------------


class Sector(BaseModel):
    """A sector and its units. A built-in sector's product unit is defined in code (its
    activity unit is given by its scenarios); one made in the browser or the API has a unit of
    its own dimension, which never converts into another sector's."""

    id: int
    name: str
    intensity_unit: str
    built_in: bool
    product_unit: str | None = Field(description="e.g. Glass; null for a built-in sector")
    dimension: str | None = Field(description="e.g. glass; null for a built-in sector")
    aliases: list[str] = Field(description="other names of the product unit")
    activity_unit: str | None = Field(description="e.g. t Glass; null for a built-in sector")
    scenarios: int = Field(description="stored scenarios with a pathway for the sector")


class SectorList(RootModel[list[Sector]]):
    """Every sector, by name."""


class SectorRequest(BaseModel):
    """A new sector. Blank units take the usual ones: activity in tonnes of the product
    ("t Glass"), intensity in tonnes of CO2e per activity unit ("t CO2e/(t Glass)")."""

    name: str = Field(max_length=100)
    product_unit: str = Field(max_length=40, description="the unit's name, e.g. Glass")
    aliases: list[str] = Field([], max_length=10)
    activity_unit: str = Field("", max_length=100)
    intensity_unit: str = Field("", max_length=100)


# --- submissions ----------------------------------------------------------------------------


class SubmissionRequest(BaseModel):
    """A trajectory as JSON."""

    platform: str = Field(description="the platform's slug")
    assurance: Assurance = "self-reported"
    rows: list[TrajectoryRow]  # type: ignore[valid-type]


class SubmissionQuery(BaseModel):
    """Query parameters of a CSV body (a JSON body carries them itself)."""

    platform: str = Field("", description="the platform's slug (CSV body)")
    assurance: Assurance = "self-reported"


class SubmissionCreated(BaseModel):
    id: int
    version: int
    status: str


class PlatformGapRow(BaseModel):
    """One milestone year of the platform's gap (t CO2e above its companies' fair shares) as
    the caller may see it, and with the tried rows in place of the company's counted ones."""

    year: int
    gap_emissions: float | None
    gap_with_what_if: float | None


class WhatIfResponse(BaseModel):
    """The reconciliation of rows that were not stored, beside the platform's gap."""

    platform: str
    scenario: str
    submitted_version: int | None = Field(
        description="the company's newest version on the platform the caller may read"
    )
    rows: list[ResultRow]  # type: ignore[valid-type]
    implied_temperature: float | None = Field(description="degC; null where there is no score")
    platform_gap: list[PlatformGapRow]
    warnings: list[str]


class CompanyRef(BaseModel):
    id: int
    name: str


class SubmissionDetail(BaseModel):
    id: int
    company: CompanyRef
    platform: str = Field(description="the platform's slug")
    version: int
    region: str
    scope: str
    source: str
    filename: str
    checksum: str = Field(description="SHA-256 of the submitted file or rows, hex")
    assurance: Assurance
    status: str
    review_reason: str
    submitted_at: str = Field(description="ISO 8601")
    submitted_by: str = Field(description="the submitter's email, or the source")
    rows: list[StoredPoint]  # type: ignore[valid-type]


# --- companies, rounds and review -----------------------------------------------------------


class CompanyList(RootModel[list[CompanyRef]]):
    """The companies the caller may see by name, by name."""


class PageQuery(BaseModel):
    page: int = Field(1, ge=1, le=1_000_000, description="1 for the first page")
    per_page: int = Field(20, ge=1, le=100, description="at most 100")


class RoundRef(BaseModel):
    id: int
    name: str
    status: str = Field(description="open, closed or published")


class SubmissionSummary(BaseModel):
    """A submission without its rows."""

    id: int
    company: CompanyRef
    platform: str = Field(description="the platform's slug")
    version: int
    round: RoundRef | None = Field(description="the reporting round it answers")
    status: str = Field(description="pending, accepted, changes_requested or rejected")
    review_reason: str
    assurance: Assurance
    submitted_at: str = Field(description="ISO 8601")
    submitted_by: str = Field(description="the submitter's email, or the source")


class SubmissionPage(BaseModel):
    items: list[SubmissionSummary]
    page: int
    per_page: int
    total: int = Field(description="submissions in all")


class CheckItem(BaseModel):
    """A plausibility check raised by a version (roadmap.domain.review)."""

    year: int
    check: str = Field(description="jump, restated base year or restated reported year")
    column: str
    message: str


CHECK_FIELDS = list(CheckItem.model_fields)


class WaitingItem(SubmissionSummary):
    checks: list[CheckItem]


class WaitingPage(BaseModel):
    """Submissions waiting for the caller's review, oldest first."""

    items: list[WaitingItem]
    page: int
    per_page: int
    total: int


class ReviewRequest(BaseModel):
    decision: Literal["accept", "request_changes", "reject"]
    message: str = Field("", max_length=2000, description="required to request changes or reject")
