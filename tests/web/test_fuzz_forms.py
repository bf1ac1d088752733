"""Nothing a user can send makes the app fail: hypothesis sends every page route hostile input
and no answer may be a server error (5xx), nor may any error be logged.

Every route of the app's url_map outside the API is walked (the API has its own fuzzing in
tests/api/test_schemathesis.py): each POST route with form data for the real field names of
its WTForms classes (``FORMS``; a new POST route without an entry fails here), each GET route
with the query arguments views read (filters, scenario, platform, company, kind, ...). Values
are hostile: empty, very long, unicode, control characters, NaN, inf, -0, 1e308, negative and
huge numbers, dates out of range, ids of other objects, missing and repeated fields, files
that are not CSV. URL parts take the ids of the world's objects, of other objects and of none.
Each role of the world of tests/accounts/test_authorization.py is one test (anonymous,
Alpha's member, Beta's member, a consultant, a coordinator, an admin), in an app with CSRF
off so that input reaches the forms.

Deterministic (``derandomize``) and bounded: a few examples per route and role. Chart
downloads as PNG/SVG are left out (each renders in Chromium, seconds apiece); their CSV/XLSX
twins run the same queries."""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf.file import FileField
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter, Rule
from wtforms import FieldList
from wtforms.fields.core import UnboundField

from roadmap import create_app
from roadmap.accounts import forms as account_forms
from roadmap.companies.forms import GrantForm
from roadmap.db import get_engine, get_session
from roadmap.domain.projects import COLUMNS
from roadmap.models import Platform
from roadmap.notifications import mail
from roadmap.notifications.forms import PreferencesForm
from roadmap.pipeline import forms as pipeline_forms
from roadmap.pipeline.overview_views import SettingsForm as PipelineSettingsForm
from roadmap.platforms import forms as platform_forms
from roadmap.platforms.copy_views import CopyForm
from roadmap.platforms.views import RECORDS
from roadmap.providers import forms as provider_forms
from roadmap.sectors import operations as sector_operations
from roadmap.sectors.forms import SectorForm
from roadmap.submissions import forms as submission_forms
from roadmap.submissions.operations import file_checksum
from roadmap.whatif import forms as whatif_forms
from tests import factories
from tests.accounts.test_authorization import (
    ALPHA_V2,
    EMAILS,
    NEW_PASSWORD,
    PASSWORD,
    World,
    build_world,
    form_data,
)

ROLES = {
    "anonymous": None,
    "member": EMAILS["member"],
    "other_company_member": EMAILS["peer"],
    "consultant": EMAILS["consultant"],
    "coordinator": EMAILS["coordinator"],
    "admin": EMAILS["admin"],
}

