"""Who may open and do what in the browser: an authorization matrix over every page route and
role, and the account protections (session cookie, sign-in throttle, reset links, CSRF, no open
redirect).

The world is built in an application context of its own and committed; requests then run
outside it, so each request gets its own ``g`` (signed-in user, viewer, database session) as it
does in production. (The ``session`` fixture keeps one application context pushed for the whole
test, which every request would then share.)
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlmodel import select
from werkzeug.test import TestResponse

from roadmap import create_app
from roadmap.accounts import operations as account_operations
from roadmap.db import get_engine, get_session
from roadmap.models import (
    ApiToken,
    ConsultantGrant,
    LoginAttempt,
    PendingUpload,
    Submission,
    User,
    utcnow,
)
from roadmap.sectors import operations as sector_operations
from roadmap.submissions import operations as submission_operations
from roadmap.submissions import round_queries
from roadmap.whatif import operations as whatif_operations
from tests import factories
from tests.domain import helpers

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"
STEEL_UNIT = "t CO2e/(t Steel)"

HEADER = helpers.TRAJECTORY_HEADER
ALPHA_V1 = f"""{HEADER}
Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported
Alpha,Steel,Global,S1S2,2025,100,t Steel,205,t CO2e,planned
Alpha,Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned
Alpha,Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned
"""
ALPHA_V2 = ALPHA_V1.replace("2030,100,t Steel,150", "2030,100,t Steel,140")
BETA_V1 = f"""{HEADER}
Beta,Steel,Global,S1S2,2020,300,t Steel,450,t CO2e,reported
Beta,Steel,Global,S1S2,2050,300,t Steel,0,t CO2e,planned
"""
ACCEPTED = ALPHA_V1 + BETA_V1.split("\n", 1)[1]  # what the "steel" reconciliation uses
# A what-if table as the sandbox keeps it: Alpha's v1 with 2030 at 120 t.
WHAT_IF_TABLE = {
    "region": "",
    "scope": "",
    "activity_unit": "t Steel",
    "emissions_unit": "t CO2e",
    "intensity_unit": "",
    "rows": [
        {"year": str(year), "kind": kind, "activity": "100", "emissions": str(emissions)}
        for year, kind, emissions in [
            (2020, "reported", 250),
            (2025, "planned", 205),
            (2030, "planned", 120),
            (2050, "planned", 50),
        ]
    ],
}

# role -> email; "member" is Alpha's, "peer" Beta's; "stranger" is a consultant nobody granted.
EMAILS = {
    "admin": "admin@example.com",
    "coordinator": "coordinator@example.com",
    "member": "member@alpha.example",
    "peer": "member@beta.example",
    "consultant": "consultant@example.com",
    "stranger": "stranger@example.com",
}


@dataclass
class World:
    """Ids (and one-time secrets) of everything the tests refer to."""

    steel: int = 0  # public platform
    private_steel: int = 0  # not public; only Beta submits to it
    alpha: int = 0
    beta: int = 0
    alpha_v1: int = 0  # accepted, on steel
    alpha_v2: int = 0  # pending, on steel
    beta_v1: int = 0  # accepted, on steel
    beta_private: int = 0  # accepted, on private-steel
    grant: int = 0  # Alpha -> consultant, made by Alpha's member
    pending_upload: int = 0  # an upload of Alpha's member awaiting acceptance
    signatory: int = 0  # of steel
    kpi: int = 0  # of steel
    initial: int = 0  # steel's published Initial round, holding the accepted submissions
    draft: int = 0  # a what-if draft of Alpha's member
    provider: int = 0  # a listing the consultant keeps: target setting, in every sector
    offer: int = 0  # that offer
    need: int = 0  # Alpha's need for target setting in Steel, answered by that listing
    answer: int = 0
    private_need: int = 0  # the private platform's need for target setting in Steel
    reset: str = ""  # a reset link secret for the stranger, made by the admin
    users: dict[str, int] = field(default_factory=dict)  # role -> user id
    tokens: dict[str, int] = field(default_factory=dict)  # role -> API token id
    secrets: dict[str, str] = field(default_factory=dict)  # role -> API token secret


def build_world(app: Flask) -> World:
    """Sector Steel with the helpers' pathways, platforms "steel" (public) and "private-steel",
    companies Alpha and Beta with accepted submissions, and one user of each role; committed."""
    world = World()
    with app.app_context():
        session = get_session()
        factories.bind(session)
        try:
            sector = sector_operations.get_or_create_sector("Steel", STEEL_UNIT, session=session)
            sector_operations.import_pathways(helpers.pathways(), session=session)
            steel = factories.PlatformFactory(
                slug="steel", name="Steel platform", sector_id=sector.id, is_public=True
            )
            private = factories.PlatformFactory(
                slug="private-steel", name="Private steel platform", sector_id=sector.id
            )
            alpha_v1, beta_v1 = submission_operations.create_submissions(
                helpers.trajectories(ACCEPTED),
                platform=steel,
                source="seed",
                status="accepted",
                session=session,
            )
            (alpha_v2,) = submission_operations.create_submissions(
                helpers.trajectories(ALPHA_V2), platform=steel, source="seed", session=session
            )
            (beta_private,) = submission_operations.create_submissions(
                helpers.trajectories(BETA_V1),
                platform=private,
                source="seed",
                status="accepted",
                session=session,
            )
            users = {
                "admin": account_operations.create_user(
                    session=session, email=EMAILS["admin"], password=PASSWORD, role="admin"
                ),
                "coordinator": account_operations.create_user(
                    session=session,
                    email=EMAILS["coordinator"],
                    password=PASSWORD,
                    role="coordinator",
                    platform_ids=[steel.id],
                ),
                "member": account_operations.create_user(
                    session=session,
                    email=EMAILS["member"],
                    password=PASSWORD,
                    role="company",
                    company_id=alpha_v1.company_id,
                ),
                "peer": account_operations.create_user(
                    session=session,
                    email=EMAILS["peer"],
                    password=PASSWORD,
                    role="company",
                    company_id=beta_v1.company_id,
                ),
                "consultant": account_operations.create_user(
                    session=session,
                    email=EMAILS["consultant"],
                    password=PASSWORD,
                    role="consultant",
                ),
                "stranger": account_operations.create_user(
                    session=session, email=EMAILS["stranger"], password=PASSWORD, role="consultant"
                ),
            }
            grant = account_operations.grant_consultant(
                alpha_v1.company_id,
                users["consultant"],
                granted_by=users["member"],
                session=session,
            )
            content = ALPHA_V2.encode()
            pending = PendingUpload(
                user_id=users["member"].id,
                company_id=alpha_v1.company_id,
                platform_id=steel.id,
                filename="alpha.csv",
                checksum=submission_operations.file_checksum(content),
                content=content,
            )
            session.add(pending)
            draft = whatif_operations.save_draft(
                WHAT_IF_TABLE,
                name="Faster",
                company=alpha_v1.company,
                platform=steel,
                owner=users["member"],
                session=session,
            )
            signatory = factories.SignatoryFactory(platform_id=steel.id)
            kpi = factories.KpiFactory(platform_id=steel.id)
            provider = factories.ProviderFactory(name="Northbridge Advisory (fictional)")
            factories.ProviderMemberFactory(provider_id=provider.id, user_id=users["consultant"].id)
            offer = factories.ProviderOfferFactory(
                provider_id=provider.id, service="target setting"
            )
            need = factories.NeedFactory(
                sector_id=sector.id, company_id=alpha_v1.company_id, posted_by_id=users["member"].id
            )
            answer = factories.NeedAnswerFactory(
                need_id=need.id, provider_id=provider.id, answered_by_id=users["consultant"].id
            )
            private_need = factories.NeedFactory(
                sector_id=sector.id, company_id=None, platform_id=private.id
            )
            world.reset = account_operations.create_password_reset(
                users["stranger"], created_by=users["admin"], session=session
            )
            for role, user in users.items():
                token, secret = account_operations.create_api_token(
                    user, f"{role} token", session=session
                )
                world.tokens[role], world.secrets[role] = token.id, secret
            session.commit()
            world.steel, world.private_steel = steel.id, private.id
            world.alpha, world.beta = alpha_v1.company_id, beta_v1.company_id
            world.alpha_v1, world.alpha_v2 = alpha_v1.id, alpha_v2.id
            world.beta_v1, world.beta_private = beta_v1.id, beta_private.id
            world.grant, world.pending_upload = grant.id, pending.id
            world.signatory, world.kpi = signatory.id, kpi.id
            world.draft = draft.id
            world.provider, world.need, world.answer = provider.id, need.id, answer.id
            world.offer = offer.id
            world.private_need = private_need.id
            initial = round_queries.round_named(steel.id, "Initial", session=session)
            assert initial is not None
            world.initial = initial.id
            world.users = {role: user.id for role, user in users.items()}
        finally:
            factories.bind(None)
    return world


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


# Integers a URL may carry beyond what the database's integer column holds: 2**31 overflows
# PostgreSQL's INTEGER, 2**63 SQLite's (and PostgreSQL's BIGINT).
BIG_IDS = [2**31, 2**63]


def count(app: Flask, model: type, *where: Any) -> int:
    """Rows of ``model`` in the database now (in a short application context of its own)."""
    with app.app_context():
        return get_session().exec(select(func.count()).select_from(model).where(*where)).one()


# --- browsing helpers -----------------------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(page: TestResponse) -> str:
    """The CSRF token of the first form on ``page``."""
    found = _CSRF.search(page.get_data(as_text=True))
    assert found, "the page has no csrf_token input"
    return found.group(1)


def sign_in(
    client: FlaskClient, email: str, password: str = PASSWORD, **extra: str
) -> TestResponse:
    token = csrf_token(client.get("/auth/login"))
    return client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token, **extra}
    )


def signed_in_client(app: Flask, role: str) -> FlaskClient:
    """A client of ``role`` ("anonymous": nobody signed in)."""
    client = app.test_client()
    if role != "anonymous":
        response = sign_in(client, EMAILS[role])
        assert response.status_code == 302, f"{role} could not sign in"
    return client


def form_token(client: FlaskClient) -> str:
    """A valid CSRF token of the client's session, from a page with a form."""
    signed_in = client.get("/account/tokens")
    page = signed_in if signed_in.status_code == 200 else client.get("/auth/login")
    return csrf_token(page)


