"""factory-boy factories for every table; they flush through the test's session."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlmodel import Session

from roadmap import models

_FACTORIES: list[type[SQLAlchemyModelFactory]] = []


def bind(session: Session | None) -> None:
    """Point every factory at ``session`` (None unbinds after the test)."""
    for factory_class in _FACTORIES:
        factory_class._meta.sqlalchemy_session = session


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session = None
        sqlalchemy_session_persistence = "flush"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        _FACTORIES.append(cls)


class SectorFactory(BaseFactory):
    class Meta:
        model = models.Sector

    name = factory.Sequence(lambda n: f"Sector {n}")
    intensity_unit = "t CO2e/(t Steel)"


class ScenarioFactory(BaseFactory):
    class Meta:
        model = models.Scenario

    name = factory.Sequence(lambda n: f"Scenario {n}")
    source = "Test figures"
    licence = "CC0-1.0"


class PathwayFactory(BaseFactory):
    class Meta:
        model = models.Pathway

    scenario_id = factory.LazyFunction(lambda: ScenarioFactory().id)
    sector_id = factory.LazyFunction(lambda: SectorFactory().id)
    region = "Global"
    scope = "S1S2"
    intensity_unit = "t CO2e/(t Steel)"


class PathwayPointFactory(BaseFactory):
    class Meta:
        model = models.PathwayPoint

    pathway_id = factory.LazyFunction(lambda: PathwayFactory().id)
    year = factory.Sequence(lambda n: 2020 + n)
    intensity = 1.0


class PlatformFactory(BaseFactory):
    class Meta:
        model = models.Platform

    slug = factory.Sequence(lambda n: f"platform-{n}")
    name = factory.Sequence(lambda n: f"Platform {n}")
    sector_id = factory.LazyFunction(lambda: SectorFactory().id)
    stage = 1


class CompanyFactory(BaseFactory):
    class Meta:
        model = models.Company

    name = factory.Sequence(lambda n: f"Company {n} (fictional)")


class SubmissionFactory(BaseFactory):
    class Meta:
        model = models.Submission

    company_id = factory.LazyFunction(lambda: CompanyFactory().id)
    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    version = 1
    region = "Global"
    scope = "S1S2"
    source = "form"
    checksum = "0" * 64


class TrajectoryPointFactory(BaseFactory):
    class Meta:
        model = models.TrajectoryPoint

    submission_id = factory.LazyFunction(lambda: SubmissionFactory().id)
    year = factory.Sequence(lambda n: 2020 + n)
    kind = "reported"
    activity = 100.0
    activity_unit = "t Steel"
    emissions = 180.0
    emissions_unit = "t CO2e"