# The WTForms classes each POST endpoint reads; "confirmed" (the confirmation pages) and
# "status" (an action's status buttons) are read from the raw form and sent to every route.
_RECORD_FORMS = tuple(form for _, form in RECORDS.values())
FORMS: dict[str, tuple[type, ...]] = {
    "accounts.login": (account_forms.LoginForm,),
    "accounts.logout": (),
    "accounts.reset": (account_forms.NewPasswordForm,),
    "accounts.create_token": (account_forms.TokenForm,),
    "accounts.revoke_token": (),
    "accounts.create_user": (account_forms.UserForm,),
    "accounts.reset_link": (),
    "accounts.sector_leave": (account_forms.SectorLeaveForm,),
    "sectors.create": (SectorForm,),
    "notifications.preferences": (PreferencesForm,),
    "companies.grant": (GrantForm,),
    "companies.revoke": (),
    "submissions.create": (submission_forms.SubmissionForm,),
    "submissions.upload": (submission_forms.UploadForm,),
    "submissions.accept_upload": (submission_forms.AcceptUploadForm,),
    "submissions.review": (submission_forms.ReviewForm,),
    "rounds.create": (submission_forms.RoundForm,),
    "rounds.edit": (submission_forms.RoundForm,),
    "rounds.reopen": (submission_forms.RoundActionForm,),
    "rounds.close": (submission_forms.RoundActionForm,),
    "rounds.publish": (submission_forms.RoundActionForm,),
    "platforms.create": (platform_forms.PlatformForm,),
    "platforms.edit": (platform_forms.PlatformForm,),
    "platforms.advance": (),
    "platforms.action_status": (),
    "platforms.add_record": _RECORD_FORMS,
    "platforms.edit_record": _RECORD_FORMS,
    "platforms.delete_record": (),
    "platforms.add_kpi": (platform_forms.KpiForm,),
    "platforms.edit_kpi": (platform_forms.KpiForm,),
    "platforms.add_kpi_actual": (platform_forms.KpiActualForm,),
    "platforms.pathway": (platform_forms.PathwayForm,),
    "platforms.import_pathway": (platform_forms.PathwayImportForm,),
    "whatif.change": (whatif_forms.SandboxForm,),
    "whatif.upload": (whatif_forms.SandboxUploadForm,),
    "whatif.submit": (whatif_forms.SubmitDraftForm,),
    "whatif.delete": (whatif_forms.DeleteDraftForm,),
    "pipeline.create": (pipeline_forms.ProjectForm,),
    "pipeline.edit": (pipeline_forms.ProjectForm,),
    "pipeline.delete": (),
    "pipeline.import_file": (pipeline_forms.ProjectImportForm,),
    "pipeline.confirm_import": (pipeline_forms.ConfirmImportForm,),
    "pipeline_overview.save": (PipelineSettingsForm,),
    "platforms.copy": (CopyForm,),
    "providers.create": (provider_forms.ProviderForm,),
    "providers.edit": (provider_forms.ProviderForm,),
    "providers.delete": (),
    "providers.add_offer": (provider_forms.OfferForm,),
    "providers.remove_offer": (),
    "providers.add_keeper": (provider_forms.KeeperForm,),
    "providers.remove_keeper": (),
    "providers.post_need": (provider_forms.NeedForm,),
    "providers.answer": (provider_forms.AnswerForm,),
    "providers.decide": (provider_forms.DecisionForm,),
    "providers.need_status": (provider_forms.CloseForm,),
}
RAW_FIELDS = ("confirmed", "status")
# Query arguments the views read (request.args), sent to every GET route.
QUERY_KEYS = (
    "scenario",
    "scope",
    "region",
    "start",
    "end",
    "platform",
    "company",
    "kind",
    "reference",
    "next",
    "page",
    "status",
    "technology",
    "country",
    "sort",
    "dir",
    "sector",
    "sort",
    "order",
    "source",
    "stage",
    "service",
    "q",
    "seed",
)
# Signing out would leave the rest of a role's run anonymous; it has no fields to fuzz.
SIGNED_IN_SKIP = {"accounts.logout"}
ROW_INDEXES = (0, 1, 40, 301, 10**6)  # FieldList rows: first, inside, at the limits, past them

HOSTILE = [
    "",
    " ",
    "x" * 5000,
    "\x00",
    "a\x00b",
    "\r\n",
    "\t",
    "\u202e\u0647\u0630\u0627",
    "😀" * 20,
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "-0",
    "1e308",
    "-1e308",
    "1e309",
    "1e-320",
    "-1",
    "0",
    "99999999999999999999999",
    str(2**31),
    str(2**63),
    "0x10",
    "1_000",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "1900-01-01",
    "2101",
    "1989",
    "2030: 1, 2030: 2",
    "2025: nan",
    "2025: 1e308, 2030: -1e308",
    "<b>x</b>",
    "=1+1",
    "@SUM(A1)",
    "' OR 1=1 --",
    "{{7*7}}",
    "%s%s%n",
    "../../etc/passwd",
    "S1S2",
    "XYZ",
    "Test 1.5",
    "accept",
    "request_changes",
    "reject",
    "yes",
    "y",
    "admin",
    "company",
    "coordinator",
    "consultant",
    "self-reported",
    "limited",
    "reasonable",
    "t Steel",
    "t CO2e",
    "reported",
    "planned",
    "member@alpha.example",
    "not an email",
]


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode()


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    for row in rows:
        # Characters a workbook cannot hold at all (openpyxl refuses to write them).
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip_of(name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, content)
    return out.getvalue()