def path_of(response: TestResponse) -> str:
    return urlsplit(response.headers.get("Location", "")).path


# --- the authorization matrix ---------------------------------------------------------------

ROLES = ("admin", "coordinator", "member", "consultant", "stranger", "anonymous")


class To(NamedTuple):
    """A redirect (302) to a path starting with ``path``."""

    path: str


LOGIN = To("/auth/login")  # login_required sends anonymous visitors to sign in
HOME, SUB, CO = To("/"), To("/submissions/"), To("/companies/")
TOK, USERS = To("/account/tokens"), To("/admin/users")
MAIL = To("/account/notifications")
WHATIF = To("/companies/")  # back to the company's sandbox
PUB, PRIV = To("/platforms/steel"), To("/platforms/private-steel")
SECT = To("/sectors/")
PROVD, NEED = To("/providers/"), To("/needs/")


class Row(NamedTuple):
    role: str
    method: str
    url: str  # a template: {alpha}, {beta_v1}, {own_token}, ... (see placeholders())
    expected: int | To
    data: str | None = None  # key into form_data()


def route(method: str, url: str, *expected: int | To, data: str | None = None) -> list[Row]:
    """One route's rows: ``expected`` holds one answer per role, in the order of ROLES."""
    assert len(expected) == len(ROLES), f"{method} {url}: one answer per role"
    return [
        Row(role, method, url, answer, data) for role, answer in zip(ROLES, expected, strict=True)
    ]


