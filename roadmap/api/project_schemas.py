"""The bodies of /api/v1/platforms/<slug>/projects: a project as sent and as answered (the
import file's fields; roadmap.domain.projects checks them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from roadmap.domain.pipeline import STATUSES

Status = Literal[STATUSES]  # type: ignore[valid-type]


class ProjectFields(BaseModel):
    name: str
    country: str = ""
    technology: str = Field(description="the technology route, e.g. hydrogen DRI-EAF")
    status: Status
    announced_on: date | None = None
    feasibility_on: date | None = None
    fid_on: date | None = None
    construction_on: date | None = None
    operating_on: date | None = None
    cancelled_on: date | None = None
    start_year: int = Field(description="the year it is expected to start operating")
    capacity: float = Field(description="per year, in capacity_unit")
    capacity_unit: str = Field(description="converts into the sector's activity unit")
    expected_intensity: float | None = None
    intensity_unit: str = ""
    source_url: str = ""
    public: bool = False


class ProjectRequest(ProjectFields):
    """A new project of a company the caller may write (coordinators: any company of the
    platform; members: their own)."""

    model_config = ConfigDict(extra="forbid")
    company: str = Field(description="the company's name")


class Project(ProjectFields):
    id: int
    company: str
    updated_at: datetime


class ProjectList(RootModel[list[Project]]):
    """The platform's projects the caller may see in detail."""
