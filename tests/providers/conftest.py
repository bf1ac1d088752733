"""A small market for the directory's tests: sectors Steel and Glass, companies Alpha and
Beta with a member each, a Steel platform and its coordinator, and three listings, each kept by
a consultant of its own:

- Northbridge: target setting in Steel, vision facilitation in every sector;
- Kilnworks: roadmap modelling in Glass;
- Capital Facility (a financier): financing blueprints in every sector.

A fourth consultant keeps nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from roadmap.accounts import operations as account_operations
from roadmap.accounts.access import Viewer, viewer_for
from roadmap.companies import operations as company_operations
from roadmap.models import Company, Platform, Provider, Sector, User
from roadmap.providers import operations
from tests.factories import PlatformFactory, SectorFactory

PASSWORD = "correct horse battery"


@dataclass
class Market:
    steel: Sector
    glass: Sector
    platform: Platform
    alpha: Company
    beta: Company
    alpha_member: User
    beta_member: User
    coordinator: User
    northbridge: Provider
    kilnworks: Provider
    capital: Provider
    north_keeper: User
    kiln_keeper: User
    capital_keeper: User
    outsider: User  # a consultant keeping no listing
    admin: User

    def viewer(self, user: User, session) -> Viewer:  # type: ignore[no-untyped-def]
        return viewer_for(user, session=session)


def _user(session, email: str, role: str, **extra) -> User:  # type: ignore[no-untyped-def]
    return account_operations.create_user(
        session=session, email=email, password=PASSWORD, role=role, **extra
    )


@pytest.fixture
def market(session) -> Market:  # type: ignore[no-untyped-def]
    steel = SectorFactory(name="Steel")
    glass = SectorFactory(name="Glass", intensity_unit="t CO2e/(t Glass)")
    platform = PlatformFactory(slug="steel", name="Steel platform", sector_id=steel.id)
    alpha = company_operations.get_or_create_company("Alpha", session=session)
    beta = company_operations.get_or_create_company("Beta", session=session)
    keepers = {
        name: _user(session, f"{name}@example.org", "consultant")
        for name in ("north", "kiln", "capital", "outsider")
    }

    def listing(name: str, kind: str, keeper: User, offers) -> Provider:  # type: ignore[no-untyped-def]
        provider = operations.create_provider(
            operations.ProviderSpec(name, kind, f"{name} helps.", "https://example.org"),
            user=keeper,
            session=session,
        )
        for service, sector in offers:
            operations.add_offer(provider, service, sector, by=keeper, session=session)
        return provider

    market = Market(
        steel=steel,
        glass=glass,
        platform=platform,
        alpha=alpha,
        beta=beta,
        alpha_member=_user(session, "member@alpha.example", "company", company_id=alpha.id),
        beta_member=_user(session, "member@beta.example", "company", company_id=beta.id),
        coordinator=_user(session, "coord@example.org", "coordinator", platform_ids=[platform.id]),
        northbridge=listing(
            "Northbridge",
            "consultancy",
            keepers["north"],
            [("target setting", steel.id), ("vision facilitation", None)],
        ),
        kilnworks=listing(
            "Kilnworks", "consultancy", keepers["kiln"], [("roadmap modelling", glass.id)]
        ),
        capital=listing(
            "Capital Facility", "financier", keepers["capital"], [("financing blueprints", None)]
        ),
        north_keeper=keepers["north"],
        kiln_keeper=keepers["kiln"],
        capital_keeper=keepers["capital"],
        outsider=keepers["outsider"],
        admin=_user(session, "admin@example.org", "admin"),
    )
    session.commit()
    return market