# Each role's rows run in this order against one world of its own: reads first, then rows that
# change something, then signing out.
# fmt: off
MATRIX: list[Row] = [
    # membr: Alpha's member; cnslt: a consultant Alpha granted; strgr: one nobody granted
    # method       url                                        admin coord membr cnslt strgr anon
    *route("GET",  "/",                                       200,  200,  200,  200,  200,  200),
    *route("GET",  "/auth/login",                             200,  200,  200,  200,  200,  200),
    *route("GET",  "/auth/reset/{reset}",                     200,  200,  200,  200,  200,  200),
    *route("GET",  "/auth/reset/not-a-reset-link",            404,  404,  404,  404,  404,  404),
    *route("GET",  "/companies/",                             200,  200,  200,  200,  200,  LOGIN),
    *route("GET",  "/companies/{alpha}",                      200,  200,  200,  200,  404,  LOGIN),
    *route("GET",  "/companies/{beta}",                       200,  200,  404,  404,  404,  LOGIN),
    *route("GET",  "/companies/999999",                       404,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/companies/{alpha}/submissions/new",      200,  403,  200,  403,  404,  LOGIN),
    *route("GET",  "/companies/{beta}/submissions/new",       200,  403,  404,  404,  404,  LOGIN),
    *route("GET",  "/companies/{alpha}/submissions/upload",   200,  403,  200,  403,  404,  LOGIN),
    *route("GET",  "/companies/{beta}/submissions/upload",    200,  403,  404,  404,  404,  LOGIN),
    *route("GET",  "/companies/{alpha}/submissions/template.csv",
                                                              200,  403,  200,  403,  404,  LOGIN),
    *route("GET",  "/companies/{beta}/submissions/template.xlsx",
                                                              200,  403,  404,  404,  404,  LOGIN),
    *route("GET",  "/companies/{alpha}/submissions/template.json",
                                                              404,  403,  404,  403,  404,  LOGIN),
    *route("GET",  "/submissions/{alpha_v1}",                 200,  200,  200,  200,  404,  LOGIN),
    *route("GET",  "/submissions/{alpha_v2}",                 200,  200,  200,  200,  404,  LOGIN),
    *route("GET",  "/submissions/{beta_v1}",                  200,  200,  404,  404,  404,  LOGIN),
    *route("GET",  "/submissions/{beta_private}",             200,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/submissions/999999",                     404,  404,  404,  404,  404,  LOGIN),
    # two versions of one company; two companies; one company on two platforms
    *route("GET",  "/submissions/{alpha_v1}/compare/{alpha_v2}",
                                                              200,  200,  200,  200,  404,  LOGIN),
    *route("GET",  "/submissions/{alpha_v1}/compare/{beta_v1}",
                                                              404,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/submissions/{beta_v1}/compare/{beta_private}",
                                                              404,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/admin/users",                            200,  404,  404,  404,  404,  LOGIN),
    # platforms: steel is public and coordinated by the coordinator; private-steel is neither
    *route("GET",  "/assets/plotly.min.js",                   200,  200,  200,  200,  200,  200),
    *route("GET",  "/favicon.ico",                            200,  200,  200,  200,  200,  200),
    *route("GET",  "/healthz",                                200,  200,  200,  200,  200,  200),
    *route("GET",  "/platforms/",                             200,  200,  200,  200,  200,  200),
    *route("GET",  "/platforms/steel",                        200,  200,  200,  200,  200,  200),
    *route("GET",  "/platforms/private-steel",                200,  404,  404,  404,  404,  404),
    *route("GET",  "/platforms/new",                          200,  200,  403,  403,  403,  LOGIN),
    *route("GET",  "/sectors/",                               200,  200,  200,  200,  200,  200),
    *route("GET",  "/sectors/999999",                         404,  404,  404,  404,  404,  404),
    # a coordinator only with an admin's leave (tests/sectors/test_views.py)
    *route("GET",  "/sectors/new",                            200,  403,  403,  403,  403,  LOGIN),
    *route("GET",  "/platforms/steel/edit",                   200,  200,  403,  403,  403,  LOGIN),
    *route("GET",  "/platforms/private-steel/edit",           200,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/platforms/steel/pathways/new",           200,  200,  403,  403,  403,  LOGIN),
    *route("GET",  "/platforms/private-steel/pathways/new",   200,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/platforms/steel/pathways/999999",        404,  404,  403,  403,  403,  LOGIN),
    *route("GET",  "/account/tokens",                         200,  200,  200,  200,  200,  LOGIN),
    # editing records in place and the history: the platform's coordinators (and admins)
    *route("GET",  "/platforms/steel/records/signatories/{signatory}/edit",
                                                              200,  200,  403,  403,  403,  LOGIN),
    *route("GET",  "/platforms/private-steel/records/signatories/{signatory}/edit",
                                                              404,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/platforms/steel/kpis/{kpi}/edit",        200,  200,  403,  403,  403,  LOGIN),
    *route("GET",  "/platforms/steel/kpis/999999/edit",       404,  404,  403,  403,  403,  LOGIN),
    *route("GET",  "/platforms/steel/history",                200,  200,  403,  403,  403,  LOGIN),
    *route("GET",  "/platforms/private-steel/history",        200,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/platforms/steel/history.csv",            200,  200,  403,  403,  403,  LOGIN),
    *route("GET",  "/platforms/private-steel/history.csv",    200,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/account/notifications",                  200,  200,  200,  200,  200,  LOGIN),
    # copying another platform's definitions: the platform's coordinators
    *route("GET",  "/platforms/steel/copy",                   200,  200,  403,  403,  403,  LOGIN),
    *route("GET",  "/platforms/private-steel/copy",           200,  404,  404,  404,  404,  LOGIN),
    # near-zero projects: seen by whoever sees the platform; written by its coordinators and
    # the members of its companies (consultants read)
    *route("GET",  "/platforms/steel/projects",               200,  200,  200,  200,  200,  200),
    *route("GET",  "/platforms/private-steel/projects",       200,  404,  404,  404,  404,  404),
    *route("GET",  "/platforms/steel/projects/export.csv",    200,  200,  200,  200,  200,  200),
    *route("GET",  "/platforms/steel/projects/template.csv",  200,  200,  200,  403,  403,  LOGIN),
    *route("GET",  "/platforms/steel/projects/new",           200,  200,  200,  403,  403,  LOGIN),
    *route("GET",  "/platforms/private-steel/projects/new",   200,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/platforms/steel/projects/999999/edit",   404,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/platforms/steel/projects/import",        200,  200,  200,  403,  403,  LOGIN),
    # the platforms side by side: anyone, each the platforms they may see
    *route("GET",  "/overview",                               200,  200,  200,  200,  200,  200),
    *route("GET",  "/overview.csv",                           200,  200,  200,  200,  200,  200),
    *route("GET",  "/overview.xlsx",                          200,  200,  200,  200,  200,  200),
    *route("GET",  "/overview.pdf",                           404,  404,  404,  404,  404,  404),
    # the pipeline page: whoever sees the platform (totals as the viewer may count them)
    *route("GET",  "/platforms/steel/pipeline",               200,  200,  200,  200,  200,  200),
    *route("GET",  "/platforms/private-steel/pipeline",       200,  404,  404,  404,  404,  404),
    *route("GET",  "/platforms/steel/pipeline/demand-supply.csv",
                                                              200,  200,  200,  200,  200,  200),
    *route("GET",  "/platforms/steel/pipeline/no-such-table.csv",
                                                              404,  404,  404,  404,  404,  404),
    *route("GET",  "/platforms/private-steel/pipeline/capacity-by-year.xlsx",
                                                              200,  404,  404,  404,  404,  404),
    # dashboards: anyone who sees a platform sees its dashboard (named or anonymised); its
    # company tables exist for those who may see a company on it
    *route("GET",  "/platforms/steel/dashboard",              200,  200,  200,  200,  200,  200),
    *route("GET",  "/platforms/private-steel/dashboard",      200,  404,  404,  404,  404,  404),
    *route("GET",  "/platforms/steel/dashboard/trajectories.csv",
                                                              200,  200,  200,  200,  200,  200),
    *route("GET",  "/platforms/steel/dashboard/results.xlsx", 200,  200,  200,  200,  404,  404),
    *route("GET",  "/platforms/private-steel/dashboard/results.csv",
                                                              200,  404,  404,  404,  404,  404),
    *route("GET",  "/platforms/steel/dashboard/no-such-chart.csv",
                                                              404,  404,  404,  404,  404,  404),
    # the problems that keep a dashboard from being drawn: none here (it is drawn); who gets
    # them where it is not: tests/reconciliation/test_many_problems.py
    *route("GET",  "/platforms/steel/dashboard-problems.csv", 404,  404,  404,  404,  404,  404),
    *route("GET",  "/platforms/private-steel/dashboard-problems.csv",
                                                              404,  404,  404,  404,  404,  404),
    *route("GET",  "/companies/{alpha}/dashboard/milestones.csv",
                                                              200,  200,  200,  200,  404,  LOGIN),
    *route("GET",  "/companies/{beta}/dashboard/milestones.csv",
                                                              200,  200,  404,  404,  404,  LOGIN),
    *route("GET",  "/companies/{alpha}/report",               200,  200,  200,  200,  404,  LOGIN),
    *route("GET",  "/companies/{beta}/report",                200,  200,  404,  404,  404,  LOGIN),
    # what-if plans: the company's members and granted consultants (and admins), not its
    # coordinators; a draft is its owner's only
    *route("GET",  "/companies/{alpha}/what-if",              200,  403,  200,  200,  404,  LOGIN),
    *route("GET",  "/companies/{beta}/what-if",               200,  403,  404,  404,  404,  LOGIN),
    *route("GET",  "/what-if/drafts/{draft}",                 404,  404,  200,  404,  404,  LOGIN),
    *route("GET",  "/what-if/drafts/999999",                  404,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/what-if/drafts/{draft}/compare/{alpha_v1}",
                                                              404,  404,  200,  404,  404,  LOGIN),
    *route("GET",  "/what-if/drafts/{draft}/compare/{beta_v1}",
                                                              404,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/benchmark/",                             200,  200,  200,  200,  200,  LOGIN),
    *route("GET",  "/benchmark/benchmark.csv",                200,  200,  200,  200,  200,  LOGIN),
    *route("GET",  "/benchmark/report",                       200,  200,  200,  200,  200,  LOGIN),
    # rounds: public where the platform is; the inbox and review pages for reviewers
    *route("GET",  "/platforms/steel/rounds",                 200,  200,  200,  200,  200,  200),
    *route("GET",  "/platforms/private-steel/rounds",         200,  404,  404,  404,  404,  404),
    *route("GET",  "/review",                                 200,  200,  403,  403,  403,  LOGIN),
    *route("GET",  "/submissions/{alpha_v2}/review",          200,  200,  403,  403,  404,  LOGIN),
    *route("GET",  "/submissions/{beta_private}/review",      200,  404,  404,  404,  404,  LOGIN),
    # a published round's edit page says it is final (409) to those who run the platform
    *route("GET",  "/platforms/steel/rounds/{initial}/edit",  409,  409,  403,  403,  403,  LOGIN),
    *route("GET",  "/platforms/private-steel/rounds/{initial}/edit",
                                                              404,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/platforms/steel/rounds/999999/edit",     404,  404,  403,  403,  403,  LOGIN),
    # --- rows that change something (anonymous signs in with a wrong password) ---
    *route("POST", "/auth/login",                             HOME, HOME, HOME, HOME, HOME, 200,
           data="own_login"),
    *route("POST", "/account/tokens",                         200,  200,  200,  200,  200,  LOGIN,
           data="token"),
    *route("POST", "/account/tokens/{other_token}/revoke",    404,  404,  404,  404,  404,  LOGIN),
    # an irreversible action asks first (200, the confirmation page), then acts when confirmed
    *route("POST", "/account/tokens/{own_token}/revoke",      200,  200,  200,  200,  200,  LOGIN),
    *route("POST", "/account/tokens/{own_token}/revoke",      TOK,  TOK,  TOK,  TOK,  TOK,  LOGIN,
           data="confirmed"),
    *route("POST", "/account/notifications",                  MAIL, MAIL, MAIL, MAIL, MAIL, LOGIN),
    *route("POST", "/admin/users",                            USERS,404,  404,  404,  404,  LOGIN,
           data="new_user"),
    *route("POST", "/admin/users/{stranger_id}/reset",        200,  404,  404,  404,  404,  LOGIN),
    *route("POST", "/admin/users/999999/reset",               404,  404,  404,  404,  404,  LOGIN),
    *route("POST", "/admin/users/{stranger_id}/sectors",      USERS,404,  404,  404,  404,  LOGIN,
           data="leave"),
    *route("POST", "/sectors/new",                            SECT, 403,  403,  403,  403,  LOGIN,
           data="new_sector"),
    *route("POST", "/companies/{alpha}/submissions/new",      SUB,  403,  SUB,  403,  404,  LOGIN,
           data="form_rows"),
    *route("POST", "/companies/{beta}/submissions/new",       SUB,  403,  404,  404,  404,  LOGIN,
           data="form_rows"),
    *route("POST", "/companies/{alpha}/submissions/upload",   200,  403,  200,  403,  404,  LOGIN,
           data="upload"),
    # the member's own upload awaiting acceptance: nobody else's to accept
    *route("POST", "/uploads/{pending_upload}/accept",        404,  404,  SUB,  404,  404,  LOGIN,
           data="accept"),
    *route("POST", "/submissions/{alpha_v2}/review",          SUB,  SUB,  403,  403,  404,  LOGIN,
           data="accept_review"),
    # beta_private and beta_v1 were accepted when stored: a decision is final (409)
    *route("POST", "/submissions/{beta_private}/review",      409,  404,  404,  404,  404,  LOGIN,
           data="accept_review"),
    *route("POST", "/submissions/{beta_v1}/review",           409,  409,  404,  404,  404,  LOGIN,
           data="accept_review"),
    # the directory: open to everyone; a listing's keepers (the consultant) and admins edit it
    *route("GET",  "/providers/",                             200,  200,  200,  200,  200,  200),
    *route("GET",  "/providers/{provider}",                   200,  200,  200,  200,  200,  200),
    *route("GET",  "/providers/999999",                       404,  404,  404,  404,  404,  404),
    *route("GET",  "/providers/new",                          200,  403,  403,  200,  200,  LOGIN),
    *route("GET",  "/providers/{provider}/edit",              200,  403,  403,  200,  403,  LOGIN),
    *route("GET",  "/providers/999999/edit",                  404,  404,  404,  404,  404,  LOGIN),
    *route("GET",  "/providers/{provider}/history",           200,  403,  403,  200,  403,  LOGIN),
    *route("GET",  "/providers/999999/history",               404,  404,  404,  404,  404,  LOGIN),
    # needs: the poster's side, and keepers of a matching listing (the consultant)
    *route("GET",  "/needs/",                                 200,  200,  200,  200,  200,  LOGIN),
    *route("GET",  "/needs/new",                              200,  200,  200,  403,  403,  LOGIN),
    *route("GET",  "/needs/{need}",                           200,  404,  200,  200,  404,  LOGIN),
    *route("GET",  "/needs/{private_need}",                   200,  404,  404,  200,  404,  LOGIN),
    *route("GET",  "/needs/999999",                           404,  404,  404,  404,  404,  LOGIN),
    *route("POST", "/providers/new",                          422,  403,  403,  422,  422,  LOGIN),
    # no field sent: the listing's stored values stand (a save that changes nothing)
    *route("POST", "/providers/{provider}/edit",              PROVD,403,  403,  PROVD,403,  LOGIN),
    *route("POST", "/providers/{provider}/offers",            422,  403,  403,  422,  403,  LOGIN),
    *route("POST", "/providers/{provider}/offers/999999/remove",
                                                              404,  403,  403,  404,  403,  LOGIN),
    *route("POST", "/providers/{provider}/keepers",           422,  403,  403,  422,  403,  LOGIN),
    *route("POST", "/providers/{provider}/keepers/999999/remove",
                                                              PROVD,403,  403,  PROVD,403,  LOGIN),
    *route("POST", "/providers/{provider}/delete",            200,  403,  403,  200,  403,  LOGIN),
    *route("POST", "/needs/new",                              422,  422,  422,  403,  403,  LOGIN),
    # the consultant's listing answered already: sent back to the need
    *route("POST", "/needs/{need}/answers",                   403,  404,  403,  NEED, 404,  LOGIN),
    *route("POST", "/needs/{need}/answers/{answer}/decide",   NEED, 404,  NEED, 403,  404,  LOGIN),
    *route("POST", "/needs/{private_need}/answers/{answer}/decide",
                                                              404,  404,  404,  403,  404,  LOGIN),
    *route("POST", "/needs/{need}/status",                    NEED, 404,  NEED, 403,  404,  LOGIN),
    # rounds, with an empty form: 422 where allowed; the Initial round is already published
    *route("POST", "/platforms/steel/rounds",                 422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/private-steel/rounds",         422,  404,  404,  404,  404,  LOGIN),
    *route("POST", "/platforms/steel/rounds/{initial}/close", 409,  409,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/rounds/{initial}/publish",
                                                              409,  409,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/private-steel/rounds/{initial}/publish",
                                                              404,  404,  404,  404,  404,  LOGIN),
    *route("POST", "/platforms/steel/rounds/999999/close",    404,  404,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/rounds/{initial}/edit",  409,  409,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/rounds/{initial}/reopen",
                                                              409,  409,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/private-steel/rounds/{initial}/reopen",
                                                              404,  404,  404,  404,  404,  LOGIN),
    *route("POST", "/platforms/steel/rounds/999999/reopen",   404,  404,  403,  403,  403,  LOGIN),
    *route("POST", "/companies/{alpha}/grants",               CO,   403,  CO,   403,  404,  LOGIN,
           data="grant_stranger"),
    *route("POST", "/companies/{beta}/grants",                CO,   403,  404,  404,  404,  LOGIN,
           data="grant_stranger"),
    *route("POST", "/companies/{alpha}/grants/{grant}/revoke",
                                                              200,  403,  200,  403,  404,  LOGIN),
    *route("POST", "/companies/{alpha}/grants/{grant}/revoke",
                                                              CO,   403,  CO,   403,  404,  LOGIN,
           data="confirmed"),
    # platforms, with an empty form: 422 where allowed, so the status is about authorisation
    *route("POST", "/platforms/new",                          422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/edit",                   422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/private-steel/edit",           422,  404,  404,  404,  404,  LOGIN),
    *route("POST", "/platforms/steel/records/signatories",    422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/private-steel/records/signatories",
                                                              422,  404,  404,  404,  404,  LOGIN),
    *route("POST", "/platforms/steel/records/no-such-kind",   404,  404,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/records/signatories/999999/delete",
                                                              404,  404,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/actions/999999/status",  404,  404,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/kpis",                   422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/records/signatories/{signatory}/edit",
                                                              422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/records/targets/{signatory}/edit",
                                                              404,  404,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/kpis/{kpi}/edit",        422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/kpis/actuals",           422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/pathways/new",           422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/pathways/999999",        404,  404,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/pathways/import",        422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/private-steel/pathways/import",
                                                              422,  404,  404,  404,  404,  LOGIN),
    # advancing: the gate checklist is not met, so back to the platform's page
    *route("POST", "/platforms/steel/advance",                PUB,  PUB,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/private-steel/advance",        PRIV, 404,  404,  404,  404,  LOGIN),
    *route("POST", "/platforms/steel/copy",                   422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/private-steel/copy",           422,  404,  404,  404,  404,  LOGIN),
    *route("POST", "/platforms/steel/projects/new",           422,  422,  422,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/projects/999999/edit",   404,  404,  404,  404,  404,  LOGIN),
    *route("POST", "/platforms/steel/projects/999999/delete", 404,  404,  404,  404,  404,  LOGIN),
    *route("POST", "/platforms/steel/projects/import",        422,  422,  422,  403,  403,  LOGIN),
    *route("POST", "/platforms/steel/projects/import/confirm",
                                                              400,  400,  400,  403,  403,  LOGIN),
    # the pipeline's settings: the platform's coordinators (nothing sent: refused, 422)
    *route("POST", "/platforms/steel/pipeline/settings",      422,  422,  403,  403,  403,  LOGIN),
    *route("POST", "/platforms/private-steel/pipeline/settings",
                                                              422,  404,  404,  404,  404,  LOGIN),
    # Alpha's grant under Beta's address: no such grant (the coordinator sees Beta, cannot act)
    *route("POST", "/companies/{beta}/grants/{grant}/revoke", 404,  403,  404,  404,  404,  LOGIN,
           data="confirmed"),
    *route("POST", "/companies/{alpha}/what-if",              200,  403,  200,  200,  404,  LOGIN,
           data="what_if"),
    *route("POST", "/companies/{beta}/what-if",               200,  403,  404,  404,  404,  LOGIN,
           data="what_if"),
    *route("POST", "/companies/{alpha}/what-if/upload",       200,  403,  200,  200,  404,  LOGIN,
           data="upload"),
    *route("POST", "/what-if/drafts/{draft}/submit",          404,  404,  SUB,  404,  404,  LOGIN,
           data="submit_draft"),
    *route("POST", "/what-if/drafts/{draft}/delete",          404,  404,  200,  404,  404,  LOGIN),
    *route("POST", "/what-if/drafts/{draft}/delete",          404,  404,  WHATIF,404, 404,  LOGIN,
           data="confirmed"),
    *route("POST", "/auth/reset/{reset}",                     LOGIN,LOGIN,LOGIN,LOGIN,LOGIN,LOGIN,
           data="new_password"),
    *route("POST", "/auth/reset/not-a-reset-link",            404,  404,  404,  404,  404,  404,
           data="new_password"),
    *route("POST", "/auth/logout",                            HOME, HOME, HOME, HOME, HOME, LOGIN),
]
# fmt: on


def placeholders(world: World, role: str) -> dict[str, object]:
    own = world.tokens["admin" if role == "anonymous" else role]
    other = world.tokens["coordinator" if role == "admin" else "admin"]
    return {
        "alpha": world.alpha,
        "beta": world.beta,
        "alpha_v1": world.alpha_v1,
        "alpha_v2": world.alpha_v2,
        "beta_v1": world.beta_v1,
        "beta_private": world.beta_private,
        "grant": world.grant,
        "pending_upload": world.pending_upload,
        "signatory": world.signatory,
        "kpi": world.kpi,
        "initial": world.initial,
        "draft": world.draft,
        "provider": world.provider,
        "need": world.need,
        "answer": world.answer,
        "private_need": world.private_need,
        "reset": world.reset,
        "stranger_id": world.users["stranger"],
        "own_token": own,
        "other_token": other,
    }


def form_data(key: str | None, world: World, role: str) -> dict[str, Any]:
    if key is None:
        return {}
    email = EMAILS.get(role, EMAILS["stranger"])
    rows = {
        f"rows-{i}-{name}": value
        for i, (year, kind, emissions) in enumerate(
            [(2020, "reported", 250), (2030, "planned", 120), (2050, "planned", 40)]
        )
        for name, value in (
            ("year", year),
            ("kind", kind),
            ("activity", 100),
            ("emissions", emissions),
        )
    }
    return {
        "own_login": {
            "email": email,
            "password": PASSWORD if role != "anonymous" else "not the password",
        },
        "token": {"name": "matrix"},
        "leave": {"allow": "y"},
        "new_sector": {"name": "Glass", "unit": "Glass"},
        "new_user": {
            "email": "new.user@example.com",
            "name": "New User",
            "role": "consultant",
            "company": "0",
            "password": NEW_PASSWORD,
        },
        "form_rows": {
            "platform": world.steel,
            "assurance": "self-reported",
            "activity_unit": "t Steel",
            "emissions_unit": "t CO2e",
            "submit": "Submit this trajectory",
            **rows,
        },
        "upload": {
            "platform": world.steel,
            "assurance": "self-reported",
            "file": (io.BytesIO(ALPHA_V2.encode()), "alpha.csv"),
        },
        "accept": {
            "checksum": submission_operations.file_checksum(ALPHA_V2.encode()),
            "assurance": "self-reported",
        },
        "accept_review": {"decision": "accept", "reason": ""},
        "what_if": {
            "platform": world.steel,
            "activity_unit": "t Steel",
            "emissions_unit": "t CO2e",
            "recompute": "Reconcile this plan",
            **rows,
        },
        "submit_draft": {"assurance": "self-reported"},
        "confirmed": {"confirmed": "yes"},
        "grant_stranger": {"email": EMAILS["stranger"]},
        "new_password": {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    }[key]


def request_row(client: FlaskClient, row: Row, world: World, token: str) -> TestResponse:
    """The row's request; the response is read and closed (a file sent is not left open)."""
    url = row.url.format(**placeholders(world, row.role))
    if row.method == "GET":
        response = client.get(url)
    else:
        data = {**form_data(row.data, world, row.role), "csrf_token": token}
        response = client.post(url, data=data)
    response.get_data()
    response.close()
    return response


def outcome(response: TestResponse) -> int | str:
    """The response in the matrix's terms: a status, or a redirect's target."""
    if response.status_code == 302:
        return f"302 -> {response.headers.get('Location')}"
    return response.status_code


def matches(response: TestResponse, expected: int | To) -> bool:
    if isinstance(expected, To):
        return response.status_code == 302 and path_of(response).startswith(expected.path)
    return response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(app: Flask, world: World, role: str) -> None:
    """Every row of ``role``, in order, with a valid CSRF token on every POST (so the status
    reflects authorisation, not CSRF)."""
    client = signed_in_client(app, role)
    token = form_token(client)
    mismatches = []
    for row in MATRIX:
        if row.role != role:
            continue
        response = request_row(client, row, world, token)
        if not matches(response, row.expected):
            mismatches.append(
                f"{row.method} {row.url}: expected {row.expected}, got {outcome(response)}"
            )
    assert mismatches == []


def test_matrix_covers_every_page_route(app: Flask) -> None:
    """A new page route (or method) without a row in MATRIX fails here."""
    adapter = app.url_map.bind("localhost")
    dummy = World(users={"stranger": 1}, tokens=dict.fromkeys(EMAILS, 1), reset="x")
    covered = set()
    for row in MATRIX:
        url = row.url.format(**placeholders(dummy, row.role))
        rule, _ = adapter.match(url, method=row.method, return_rule=True)
        covered.add((rule.rule, row.method))
    routes = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and not rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()  # (route() gives each row an answer for every role)


# --- what each role sees --------------------------------------------------------------------


def test_member_pages_never_name_the_peer(app: Flask, world: World) -> None:
    """Every page Alpha's member can open (and the pages its forms answer with) holds neither
    Beta's name nor its member's email."""
    client = signed_in_client(app, "member")
    token = form_token(client)
    opened = []
    for row in MATRIX:
        if row.role != "member" or row.expected != 200:
            continue
        response = request_row(client, row, world, token)
        assert response.status_code == 200, row.url
        if response.mimetype != "text/html":
            continue  # plotly.js
        assert "beta" not in response.get_data(as_text=True).lower(), row.url
        opened.append(row.url)
    assert len(opened) >= 12
    # The positive control: a coordinator's pages do name Beta.
    coordinator = signed_in_client(app, "coordinator")
    assert "Beta" in coordinator.get(f"/companies/{world.beta}").get_data(as_text=True)


def test_company_list_shows_only_what_each_role_may_see(app: Flask, world: World) -> None:
    seen = {}
    for role in ("admin", "coordinator", "member", "consultant", "stranger"):
        page = signed_in_client(app, role).get("/companies/").get_data(as_text=True)
        seen[role] = re.findall(r'<a href="/companies/\d+">([^<]+)</a>', page)
    assert seen == {
        "admin": ["Alpha", "Beta"],
        "coordinator": ["Alpha", "Beta"],
        "member": ["Alpha"],
        "consultant": ["Alpha"],
        "stranger": [],
    }


def test_revoked_grant_closes_the_consultants_access(app: Flask, world: World) -> None:
    consultant = signed_in_client(app, "consultant")
    assert consultant.get(f"/companies/{world.alpha}").status_code == 200
    member = signed_in_client(app, "member")
    page = member.get(f"/companies/{world.alpha}")
    assert EMAILS["consultant"] in page.get_data(as_text=True)  # the member sees the grant
    revoked = member.post(
        f"/companies/{world.alpha}/grants/{world.grant}/revoke",
        data={"csrf_token": csrf_token(page), "confirmed": "yes"},
    )
    assert revoked.status_code == 302
    for url in (f"/companies/{world.alpha}", f"/submissions/{world.alpha_v1}"):
        assert consultant.get(url).status_code == 404
    again = member.post(
        f"/companies/{world.alpha}/grants/{world.grant}/revoke",
        data={"csrf_token": csrf_token(page), "confirmed": "yes"},
    )
    assert again.status_code == 404  # already revoked


def test_granting_a_consultant_opens_read_access(app: Flask, world: World) -> None:
    stranger = signed_in_client(app, "stranger")
    assert stranger.get(f"/submissions/{world.alpha_v1}").status_code == 404
    member = signed_in_client(app, "member")
    granted = member.post(
        f"/companies/{world.alpha}/grants",
        data={"email": EMAILS["stranger"], "csrf_token": form_token(member)},
    )
    assert granted.status_code == 302
    assert stranger.get(f"/submissions/{world.alpha_v1}").status_code == 200
    assert stranger.get(f"/submissions/{world.beta_v1}").status_code == 404
    # read-only: still no submitting for Alpha
    assert stranger.get(f"/companies/{world.alpha}/submissions/new").status_code == 403


def test_only_a_consultant_can_be_granted(app: Flask, world: World) -> None:
    member = signed_in_client(app, "member")
    before = count(app, ConsultantGrant)
    for email in (EMAILS["peer"], EMAILS["admin"], "nobody@example.com"):
        response = member.post(
            f"/companies/{world.alpha}/grants",
            data={"email": email, "csrf_token": form_token(member)},
            follow_redirects=True,
        )
        assert "No consultant has an account with that email." in response.get_data(as_text=True)
    assert count(app, ConsultantGrant) == before


# --- session cookie, throttle, reset links, CSRF, redirects ---------------------------------


def session_cookie(response: TestResponse) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    return cookies[0]


def test_session_cookie_is_httponly_and_samesite(app: Flask, world: World) -> None:
    client = app.test_client()
    signed_in = sign_in(client, EMAILS["member"])
    assert signed_in.status_code == 302
    cookie = session_cookie(signed_in)
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    assert "httponly" in attributes
    assert attributes["samesite"].strip() == "SameSite=Lax"
    assert not any(c.startswith("remember_token=") for c in signed_in.headers.getlist("Set-Cookie"))


def test_sixth_sign_in_after_five_failures_is_refused(app: Flask, world: World) -> None:
    client = app.test_client()
    for _ in range(5):
        failed = sign_in(client, EMAILS["member"], "not the password")
        assert failed.status_code == 200
        assert "Email or password is not right." in failed.get_data(as_text=True)
    refused = sign_in(client, EMAILS["member"])  # the right password, too late
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    assert path_of(client.get("/companies/")) == "/auth/login"  # not signed in
    # The throttle is per email: another person at the same address still signs in.
    assert sign_in(app.test_client(), EMAILS["peer"]).status_code == 302


def test_four_failures_or_old_ones_do_not_throttle(app: Flask, world: World) -> None:
    with app.app_context():
        session = get_session()
        long_ago = utcnow() - timedelta(minutes=16)
        for _ in range(5):
            session.add(LoginAttempt(email=EMAILS["member"], attempted_at=long_ago))
        session.commit()
    client = app.test_client()
    for _ in range(4):
        assert sign_in(client, EMAILS["member"], "not the password").status_code == 200
    assert sign_in(client, EMAILS["member"]).status_code == 302
    assert client.get("/companies/").status_code == 200


def test_admin_reset_link_sets_a_new_password_once(app: Flask, world: World) -> None:
    admin = signed_in_client(app, "admin")
    made = admin.post(
        f"/admin/users/{world.users['member']}/reset", data={"csrf_token": form_token(admin)}
    )
    assert made.status_code == 200
    found = re.search(r"http://localhost(/auth/reset/[A-Za-z0-9_-]+)", made.get_data(as_text=True))
    assert found, "no reset link on the page"
    link = found.group(1)

    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 200
    too_short = visitor.post(
        link, data={"password": "short", "confirm": "short", "csrf_token": csrf_token(page)}
    )
    assert too_short.status_code == 200  # re-rendered with the problem; the link still works
    assert "At least 10 characters." in too_short.get_data(as_text=True)
    done = visitor.post(
        link,
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(page)},
    )
    assert (done.status_code, path_of(done)) == (302, "/auth/login")
    assert visitor.get(link).status_code == 404  # used

    assert sign_in(app.test_client(), EMAILS["member"], PASSWORD).status_code == 200  # refused
    assert sign_in(app.test_client(), EMAILS["member"], NEW_PASSWORD).status_code == 302


def test_reset_needs_matching_passwords(app: Flask, world: World) -> None:
    client = app.test_client()
    page = client.get(f"/auth/reset/{world.reset}")
    response = client.post(
        f"/auth/reset/{world.reset}",
        data={
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD + "!",
            "csrf_token": csrf_token(page),
        },
    )
    assert response.status_code == 200
    assert "The two passwords differ." in response.get_data(as_text=True)
    assert sign_in(app.test_client(), EMAILS["stranger"]).status_code == 302  # unchanged


@pytest.mark.parametrize(
    "role, url, data, model",
    [
        ("member", "/account/tokens", {"name": "no token"}, ApiToken),
        (
            "admin",
            "/admin/users",
            {"email": "x@example.com", "role": "admin", "company": "0", "password": NEW_PASSWORD},
            User,
        ),
        ("member", "/companies/{alpha}/grants", {"email": EMAILS["stranger"]}, ConsultantGrant),
        ("coordinator", "/submissions/{alpha_v2}/review", {"decision": "accept"}, Submission),
        (
            "anonymous",
            "/auth/login",
            {"email": EMAILS["member"], "password": PASSWORD},
            LoginAttempt,
        ),
    ],
)
def test_post_without_a_valid_csrf_token_is_400_and_changes_nothing(
    app: Flask, world: World, role: str, url: str, data: dict[str, str], model: type
) -> None:
    client = signed_in_client(app, role)
    own = form_token(client)  # the session has a token of its own
    url = url.format(alpha=world.alpha, alpha_v2=world.alpha_v2)
    where = [Submission.status == "accepted"] if model is Submission else []
    before = count(app, model, *where)
    for token in (None, "not-the-token", form_token(signed_in_client(app, role))):
        sent = data if token is None else {**data, "csrf_token": token}  # none, wrong, another's
        assert client.post(url, data=sent).status_code == 400, token
    assert count(app, model, *where) == before
    if role == "anonymous":
        assert path_of(client.get("/companies/")) == "/auth/login"
    # The same request with the session's own token goes through.
    assert client.post(url, data={**data, "csrf_token": own}).status_code in (200, 302)
    assert count(app, model, *where) == before + 1


OFF_SITE = [
    ("https://evil.example", "/"),
    ("//evil.example", "/"),
    ("https:evil.example", "/"),
    ("\\\\evil.example", "/"),
    ("/\\evil.example", "/%5Cevil.example"),  # a path on this site, not a host
    ("/companies/", "/companies/"),  # a path on this site is kept
]


def test_sign_in_never_redirects_off_site(app: Flask, world: World) -> None:
    """/auth/login?next=https://evil.example, as a browser sends it: the form carries ``next``
    from the query; after signing in the answer is a redirect to a path here."""
    for target, location in OFF_SITE:
        client = app.test_client()
        page = client.get("/auth/login", query_string={"next": target})
        found = re.search(r'name="next"[^>]*value="([^"]*)"', page.get_data(as_text=True))
        assert found, "the sign-in form carries no next field"
        next_field = html.unescape(found.group(1))
        assert next_field == target
        response = client.post(
            "/auth/login",
            query_string={"next": target},
            data={
                "email": EMAILS["member"],
                "password": PASSWORD,
                "next": next_field,
                "csrf_token": csrf_token(page),
            },
        )
        assert response.status_code == 302, target
        assert response.headers["Location"] == location, target
        assert urlsplit(response.headers["Location"]).netloc == ""


@pytest.mark.parametrize("big", BIG_IDS)
def test_page_of_an_id_beyond_the_database_integer_is_404(
    app: Flask, world: World, big: int
) -> None:
    """Such an id once reached the database (OverflowError on SQLite, DataError on
    PostgreSQL): a 500."""
    client = signed_in_client(app, "member")
    for url in (
        f"/companies/{big}",
        f"/submissions/{big}",
        f"/submissions/{world.alpha_v1}/compare/{big}",
        f"/companies/{big}/submissions/new",
        # a path with a GET and a POST route: 404, not 405
        f"/submissions/{big}/review",
    ):
        assert client.get(url).status_code == 404, url


# --- sessions end on the server ----------------------------------------------------------


def _copy_cookies(source: FlaskClient, app: Flask) -> FlaskClient:
    """A second client holding the same cookies: someone who copied the session cookie."""
    copy = app.test_client()
    for cookie in source._cookies.values():  # noqa: SLF001 - the test client's cookie jar
        copy.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return copy


def test_signing_out_ends_the_session_for_a_copied_cookie_too(app: Flask, world: World) -> None:
    member = signed_in_client(app, "member")
    thief = _copy_cookies(member, app)
    assert thief.get("/account/tokens").status_code == 200  # the copy works while signed in
    member.post("/auth/logout", data={"csrf_token": form_token(member)})
    assert member.get("/account/tokens").status_code == 302
    response = thief.get("/account/tokens")
    assert (response.status_code, path_of(response)) == (302, "/auth/login")


@pytest.mark.parametrize("keep_tokens", [False, True])
def test_a_password_reset_ends_every_session_and_tokens_unless_kept(
    app: Flask, world: World, keep_tokens: bool
) -> None:
    signed_in = signed_in_client(app, "stranger")
    bearer = {"Authorization": f"Bearer {world.secrets['stranger']}"}
    assert app.test_client().get("/api/v1/platforms", headers=bearer).status_code == 200
    visitor = app.test_client()
    page = visitor.get(f"/auth/reset/{world.reset}")
    form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(page)}
    if keep_tokens:
        form["keep_tokens"] = "y"
    assert visitor.post(f"/auth/reset/{world.reset}", data=form).status_code == 302
    assert signed_in.get("/account/tokens").status_code == 302  # signed out everywhere
    token_status = app.test_client().get("/api/v1/platforms", headers=bearer).status_code
    assert token_status == (200 if keep_tokens else 401)


def test_failures_from_one_address_do_not_lock_other_accounts_out(app: Flask, world: World) -> None:
    """Behind a proxy every user shares one address: 20 failures (4 on each of 5 accounts,
    none throttled on its own) must not stop anyone else signing in."""
    client = app.test_client()
    for role in ("admin", "coordinator", "peer", "consultant", "stranger"):
        for _ in range(4):
            assert sign_in(client, EMAILS[role], "not the password").status_code == 200
    assert sign_in(app.test_client(), EMAILS["member"]).status_code == 302


def test_sign_in_requests_per_address_are_rate_limited(app: Flask, world: World) -> None:
    app.config["SIGN_IN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    emails = [f"nobody{n}@example.org" for n in range(4)]
    statuses = [sign_in(client, email, "x").status_code for email in emails]
    assert statuses == [200, 200, 200, 429]
    assert app.test_client().get("/auth/login").status_code == 200  # reading is not limited


def test_behind_a_proxy_the_limit_counts_each_client_address(migrated_database_url: str) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": migrated_database_url,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            "PROXY_COUNT": 1,
            "SIGN_IN_RATE_LIMIT": "2 per minute",
        }
    )
    client = app.test_client()

    def attempt(address: str) -> int:
        data = {"email": "nobody@example.org", "password": "x"}
        headers = {"X-Forwarded-For": address}
        return client.post("/auth/login", data=data, headers=headers).status_code

    try:
        assert [attempt("203.0.113.1") for _ in range(3)] == [200, 200, 429]
        assert attempt("203.0.113.2") == 200  # another client behind the same proxy
    finally:
        get_engine(app).dispose()  # its own app: close its connections before the next test
