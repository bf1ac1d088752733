"""The what-if sandbox in the browser's terms: who may open it, each change re-reconciled
beside the submitted plan, problems by field with nothing stored, the catch-up plan, files,
private drafts, their comparison and their submission as a new version."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient
from sqlmodel import func, select

from roadmap.models import Submission, WhatIfDraft
from roadmap.web.trajectory_table import MAX_FORM_ROWS
from tests.formdata import form_fields
from tests.whatif.conftest import Plans
from tests.world import PASSWORD, csrf_token, sign_in

SANDBOX_FORM = "draft"  # a field only the sandbox's table form has


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def _open(client: FlaskClient, plans: Plans, email: str | None = None) -> str:
    sign_in(client, email or plans.world.member.email, PASSWORD)
    page = client.get(f"/companies/{plans.world.alpha.id}/what-if")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _cell(html: str, year: int, column: int) -> str:
    """The text of a cell of the comparison table's row of ``year`` (0: submitted intensity,
    4: submitted gap, 5: what-if gap, ...)."""
    row = re.search(rf'<tr data-year="{year}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {year}"
    return re.findall(r'<td class="num[^"]*">([^<]*)</td>', row.group(1))[column]


def _switch(client: FlaskClient, email: str) -> None:
    """Sign out, then in as ``email``."""
    token = csrf_token(client.get("/").get_data(as_text=True))
    client.post("/auth/logout", data={"csrf_token": token})
    sign_in(client, email, PASSWORD)


def _post(client: FlaskClient, plans: Plans, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(f"/companies/{plans.world.alpha.id}/what-if", data=data)


def test_the_sandbox_starts_from_the_newest_version_beside_it(client, plans):
    html = _open(client, plans)
    fields = form_fields(html, containing=SANDBOX_FORM)
    # Version 1 of Alpha (2020, 2025, 2030, 2050), copied exactly.
    assert [fields[f"rows-{i}-year"] for i in range(4)] == ["2020", "2025", "2030", "2050"]
    assert fields["rows-2-emissions"] == "150"
    # Unchanged: the same gap on both sides; T(2030) = 1.25, C(2030) = 1.5.
    assert _cell(html, 2030, 4) == _cell(html, 2030, 5) == "0.250"
    assert "against version 1" in html


def test_a_change_is_reconciled_again_and_nothing_is_stored(client, session, plans):
    html = _open(client, plans)
    fields = form_fields(html, containing=SANDBOX_FORM)
    before = count(session, Submission), count(session, WhatIfDraft)
    page = _post(client, plans, {**fields, "rows-2-emissions": "120", "recompute": "1"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # C(2030) = 120/100 = 1.2 against T(2030) = 1.25: the gap is -0.05, the submitted 0.25.
    assert _cell(html, 2030, 4) == "0.250"
    assert _cell(html, 2030, 5) == "-0.0500"
    # Platform gap in 2030 (the member sees the published totals of 4 companies, 3 of them
    # not theirs): Alpha 150 - 125 = 25, peers 0; with the plan 120 - 125 = -5.
    platform = re.search(r'id="what-if-platform".*?</table>', html, re.S)
    assert platform and re.search(
        r"2030</th><td[^>]*>25 t CO2e</td><td[^>]*>-5 t CO2e", platform.group(0)
    )
    assert (count(session, Submission), count(session, WhatIfDraft)) == before


def test_a_bad_figure_is_named_next_to_its_field_and_nothing_is_reconciled(client, plans):
    fields = form_fields(_open(client, plans), containing=SANDBOX_FORM)
    page = _post(client, plans, {**fields, "rows-2-emissions": "lots", "recompute": "1"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Emissions, row 3" in html
    assert 'id="what-if-outcome"' not in html


def test_the_catch_up_plan_fills_the_sandbox(client, session, plans):
    fields = form_fields(_open(client, plans), containing=SANDBOX_FORM)
    page = _post(client, plans, {**fields, "catch_up": "1"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    filled = form_fields(html, containing=SANDBOX_FORM)
    # Latest reported year 2020; each milestone's emissions lowered to T(m) * 100:
    # 187.5 (2025), 125 (2030), 93.75 (2035), 62.5 (2040), 31.25 (2045), 0 (2050).
    years = [filled[f"rows-{i}-year"] for i in range(7)]
    emissions = [filled[f"rows-{i}-emissions"] for i in range(7)]
    assert years == ["2020", "2025", "2030", "2035", "2040", "2045", "2050"]
    assert emissions == ["250", "187.5", "125", "93.75", "62.5", "31.25", "0"]
    assert "6 milestone(s) after 2020" in html
    assert count(session, Submission) == 4


def test_coordinators_and_strangers_have_no_sandbox(client, plans):
    sign_in(client, plans.world.coordinator.email, PASSWORD)
    assert client.get(f"/companies/{plans.world.alpha.id}/what-if").status_code == 403
    client.post(
        "/auth/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))}
    )
    sign_in(client, plans.stranger.email, PASSWORD)
    assert client.get(f"/companies/{plans.world.alpha.id}/what-if").status_code == 404


def test_a_granted_consultant_tries_plans_and_keeps_drafts_but_cannot_submit(
    client, session, plans
):
    html = _open(client, plans, plans.consultant.email)
    fields = form_fields(html, containing=SANDBOX_FORM)
    saved = _post(client, plans, {**fields, "name": "Consultant's idea", "save": "1"})
    assert saved.status_code == 302
    draft = session.exec(select(WhatIfDraft)).one()
    assert draft.user_id == plans.consultant.id
    page = client.get(f"/what-if/drafts/{draft.id}")
    token = csrf_token(page.get_data(as_text=True))
    refused = client.post(
        f"/what-if/drafts/{draft.id}/submit",
        data={"csrf_token": token, "assurance": "self-reported"},
    )
    assert refused.status_code == 403
    assert count(session, Submission) == 4


def test_a_draft_is_its_owners_only(client, session, plans):
    fields = form_fields(_open(client, plans), containing=SANDBOX_FORM)
    _post(client, plans, {**fields, "rows-2-emissions": "120", "name": "Faster", "save": "1"})
    draft = session.exec(select(WhatIfDraft)).one()
    assert draft.name == "Faster" and draft.user_id == plans.world.member.id
    reopened = client.get(f"/what-if/drafts/{draft.id}").get_data(as_text=True)
    assert form_fields(reopened, containing=SANDBOX_FORM)["rows-2-emissions"] == "120"
    _switch(client, plans.consultant.email)  # reads Alpha, but the draft is not theirs
    assert client.get(f"/what-if/drafts/{draft.id}").status_code == 404
    assert client.get(f"/what-if/drafts/{draft.id}/compare/{plans.alpha_v1.id}").status_code == 404
    assert "Faster" not in client.get(f"/companies/{plans.world.alpha.id}/what-if").get_data(
        as_text=True
    )


def test_a_draft_is_compared_with_a_version(client, session, plans):
    fields = form_fields(_open(client, plans), containing=SANDBOX_FORM)
    _post(client, plans, {**fields, "rows-2-emissions": "120", "save": "1"})
    draft = session.exec(select(WhatIfDraft)).one()
    page = client.get(f"/what-if/drafts/{draft.id}/compare/{plans.alpha_v1.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    changed = re.findall(r'<tr class="changed"><td>(\d+)</td>', html)
    assert changed == ["2030"]
    assert "\u221230" in html or "-30" in html  # 120 - 150


def test_a_draft_is_submitted_as_a_new_version(client, session, plans):
    fields = form_fields(_open(client, plans), containing=SANDBOX_FORM)
    _post(client, plans, {**fields, "rows-2-emissions": "120", "save": "1"})
    draft = session.exec(select(WhatIfDraft)).one()
    token = csrf_token(client.get(f"/what-if/drafts/{draft.id}").get_data(as_text=True))
    done = client.post(
        f"/what-if/drafts/{draft.id}/submit",
        data={"csrf_token": token, "assurance": "limited assurance"},
    )
    assert done.status_code == 302
    session.expire_all()
    created = session.exec(
        select(Submission)
        .where(Submission.company_id == plans.world.alpha.id)
        .order_by(Submission.version.desc())
    ).first()
    assert (created.version, created.status, created.source) == (2, "pending", "what-if")
    assert created.assurance == "limited assurance"
    assert done.headers["Location"].endswith(f"/submissions/{created.id}")
    # It waits in the coordinator's review inbox, as any new version does.
    _switch(client, plans.world.coordinator.email)
    assert f"/submissions/{created.id}" in client.get("/review").get_data(as_text=True)


def test_a_file_replaces_the_rows(client, session, plans):
    html = _open(client, plans)
    content = (
        b"company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind\n"
        b"Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported\n"
        b"Alpha,Steel,Global,S1S2,2030,100,t Steel,110,t CO2e,planned\n"
    )
    page = client.post(
        f"/companies/{plans.world.alpha.id}/what-if/upload",
        data={
            "csrf_token": csrf_token(html),
            "platform": str(plans.world.platform.id),
            "file": (io.BytesIO(content), "plan.csv"),
        },
    )
    assert page.status_code == 200
    got = page.get_data(as_text=True)
    fields = form_fields(got, containing=SANDBOX_FORM)
    assert (fields["rows-1-year"], fields["rows-1-emissions"]) == ("2030", "110")
    # C(2030) = 1.1, T = 1.25: gap -0.15.
    assert _cell(got, 2030, 5) == "-0.150"
    assert count(session, Submission) == 4


def test_a_bad_file_is_refused_by_row_and_column(client, session, plans):
    html = _open(client, plans)
    content = (
        b"company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind\n"
        b"Alpha,Steel,Global,S1S2,20x0,100,t Steel,250,t CO2e,reported\n"
    )
    page = client.post(
        f"/companies/{plans.world.alpha.id}/what-if/upload",
        data={
            "csrf_token": csrf_token(html),
            "platform": str(plans.world.platform.id),
            "file": (io.BytesIO(content), "plan.csv"),
        },
    )
    assert page.status_code == 422
    assert "plan.csv, row 2, column &#39;year&#39;: not a number" in page.get_data(as_text=True)
    assert count(session, Submission) == 4


def test_a_company_with_no_version_is_told_to_submit_first(client, session, world):
    # ``world`` alone: Alpha has a member but no submission yet.
    sign_in(client, world.member.email, PASSWORD)
    page = client.get(f"/companies/{world.alpha.id}/what-if")
    assert page.status_code == 200
    assert "Alpha has no version you can read yet: submit one first." in page.get_data(as_text=True)
    refused = client.post(
        f"/companies/{world.alpha.id}/what-if",
        data={"csrf_token": csrf_token(page.get_data(as_text=True)), "recompute": "1"},
    )
    assert refused.status_code == 422
    assert count(session, WhatIfDraft) == 0


def test_add_rows_on_a_full_table_says_so(client, plans):
    """As for the submission form: "Add rows" on a table at its limit keeps the limit and says
    so, rather than asking WTForms for more rows than it holds."""
    fields = form_fields(_open(client, plans), containing=SANDBOX_FORM)
    fields = {k: v for k, v in fields.items() if not k.startswith("rows-")}
    for i in range(MAX_FORM_ROWS):
        fields.update(
            {
                f"rows-{i}-year": str(1900 + i),
                f"rows-{i}-kind": "reported",
                f"rows-{i}-activity": "100",
                f"rows-{i}-emissions": "250",
            }
        )
    page = _post(client, plans, {**fields, "add_rows": "1"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert len(re.findall(r'name="rows-\d+-year"', html)) == MAX_FORM_ROWS
    assert f"The table holds at most {MAX_FORM_ROWS} years, one row each." in html


def test_a_draft_id_no_row_can_have_saves_a_new_draft(client, session, plans):
    """The hidden draft field is the user's to send: an id beyond the database's integers
    (PostgreSQL refused it with an error, answered 500) names no draft, so a new one is saved."""
    fields = form_fields(_open(client, plans), containing=SANDBOX_FORM)
    before = count(session, WhatIfDraft)
    page = _post(client, plans, {**fields, "draft": "99999999999", "save": "1"})
    assert page.status_code == 302
    assert count(session, WhatIfDraft) == before + 1
