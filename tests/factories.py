"""factory-boy factories for every table; they flush through the test's session."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlmodel import Session

from roadmap import models
from roadmap.accounts import passwords

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


def _letters(n: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "ba": unit names take letters only."""
    text = ""
    while True:
        n, rest = divmod(n, 26)
        text = chr(ord("a") + rest) + text
        if not n:
            return text


class SectorUnitFactory(BaseFactory):
    class Meta:
        model = models.SectorUnit

    sector_id = factory.LazyFunction(lambda: SectorFactory().id)
    name = factory.Sequence(lambda n: f"Product_{_letters(n)}")
    dimension = factory.LazyAttribute(lambda unit: unit.name.lower())
    aliases = ""
    activity_unit = factory.LazyAttribute(lambda unit: f"t {unit.name}")


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


class ReportingRoundFactory(BaseFactory):
    class Meta:
        model = models.ReportingRound

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    name = factory.Sequence(lambda n: f"{2026 + n} disclosure")
    reported_up_to = 2025
    plan_to = 2050
    opens_on = date(2026, 3, 1)
    deadline = date(2026, 6, 30)


class RoundPublicationFactory(BaseFactory):
    class Meta:
        model = models.RoundPublication

    round_id = factory.LazyFunction(lambda: ReportingRoundFactory(status="published").id)
    company_id = factory.LazyFunction(lambda: CompanyFactory().id)
    submission_id = factory.LazyAttribute(
        lambda o: SubmissionFactory(company_id=o.company_id, status="accepted").id
    )


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


class UserFactory(BaseFactory):
    class Meta:
        model = models.User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"User {n}")
    role = "admin"
    # The hash of "correct horse battery", made once (hashing is slow on purpose).
    password_hash = factory.LazyFunction(lambda: _PASSWORD_HASH)


_PASSWORD_HASH = passwords.hash_password("correct horse battery")


class PlatformCoordinatorFactory(BaseFactory):
    class Meta:
        model = models.PlatformCoordinator

    user_id = factory.LazyFunction(lambda: UserFactory(role="coordinator").id)
    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)


class ConsultantGrantFactory(BaseFactory):
    class Meta:
        model = models.ConsultantGrant

    company_id = factory.LazyFunction(lambda: CompanyFactory().id)
    consultant_id = factory.LazyFunction(lambda: UserFactory(role="consultant").id)
    granted_by_id = factory.LazyFunction(lambda: UserFactory().id)


class ApiTokenFactory(BaseFactory):
    class Meta:
        model = models.ApiToken

    user_id = factory.LazyFunction(lambda: UserFactory().id)
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    prefix = "abcdefgh"
    name = "test"


class SignInFactory(BaseFactory):
    class Meta:
        model = models.SignIn

    user_id = factory.LazyFunction(lambda: UserFactory().id)
    token_hash = factory.Sequence(lambda n: f"{n:064x}")


class LoginAttemptFactory(BaseFactory):
    class Meta:
        model = models.LoginAttempt

    email = "someone@example.org"
    remote_addr = "127.0.0.1"


class PasswordResetFactory(BaseFactory):
    class Meta:
        model = models.PasswordReset

    user_id = factory.LazyFunction(lambda: UserFactory().id)
    token_hash = factory.Sequence(lambda n: f"{n + 10**6:064x}")
    created_by_id = factory.LazyFunction(lambda: UserFactory().id)
    expires_at = factory.LazyFunction(lambda: models.utcnow() + timedelta(days=2))


class PendingUploadFactory(BaseFactory):
    class Meta:
        model = models.PendingUpload

    user_id = factory.LazyFunction(lambda: UserFactory().id)
    company_id = factory.LazyFunction(lambda: CompanyFactory().id)
    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    filename = "upload.csv"
    checksum = "0" * 64
    content = b"company,sector\n"


class WhatIfDraftFactory(BaseFactory):
    class Meta:
        model = models.WhatIfDraft

    user_id = factory.LazyFunction(lambda: UserFactory().id)
    company_id = factory.LazyFunction(lambda: CompanyFactory().id)
    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    name = factory.Sequence(lambda n: f"Draft {n}")
    table_json = '{"rows": []}'


class SignatoryFactory(BaseFactory):
    class Meta:
        model = models.Signatory

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    organisation = factory.Sequence(lambda n: f"Organisation {n} (fictional)")
    kind = "company"
    joined_on = date(2024, 1, 15)


class RoadmapPathwayFactory(BaseFactory):
    class Meta:
        model = models.RoadmapPathway

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    scenario = "Platform roadmap"
    base_year = 2020
    target_year = 2050
    intensity_unit = "t CO2e/(t Steel)"
    published = True


class RoadmapMilestoneFactory(BaseFactory):
    class Meta:
        model = models.RoadmapMilestone

    pathway_id = factory.LazyFunction(lambda: RoadmapPathwayFactory().id)
    year = factory.Sequence(lambda n: 2020 + 5 * n)
    intensity = 1.0


class KpiFactory(BaseFactory):
    class Meta:
        model = models.Kpi

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    name = factory.Sequence(lambda n: f"KPI {n}")
    unit = "%"
    direction = "increase"


