"""Who sees what below the web layer: for each role, the platforms, companies and submissions
the feature queries return, and what the role may do (roadmap.accounts.access).

The world: sector Steel; platforms "Private A" (coordinated), "Private B" (nobody's) and
"Public"; companies X, Y and Z with one accepted submission each where the table below says.
Viewers are made by ``viewer_for`` from users stored in the database, as a request makes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from roadmap.accounts import access
from roadmap.accounts import operations as account_operations
from roadmap.accounts.access import Viewer
from roadmap.companies import queries as company_queries
from roadmap.models import Company, Platform, Submission, User
from roadmap.platforms import queries as platform_queries
from roadmap.submissions import queries as submission_queries
from tests import factories

# (company, platform) of each submission.
SUBMITTED = [("X", "Private A"), ("Y", "Private A"), ("Y", "Private B"), ("Z", "Public")]


def key(company: str, platform: str) -> str:
    return f"{company} on {platform}"


ALL_SUBMISSIONS = {key(c, p) for c, p in SUBMITTED}


@dataclass(frozen=True)
class Visible:
    platforms: set[str]
    companies: set[str]
    submissions: set[str]


NOTHING_BUT_PUBLIC = Visible({"Public"}, set(), set())

VISIBLE = {
    "admin": Visible({"Private A", "Private B", "Public"}, {"X", "Y", "Z"}, ALL_SUBMISSIONS),
    # Y also submits to B, which A's coordinator does not run: neither B nor Y's rows there.
    "coordinator of A": Visible(
        {"Private A", "Public"}, {"X", "Y"}, {key("X", "Private A"), key("Y", "Private A")}
    ),
    "member of X": Visible({"Private A", "Public"}, {"X"}, {key("X", "Private A")}),
    "member of Y": Visible(
        {"Private A", "Private B", "Public"},
        {"Y"},
        {key("Y", "Private A"), key("Y", "Private B")},
    ),
    "consultant granted X": Visible({"Private A", "Public"}, {"X"}, {key("X", "Private A")}),
    "consultant granted X, then revoked": NOTHING_BUT_PUBLIC,
    "inactive admin": NOTHING_BUT_PUBLIC,
    "anonymous": NOTHING_BUT_PUBLIC,
}


@dataclass
class Roles:
    platforms: dict[str, Platform]
    companies: dict[str, Company]
    submissions: dict[str, Submission]
    users: dict[str, User | None]


@pytest.fixture
def roles(session) -> Roles:  # type: ignore[no-untyped-def]
    sector = factories.SectorFactory(name="Steel")
    platforms = {
        "Private A": factories.PlatformFactory(
            name="Private A", slug="private-a", sector_id=sector.id
        ),
        "Private B": factories.PlatformFactory(
            name="Private B", slug="private-b", sector_id=sector.id
        ),
        "Public": factories.PlatformFactory(
            name="Public", slug="public", sector_id=sector.id, is_public=True
        ),
    }
    companies = {name: factories.CompanyFactory(name=name) for name in ("X", "Y", "Z")}
    submissions = {
        key(c, p): factories.SubmissionFactory(
            company_id=companies[c].id, platform_id=platforms[p].id, status="accepted"
        )
        for c, p in SUBMITTED
    }
    coordinator = factories.UserFactory(role="coordinator")
    factories.PlatformCoordinatorFactory(
        user_id=coordinator.id, platform_id=platforms["Private A"].id
    )
    member_x = factories.UserFactory(role="company", company_id=companies["X"].id)
    consultant = factories.UserFactory(role="consultant")
    account_operations.grant_consultant(
        companies["X"].id, consultant, granted_by=member_x, session=session
    )
    revoked = factories.UserFactory(role="consultant")
    grant = account_operations.grant_consultant(
        companies["X"].id, revoked, granted_by=member_x, session=session
    )
    account_operations.revoke_grant(grant, session=session)
    users: dict[str, User | None] = {
        "admin": factories.UserFactory(role="admin"),
        "coordinator of A": coordinator,
        "member of X": member_x,
        "member of Y": factories.UserFactory(role="company", company_id=companies["Y"].id),
        "consultant granted X": consultant,
        "consultant granted X, then revoked": revoked,
        "inactive admin": factories.UserFactory(role="admin", is_active=False),
        "anonymous": None,
    }
    session.commit()
    return Roles(platforms, companies, submissions, users)


def viewer(roles: Roles, role: str, session) -> Viewer:  # type: ignore[no-untyped-def]
    return access.viewer_for(roles.users[role], session=session)


@pytest.mark.parametrize("role", VISIBLE)
def test_each_role_lists_and_opens_only_the_platforms_it_may_see(session, roles, role):
    who = viewer(roles, role, session)
    expected = VISIBLE[role].platforms
    listed = platform_queries.platforms(session=session, viewer=who)
    assert [p.name for p in listed] == sorted(expected)
    opened = {
        name
        for name, p in roles.platforms.items()
        if platform_queries.platform(p.slug, session=session, viewer=who) is not None
    }
    assert opened == expected


@pytest.mark.parametrize("role", VISIBLE)
def test_each_role_lists_and_opens_only_the_companies_it_may_see(session, roles, role):
    who = viewer(roles, role, session)
    expected = VISIBLE[role].companies
    listed = company_queries.companies(session=session, viewer=who)
    assert [c.name for c in listed] == sorted(expected)
    opened = {
        name
        for name, c in roles.companies.items()
        if company_queries.company(c.id, session=session, viewer=who) is not None
    }
    assert opened == expected


@pytest.mark.parametrize("role", VISIBLE)
def test_each_role_lists_and_opens_only_the_submissions_it_may_read(session, roles, role):
    who = viewer(roles, role, session)
    expected = VISIBLE[role].submissions
    listed = submission_queries.submissions(session=session, viewer=who)
    assert {key(r.company.name, r.platform.name) for r in listed} == expected
    assert len(listed) == len(expected)
    opened = {
        name
        for name, s in roles.submissions.items()
        if submission_queries.submission(s.id, session=session, viewer=who) is not None
    }
    assert opened == expected


def test_a_member_never_reads_another_companys_submission_on_a_platform_both_use(session, roles):
    member = viewer(roles, "member of X", session)
    a, y = roles.platforms["Private A"], roles.companies["Y"]
    peer = roles.submissions[key("Y", "Private A")]
    assert platform_queries.platform(a.slug, session=session, viewer=member) is not None
    assert submission_queries.submission(peer.id, session=session, viewer=member) is None
    on_a = submission_queries.submissions(session=session, viewer=member, platform_id=a.id)
    assert [r.company.name for r in on_a] == ["X"]
    assert submission_queries.submissions(session=session, viewer=member, company_id=y.id) == []
    assert submission_queries.newest_submission(y.id, session=session, viewer=member) is None
    # The positive control: Y's own member reads it.
    y_member = viewer(roles, "member of Y", session)
    found = submission_queries.newest_submission(y.id, session=session, viewer=y_member)
    assert found is not None


def test_viewer_for_nobody_or_an_inactive_user_is_anonymous(session, roles):
    assert access.viewer_for(None, session=session) == access.ANONYMOUS
    assert viewer(roles, "inactive admin", session) == access.ANONYMOUS
    coordinator = roles.users["coordinator of A"]
    assert coordinator is not None
    coordinator.is_active = False
    session.add(coordinator)
    session.flush()
    assert viewer(roles, "coordinator of A", session) == access.ANONYMOUS


def test_viewer_for_reads_coordinated_platforms_and_only_unrevoked_grants(session, roles):
    consultant = roles.users["consultant granted X"]
    assert consultant is not None
    y_grant = account_operations.grant_consultant(
        roles.companies["Y"].id,
        consultant,
        granted_by=roles.users["member of Y"],
        session=session,
    )
    account_operations.revoke_grant(y_grant, session=session)
    a, x = roles.platforms["Private A"], roles.companies["X"]
    assert viewer(roles, "coordinator of A", session).coordinated == {a.id}
    assert viewer(roles, "consultant granted X", session).granted == {x.id}
    assert viewer(roles, "consultant granted X, then revoked", session).granted == frozenset()
    member = viewer(roles, "member of X", session)
    assert (member.role, member.company_id, member.coordinated, member.granted) == (
        "company",
        x.id,
        frozenset(),
        frozenset(),
    )


@pytest.mark.parametrize(
    ("role", "own"),
    [
        ("admin", set()),
        ("coordinator of A", set()),
        ("member of X", {"X"}),
        ("consultant granted X", {"X"}),
        ("consultant granted X, then revoked", set()),
        ("anonymous", set()),
    ],
)
def test_own_companies_are_a_members_company_or_a_consultants_grants(session, roles, role, own):
    ids = access.own_companies(viewer(roles, role, session))
    assert ids == {roles.companies[name].id for name in own}


# What each role may do, by name; each names a check and the row it is asked about.
ACTIONS: dict[str, Callable[[Viewer, Roles], bool]] = {
    "submit for X": lambda v, r: access.can_submit(v, r.companies["X"].id),
    "submit for Y": lambda v, r: access.can_submit(v, r.companies["Y"].id),
    "coordinate A": lambda v, r: access.can_coordinate(v, r.platforms["Private A"].id),
    "coordinate B": lambda v, r: access.can_coordinate(v, r.platforms["Private B"].id),
    "review on A": lambda v, r: access.can_review(v, r.platforms["Private A"].id),
    "review on B": lambda v, r: access.can_review(v, r.platforms["Private B"].id),
    "manage X's grants": lambda v, r: access.can_manage_grants(v, r.companies["X"].id),
    "manage Y's grants": lambda v, r: access.can_manage_grants(v, r.companies["Y"].id),
    "create a platform": lambda v, r: access.can_create_platform(v),
    "see every company of A": lambda v, r: access.sees_all_companies_of(
        v, r.platforms["Private A"].id
    ),
}

ALLOWED = {
    "admin": set(ACTIONS),
    "coordinator of A": {
        "coordinate A",
        "review on A",
        "create a platform",
        "see every company of A",
    },
    "member of X": {"submit for X", "manage X's grants"},
    "member of Y": {"submit for Y", "manage Y's grants"},
    # Read-only: a consultant submits nothing and grants nothing, even for X.
    "consultant granted X": set(),
    "consultant granted X, then revoked": set(),
    "inactive admin": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("role", ALLOWED)
def test_each_role_may_do_exactly_what_the_table_allows(session, roles, role):
    who = viewer(roles, role, session)
    assert {name for name, check in ACTIONS.items() if check(who, roles)} == ALLOWED[role]


@pytest.mark.parametrize(
    ("unseen", "hidden"),
    [
        (0, False),  # every company in it is one the viewer sees
        (1, True),  # one's own subtracted leave one peer's figures
        (2, True),
        (3, False),
        (9, False),
    ],
)
def test_the_small_group_rule(unseen, hidden):  # type: ignore[no-untyped-def]
    assert bool(access.small_group_hidden(unseen)) is hidden


def test_the_small_group_rule_is_vectorised():
    import pandas as pd

    unseen = pd.Series([0, 1, 2, 3, 4])
    assert access.small_group_hidden(unseen).tolist() == [False, True, True, False, False]