_VALID = ALPHA_V2.encode()
_PATHWAY = _csv(
    [
        ["sector", "scenario", "region", "scope", "year", "intensity", "intensity_unit"],
        *[
            ["Steel", "Mine", "Global", "S1S2", str(y), "1.0", "t CO2e/(t Steel)"]
            for y in range(2020, 2051, 5)
        ],
    ]
)
_PROJECTS = (
    ",".join(COLUMNS)
    + "\nAlpha,Fuzz plant,Spain,scrap EAF,announced,2025-01-02,,,,,,2030,1.5,Mt Steel,,,,yes\n"
).encode()
PROJECT_FORM = {
    "name": "Fuzz plant",
    "country": "Spain",
    "technology": "scrap EAF",
    "technology_other": "",
    "status": "feasibility",
    "announced_on": "2024-01-02",
    "feasibility_on": "2025-01-02",
    "start_year": "2030",
    "capacity": "1.5",
    "capacity_unit": "Mt Steel",
    "expected_intensity": "0.2",
    "intensity_unit": "t CO2e/(t Steel)",
    "source_url": "https://example.org/fuzz",
    "is_public": "y",
}
SAMPLE_FILES = [
    _PROJECTS,
    b"",
    _VALID,
    _PATHWAY,
    _VALID.replace(b"\n", b"\r"),
    "\ufeff".encode() + _VALID,
    _VALID.decode().encode("utf-16"),
    _VALID.replace(b"250", b"nan"),
    _VALID.replace(b"250", b"1e308"),
    _VALID.replace(b"S1S2", b"XYZ"),
    _VALID[:57],  # cut inside the first data row
    b"\x00" * 64,
    b"PK\x03\x04" + b"\x00" * 40,  # the start of a zip, nothing more
    _zip_of("[Content_Types].xml", b"<not-xml"),
    _xlsx([line.split(",") for line in ALPHA_V2.splitlines()]),
    _xlsx([line.split(",") for line in ALPHA_V2.splitlines()])[:300],
    _xlsx([["company"], ['=HYPERLINK("x")'], ["nan"]]),
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    b"\x89PNG\r\n\x1a\n",
    b",,,,\n,,,,\n",
    b"a," * 3000 + b"\n",
    b'"unterminated\n',
]
FILENAMES = ["t.csv", "t.xlsx", "t.txt", "", "../../t.csv", "T.CSV", "😀.xlsx", "t.csv.exe", "t"]


@dataclass
class Extras:
    """Objects the authorization world lacks, so that every URL has a real target: an
    action, a roadmap pathway and an open round of "steel"; the sector's id, and another
    sector's (in another unit) for a platform to move to."""

    sector: int
    other_sector: int
    action: int
    pathway: int
    open_round: int
    project: int


def build_extras(app: Flask, world: World) -> Extras:
    with app.app_context():
        session = get_session()
        factories.bind(session)
        try:
            steel = session.get(Platform, world.steel)
            assert steel is not None
            action = factories.ActionFactory(platform_id=steel.id)
            pathway = factories.RoadmapPathwayFactory(platform_id=steel.id)
            for year in range(2020, 2051, 5):
                factories.RoadmapMilestoneFactory(pathway_id=pathway.id, year=year)
            open_round = factories.ReportingRoundFactory(platform_id=steel.id, status="open")
            project = factories.ProjectFactory(
                platform_id=steel.id, company_id=world.alpha, is_public=False
            )
            cement = sector_operations.get_or_create_sector(
                "Cement", "t CO2e/(t Cement)", session=session
            )
            session.commit()
            return Extras(
                steel.sector_id, cement.id, action.id, pathway.id, open_round.id, project.id
            )
        finally:
            factories.bind(None)


