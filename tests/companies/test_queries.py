"""Reads of companies, scoped to the viewer (roadmap.companies.queries). Which companies each
role sees is tabled in tests/accounts/test_access.py; here, the other reads."""

from __future__ import annotations

import pytest

from roadmap.accounts.access import ANONYMOUS, Viewer
from roadmap.companies import operations as company_operations
from roadmap.companies import queries as company_queries
from tests import factories

ADMIN = Viewer(user_id=1, role="admin")


@pytest.fixture
def companies(session):  # type: ignore[no-untyped-def]
    """Zeta, Alpha and Mu, made in that order."""
    return {name: factories.CompanyFactory(name=name) for name in ("Zeta", "Alpha", "Mu")}


def test_companies_are_listed_by_name(session, companies):
    listed = company_queries.companies(session=session, viewer=ADMIN)
    assert [c.name for c in listed] == ["Alpha", "Mu", "Zeta"]


def test_companies_named_returns_only_those_the_viewer_may_see_by_name(session, companies):
    names = ["Zeta", "Alpha", "Nobody"]
    found = company_queries.companies_named(names, session=session, viewer=ADMIN)
    assert [c.name for c in found] == ["Alpha", "Zeta"]
    member = Viewer(user_id=2, role="company", company_id=companies["Zeta"].id)
    found = company_queries.companies_named(names, session=session, viewer=member)
    assert [c.name for c in found] == ["Zeta"]
    assert company_queries.companies_named(names, session=session, viewer=ANONYMOUS) == []
    assert company_queries.companies_named([], session=session, viewer=ADMIN) == []


def test_company_named_is_unscoped_and_folds_case_and_blanks(session, companies):
    assert company_queries.company_named("Mu", session=session) is companies["Mu"]
    assert company_queries.company_named(" MU ", session=session) is companies["Mu"]
    assert company_queries.company_named("Mux", session=session) is None
    assert company_queries.company_named("Nobody", session=session) is None


def test_company_names_of_ids(session, companies):
    ids = frozenset({companies["Alpha"].id, companies["Mu"].id})
    assert company_queries.company_names(ids, session=session) == {"Alpha", "Mu"}
    assert company_queries.company_names(frozenset(), session=session) == set()


def test_company_platforms_are_visible_platforms_with_an_accepted_submission(session, companies):
    alpha = companies["Alpha"]
    sector = factories.SectorFactory()
    made = {
        name: factories.PlatformFactory(name=name, sector_id=sector.id, is_public=public)
        for name, public in [("Cement", True), ("Steel", False), ("Glass", True), ("Paper", True)]
    }
    # Accepted on Steel (private) and Glass (public); only pending on Cement; on Paper an
    # accepted version was followed by a rejected one, which still leaves it accepted there.
    for platform, version, status in [
        ("Steel", 1, "accepted"),
        ("Glass", 1, "accepted"),
        ("Cement", 1, "pending"),
        ("Paper", 1, "accepted"),
        ("Paper", 2, "rejected"),
    ]:
        factories.SubmissionFactory(
            company_id=alpha.id, platform_id=made[platform].id, version=version, status=status
        )
    factories.SubmissionFactory(
        company_id=companies["Mu"].id, platform_id=made["Cement"].id, status="accepted"
    )

    def names(viewer: Viewer) -> list[str]:
        found = company_queries.company_platforms(alpha.id, session=session, viewer=viewer)
        return [p.name for p in found]

    assert names(ADMIN) == ["Glass", "Paper", "Steel"]
    assert names(ANONYMOUS) == ["Glass", "Paper"]
    member = Viewer(user_id=2, role="company", company_id=alpha.id)
    assert names(member) == ["Glass", "Paper", "Steel"]


def test_company_identity_folds_case_and_blanks(session) -> None:  # type: ignore[no-untyped-def]
    made = company_operations.get_or_create_company("Northwind  Steel ", session=session)
    assert (made.name, made.key) == ("Northwind Steel", "northwind steel")
    again = company_operations.get_or_create_company("NORTHWIND STEEL", session=session)
    assert again.id == made.id
    assert company_queries.company_named(" northwind   steel", session=session).id == made.id