class KpiValueFactory(BaseFactory):
    class Meta:
        model = models.KpiValue

    kpi_id = factory.LazyFunction(lambda: KpiFactory().id)
    year = factory.Sequence(lambda n: 2025 + 5 * n)
    value = 10.0
    is_target = True


class CompanyTargetFactory(BaseFactory):
    class Meta:
        model = models.CompanyTarget

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    company_id = factory.LazyFunction(lambda: CompanyFactory().id)
    target_year = 2030
    kind = "intensity"
    value = 1.2
    scope = "S1S2"
    validation = "self-declared"


class DemandSignalFactory(BaseFactory):
    class Meta:
        model = models.DemandSignal

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    buyer = "Carmaker (fictional)"
    product = "near-zero steel"
    volume = 100000.0
    volume_unit = "t Steel"
    year = 2030


class PolicyAskFactory(BaseFactory):
    class Meta:
        model = models.PolicyAsk

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    rule = "Green public procurement for steel"
    jurisdiction = "EU"
    status = "proposed"


class ActionFactory(BaseFactory):
    class Meta:
        model = models.Action

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    kind = "R&D"
    title = "Hydrogen DRI pilot"
    owner = "Consortium (fictional)"
    status = "planned"
    milestone_year = 2030


class HistoryEntryFactory(BaseFactory):
    class Meta:
        model = models.HistoryEntry

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    what = "edited vision"


class NotificationOptOutFactory(BaseFactory):
    class Meta:
        model = models.NotificationOptOut

    user_id = factory.LazyFunction(lambda: UserFactory().id)
    event = "submission_received"


class OutboxMessageFactory(BaseFactory):
    class Meta:
        model = models.OutboxMessage

    event = "submission_received"
    recipient = factory.Sequence(lambda n: f"recipient{n}@example.org")
    subject = "Steel: Alpha submitted version 1"
    body = "Alpha submitted version 1 of its trajectory to Steel."


class ProjectFactory(BaseFactory):
    class Meta:
        model = models.Project

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    company_id = factory.LazyFunction(lambda: CompanyFactory().id)
    name = factory.Sequence(lambda n: f"Near-zero plant {n} (fictional)")
    country = "Sweden"
    technology = "hydrogen DRI-EAF"
    status = "announced"
    announced_on = date(2025, 3, 1)
    start_year = 2030
    capacity = 1.0
    capacity_unit = "Mt Steel"
    source_url = "https://example.org/plant"
    is_public = True


class PipelineWeightFactory(BaseFactory):
    class Meta:
        model = models.PipelineWeight

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    status = "announced"
    weight = 0.2


class ProjectPublicationFactory(BaseFactory):
    class Meta:
        model = models.ProjectPublication

    round_id = factory.LazyFunction(lambda: ReportingRoundFactory(status="published").id)
    project_id = factory.Sequence(lambda n: 1000 + n)
    company_id = factory.LazyFunction(lambda: CompanyFactory().id)
    technology = "hydrogen DRI-EAF"
    status = "final investment decision"
    start_year = 2029
    capacity = 1_500_000.0
    construction_year = None
    operating_year = None
    cancelled_year = None


class GateCriterionFactory(BaseFactory):
    class Meta:
        model = models.GateCriterion

    platform_id = factory.LazyFunction(lambda: PlatformFactory().id)
    stage = 1
    text = "A charter signed by the ministry"
    met = True
    evidence = "https://example.org/charter"


class ProviderFactory(BaseFactory):
    class Meta:
        model = models.Provider

    name = factory.Sequence(lambda n: f"Provider {n} (fictional)")
    kind = "consultancy"
    description = "Roadmaps for heavy industry."
    website = "https://example.org/provider"


class ProviderMemberFactory(BaseFactory):
    class Meta:
        model = models.ProviderMember

    provider_id = factory.LazyFunction(lambda: ProviderFactory().id)
    user_id = factory.LazyFunction(lambda: UserFactory(role="consultant").id)


class ProviderOfferFactory(BaseFactory):
    class Meta:
        model = models.ProviderOffer

    provider_id = factory.LazyFunction(lambda: ProviderFactory().id)
    service = "target setting"
    sector_id = None
    evidence_url = "https://example.org/evidence"


class ProviderChangeFactory(BaseFactory):
    class Meta:
        model = models.ProviderChange

    provider_id = factory.LazyFunction(lambda: ProviderFactory().id)
    what = "Edited the listing"
    detail = "website: https://example.org/old -> https://example.org/new"


class NeedFactory(BaseFactory):
    class Meta:
        model = models.Need

    title = factory.Sequence(lambda n: f"Need {n}")
    service = "target setting"
    sector_id = factory.LazyFunction(lambda: SectorFactory().id)
    company_id = factory.LazyFunction(lambda: CompanyFactory().id)
    platform_id = None


class NeedAnswerFactory(BaseFactory):
    class Meta:
        model = models.NeedAnswer

    need_id = factory.LazyFunction(lambda: NeedFactory().id)
    provider_id = factory.LazyFunction(lambda: ProviderFactory().id)
    message = "We can help from next month."