def baselines(world: World, extras: Extras, role: str) -> dict[str, dict[str, Any]]:
    """Per POST endpoint, a form its checks accept (where the role may send it): examples
    change some of its fields, so that input also reaches what runs after the checks."""
    milestones = {
        f"rows-{i}-{name}": value
        for i, year in enumerate(range(2020, 2051, 5))
        for name, value in (("year", str(year)), ("intensity", str(2.0 - 0.06 * i)))
    }
    confirmed = {"confirmed": "yes"}
    return {
        "accounts.login": {"email": EMAILS["stranger"], "password": "not the password"},
        "accounts.reset": {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        "accounts.create_token": {"name": "fuzz"},
        "accounts.revoke_token": confirmed,
        "accounts.create_user": {
            "email": "new.user@example.com",
            "name": "New User",
            "role": "consultant",
            "company": "0",
            "password": NEW_PASSWORD,
        },
        "accounts.reset_link": confirmed,
        "notifications.preferences": {"round_opened": "y"},
        "providers.create": {"name": "Fuzz Advisory", "kind": "consultancy"},
        "providers.edit": {"name": "Northbridge Advisory (fictional)", "kind": "financier"},
        "providers.add_offer": {"service": "research", "sector": "0"},
        "providers.add_keeper": {"email": EMAILS["stranger"]},
        "providers.post_need": {
            "poster": f"company:{world.alpha}",
            "title": "Fuzz need",
            "service": "labelling",
            "sector": str(extras.sector),
        },
        "providers.answer": {"provider": str(world.provider), "message": "We can help."},
        "providers.decide": {"decision": "accept", "grant_access": "y"},
        "providers.need_status": {"status": "met"},
        "companies.grant": {"email": EMAILS["stranger"]},
        "companies.revoke": confirmed,
        "submissions.create": {k: str(v) for k, v in form_data("form_rows", world, role).items()},
        "submissions.upload": {
            "platform": str(world.steel),
            "assurance": "self-reported",
            "file": (ALPHA_V2.encode(), "alpha.csv"),
        },
        "submissions.accept_upload": {
            "checksum": file_checksum(ALPHA_V2.encode()),
            "assurance": "self-reported",
        },
        "submissions.review": {"decision": "accept", "reason": ""},
        "rounds.create": {
            "name": "2027 disclosure",
            "reported_up_to": "2026",
            "plan_to": "2050",
            "opens_on": "2027-03-01",
            "deadline": "2027-06-30",
        },
        "rounds.edit": {
            "name": "2026 disclosure",
            "reported_up_to": "2025",
            "plan_to": "2050",
            "opens_on": "2026-03-01",
            "deadline": "2026-07-31",
        },
        "sectors.create": {
            "name": "Glass",
            "unit": "Glass",
            "aliases": "Glas",
            "activity_unit": "kt Glass",
            "intensity_unit": "kg CO2e/(t Glass)",
        },
        "accounts.sector_leave": {"allow": "y"},
        "platforms.create": {
            "name": "Cement",
            "slug": "cement",
            "sector": str(extras.sector),
            "region": "Global",
            "scope": "S1",
            "net_zero_year": "2050",
            "coverage_target": "0.5",
        },
        "platforms.edit": {
            "name": "Steel platform",
            "slug": "steel",
            "sector": str(extras.sector),
            "region": "Global",
            "scope": "S1S2",
            "coverage_target": "0.5",
            "is_public": "y",
        },
        "platforms.advance": confirmed,
        "platforms.action_status": {"status": "under way"},
        "platforms.add_record": {
            "organisation": "Ministry (fictional)",
            "kind": "government",
            "joined_on": "2024-02-01",
        },
        "platforms.edit_record": {
            "organisation": "Ministry (fictional)",
            "kind": "government",
            "joined_on": "2024-02-01",
        },
        "platforms.delete_record": confirmed,
        "platforms.add_kpi": {
            "name": "Near-zero share",
            "unit": "%",
            "direction": "increase",
            "targets": "2025: 5, 2030: 20",
        },
        "platforms.edit_kpi": {
            "name": "Near-zero share",
            "unit": "%",
            "direction": "increase",
            "targets": "2025: 5, 2030: 20",
        },
        "platforms.add_kpi_actual": {"kpi_id": str(world.kpi), "year": "2025", "value": "3"},
        "platforms.pathway": {
            "scenario": "Steel roadmap",
            "reference": "",
            "base_year": "2020",
            "target_year": "2050",
            "intensity_unit": "t CO2e/(t Steel)",
            "activity_unit": "",
            "published": "y",
            "save": "1",
            **milestones,
        },
        "whatif.change": {k: str(v) for k, v in form_data("what_if", world, role).items()},
        "whatif.upload": {"platform": str(world.steel), "file": (ALPHA_V2.encode(), "alpha.csv")},
        "whatif.submit": {"assurance": "self-reported"},
        "whatif.delete": confirmed,
        "pipeline.create": {**PROJECT_FORM, "company_id": str(world.alpha)},
        "pipeline.edit": {**PROJECT_FORM, "company_id": str(world.alpha)},
        "pipeline.delete": confirmed,
        "pipeline.import_file": {"file": (_PROJECTS, "projects.csv")},
        "pipeline.confirm_import": {
            "content": base64.b64encode(_PROJECTS).decode(),
            "filename": "projects.csv",
            "checksum": hashlib.sha256(_PROJECTS).hexdigest(),
        },
        "platforms.import_pathway": {
            "scenario": "Mine",
            "base_year": "2020",
            "target_year": "2050",
            "file": (_PATHWAY, "mine.csv"),
        },
    }


def targets(world: World, extras: Extras, role: str) -> dict[str, list[Any]]:
    """Per URL part, the objects it names in the world (most examples use one of them)."""
    return {
        "slug": ["steel"],
        "company_id": [world.alpha, world.beta],
        "submission_id": [world.alpha_v2, world.alpha_v1, world.beta_v1],
        "other_id": [world.alpha_v1, world.alpha_v2],
        "token_id": [world.tokens.get(role, world.tokens["admin"])],
        "user_id": [world.users["stranger"]],
        "upload_id": [world.pending_upload],
        "grant_id": [world.grant],
        "kpi_id": [world.kpi],
        "round_id": [extras.open_round, world.initial],
        "action_id": [extras.action],
        "pathway_id": [extras.pathway],
        "record_id": [world.signatory],
        "kind": ["signatories"],
        "token": [world.reset],
        "draft_id": [world.draft],
        "project_id": [extras.project],
        "sector_id": [extras.sector],
        "provider_id": [world.provider],
        "offer_id": [world.offer],
        "need_id": [world.need, world.private_need],
        "answer_id": [world.answer],
    }


@dataclass
class Route:
    endpoint: str
    method: str
    rule: Rule
    fields: list[str]
    files: list[str]


def field_names(form_class: type) -> tuple[list[str], list[str]]:
    """The names a form of ``form_class`` reads (rows of a FieldList as ``rows-N-field``) and,
    apart, those of its file fields."""
    fields: list[str] = []
    files: list[str] = []
    for name in dir(form_class):
        unbound = getattr(form_class, name)
        if not isinstance(unbound, UnboundField):
            continue
        if unbound.field_class is FieldList:
            row_form = unbound.args[0].args[0]  # FieldList(FormField(RowForm))
            inner, _ = field_names(row_form)
            fields += [f"{name}-{i}-{part}" for i in ROW_INDEXES for part in inner]
        elif issubclass(unbound.field_class, FileField):
            files.append(name)
        else:
            fields.append(name)
    return fields, files


def routes(app: Flask) -> list[Route]:
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.rule.startswith("/api/") or rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            fields: list[str] = []
            files: list[str] = []
            if method == "POST":
                for form_class in FORMS[rule.endpoint]:
                    named, sent = field_names(form_class)
                    fields += [n for n in named if n not in fields]
                    files += [n for n in sent if n not in files]
                fields += RAW_FIELDS
            else:
                fields = list(QUERY_KEYS)
            found.append(Route(rule.endpoint, method, rule, fields, files))
    return found


# --- strategies --------------------------------------------------------------------------


def texts(world: World) -> st.SearchStrategy[str]:
    ids = sorted(
        {
            world.steel,
            world.private_steel,
            world.alpha,
            world.beta,
            world.alpha_v1,
            world.alpha_v2,
            world.beta_v1,
            world.beta_private,
            world.grant,
            world.signatory,
            world.kpi,
            world.initial,
            *world.users.values(),
            *world.tokens.values(),
        }
    )
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from([str(i) for i in ids]),
        st.text(max_size=30),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats().map(repr),
    )


def form_values(
    world: World, names: list[str], baseline: dict[str, Any]
) -> st.SearchStrategy[dict[str, Any]]:
    """A value for each name: mostly the baseline's (where it has one), else missing, a
    hostile value once, or repeated."""
    hostile = st.one_of(st.none(), texts(world), st.lists(texts(world), min_size=2, max_size=3))
    fields = {}
    for name in dict.fromkeys([*baseline, *names]):
        if name in baseline:
            fields[name] = st.one_of(st.just(baseline[name]), st.just(baseline[name]), hostile)
        else:
            fields[name] = st.one_of(st.none(), st.none(), hostile)
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


def file_values(names: list[str], baseline: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    content = st.one_of(st.sampled_from(SAMPLE_FILES), st.binary(max_size=400))
    one = st.tuples(content, st.sampled_from(FILENAMES))
    return st.fixed_dictionaries(
        {
            name: st.one_of(st.just(baseline[name]), one, st.none())
            if name in baseline
            else st.one_of(st.none(), one)
            for name in names
        }
    ).map(lambda d: {k: v for k, v in d.items() if v is not None})


def url_values(
    route: Route, world: World, right: dict[str, list[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """Each URL part: mostly an object of the world it names, else another object's id, an
    id of nothing, one beyond the database's integers, or text that is no such name."""
    ids = sorted(
        {
            0,
            1,
            999_999,
            2**31,
            2**63,
            world.alpha,
            world.beta,
            world.alpha_v1,
            world.beta_private,
            world.grant,
            world.signatory,
            world.kpi,
            world.initial,
            *world.users.values(),
            *world.tokens.values(),
        }
    )
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for name, converter in route.rule._converters.items():
        if isinstance(converter, IntegerConverter):
            wrong: st.SearchStrategy[Any] = st.sampled_from(ids)
        elif isinstance(converter, AnyConverter):
            # Chart downloads: the CSV/XLSX ones (see the module's docstring).
            parts[name] = st.sampled_from(["csv", "xlsx"])
            continue
        elif name == "kind" and route.endpoint.startswith("platforms."):
            wrong = st.sampled_from([*RECORDS, "no-such-kind"])
        elif name == "name":
            wrong = st.sampled_from(
                ["trajectories", "results", "milestones", "benchmark", "no-such-chart", "é"]
            )
        else:
            wrong = st.sampled_from(["private-steel", "no-such", "STEEL", "é", "x" * 300])
        known = right.get(name)
        parts[name] = (
            st.one_of(st.sampled_from(known), st.sampled_from(known), wrong) if known else wrong
        )
    return st.fixed_dictionaries(parts)


# --- the runs ----------------------------------------------------------------------------


@pytest.fixture
def fuzz_app(migrated_database_url: str) -> Iterator[Flask]:
    """An app as the tests' ``app`` fixture makes it, with CSRF off so that every generated
    form reaches its checks."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": migrated_database_url,
            "SECRET_KEY": "test-secret-key",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "WTF_CSRF_ENABLED": False,
            # Generated sign-ins reach the form's checks rather than the rate limit.
            "SIGN_IN_RATE_LIMIT": "100000 per minute",
        }
    )
    yield app
    mail.shutdown(app)
    get_engine(app).dispose()


class _Errors(logging.Handler):
    """Every record of level ERROR or above, from any logger."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logged_errors() -> Iterator[_Errors]:
    handler = _Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def _client(app: Flask, email: str | None) -> FlaskClient:
    client = app.test_client()
    if email is not None:
        response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, f"{email} could not sign in"
    return client


def _send(client: FlaskClient, route: Route, path: str, data: dict[str, Any]) -> int:
    if route.method == "GET":
        response = client.get(path, query_string=data)
    else:
        multipart = any(isinstance(v, tuple) for v in data.values())
        sent = {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for k, v in data.items()}
        response = client.post(
            path,
            data=sent,
            content_type="multipart/form-data" if multipart else None,
        )
    response.get_data()
    response.close()
    return response.status_code


EXAMPLES = {"GET": 2, "POST": 5}
_PLACEHOLDER = re.compile(r"<(?:[^:>]+:)?([^>]+)>")  # <slug>, <int:id>, <any(csv, xlsx):kind>


def _fuzz(
    client: FlaskClient, world: World, extras: Extras, role: str, route: Route, errors: _Errors
) -> None:
    baseline = (
        baselines(world, extras, role).get(route.endpoint, {}) if route.method == "POST" else {}
    )
    files = {k: v for k, v in baseline.items() if isinstance(v, tuple)}
    fields = {k: v for k, v in baseline.items() if not isinstance(v, tuple)}

    @settings(
        max_examples=EXAMPLES[route.method],
        derandomize=True,  # the same cases on every run
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        parts=url_values(route, world, targets(world, extras, role)),
        data=form_values(world, route.fields, fields),
        sent=file_values(route.files, files),
    )
    def one(parts: dict[str, Any], data: dict[str, Any], sent: dict[str, Any]) -> None:
        path = _PLACEHOLDER.sub(lambda m: quote(str(parts[m.group(1)]), safe=""), route.rule.rule)
        status = _send(client, route, path, {**data, **sent})
        assert status < 500, f"{route.method} {path} answered {status}"
        assert not errors.records, [r.getMessage() for r in errors.records]

    one()


def test_every_post_route_has_its_forms_listed(app: Flask) -> None:
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in (r.methods or set()) and not r.rule.startswith("/api/")
    }
    assert posts - set(FORMS) == set()
    assert set(FORMS) - posts == set()


def test_field_names_come_from_the_forms() -> None:
    fields, files = field_names(platform_forms.PathwayImportForm)
    assert sorted(fields) == ["base_year", "scenario", "target_year"] and files == ["file"]
    rows, _ = field_names(platform_forms.PathwayForm)
    assert "rows-0-intensity" in rows and "rows-1000000-year" in rows


@pytest.mark.parametrize("role", list(ROLES))
def test_no_input_makes_a_server_error(fuzz_app: Flask, role: str, logged_errors) -> None:
    world = build_world(fuzz_app)
    extras = build_extras(fuzz_app, world)
    client = _client(fuzz_app, ROLES[role])
    for route in routes(fuzz_app):
        if role != "anonymous" and route.endpoint in SIGNED_IN_SKIP:
            continue
        _fuzz(client, world, extras, role, route, logged_errors)


def test_upload_bytes(fuzz_app: Flask, logged_errors) -> None:
    """The trajectory upload, the pathway import and the project import, with files generated
    cell by cell: a header of the contracts' columns (some missing, repeated or unknown) and
    rows of hostile cells, as CSV and as XLSX."""
    world = build_world(fuzz_app)
    member = _client(fuzz_app, EMAILS["member"])
    coordinator = _client(fuzz_app, EMAILS["coordinator"])
    columns = ALPHA_V2.splitlines()[0].split(",")
    header = st.lists(
        st.sampled_from([*columns, *COLUMNS, "intensity", "intensity_unit", "x", ""]),
        min_size=1,
        max_size=12,
    )
    cell = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))

    @settings(max_examples=30, derandomize=True, deadline=None, database=None)
    @given(
        head=header,
        rows=st.lists(st.lists(cell, max_size=12), max_size=6),
        xlsx=st.booleans(),
    )
    def one(head: list[str], rows: list[list[str]], xlsx: bool) -> None:
        grid = [head, *rows]
        content = _xlsx(grid) if xlsx else _csv([[_quoted(c) for c in r] for r in grid])
        name = "t.xlsx" if xlsx else "t.csv"
        for client, path, data in (
            (
                member,
                f"/companies/{world.alpha}/submissions/upload",
                {"platform": str(world.steel), "assurance": "self-reported"},
            ),
            (
                coordinator,
                "/platforms/steel/pathways/import",
                {"scenario": "Mine", "base_year": "2020", "target_year": "2050"},
            ),
            (coordinator, "/platforms/steel/projects/import", {}),
        ):
            response = client.post(
                path,
                data={**data, "file": (io.BytesIO(content), name)},
                content_type="multipart/form-data",
            )
            response.get_data()
            response.close()
            assert response.status_code < 500, f"{path} answered {response.status_code}"
            assert not logged_errors.records

    one()


def _quoted(cell: str) -> str:
    """A CSV cell as a spreadsheet writes it: quoted where it holds a comma, quote or line."""
    if re.search(r'[,"\r\n]', cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell
