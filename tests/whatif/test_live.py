"""The sandbox reconciled as you type (roadmap.whatif.live_views): the page's script posts the form
with the live header and gets JSON back, the outcome's HTML and its figure's data, with the same
figures as a reload; problems come back named by row and column, nothing is stored."""

from __future__ import annotations

import base64

import numpy as np

from roadmap.companies.queries import company_named
from roadmap.models import Submission, WhatIfDraft
from roadmap.whatif.live_views import LIVE_HEADER
from tests.formdata import form_fields
from tests.whatif.conftest import Plans
from tests.whatif.test_views import SANDBOX_FORM, _cell, _open, count

LIVE = {LIVE_HEADER: "outcome"}


def _values(array: object) -> list[float]:
    """A figure's array as sent: a list, or (plotly 6) base64 of its bytes and their dtype."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)  # type: ignore[call-overload]


def _live(client, plans: Plans, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(f"/companies/{plans.world.alpha.id}/what-if", data=data, headers=LIVE)


def test_a_change_comes_back_as_the_outcome_and_its_figure(client, session, plans):
    fields = form_fields(_open(client, plans), containing=SANDBOX_FORM)
    before = count(session, Submission), count(session, WhatIfDraft)
    answer = _live(client, plans, {**fields, "rows-2-emissions": "120"})
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["ok"] is True
    # As on a reload: C(2030) = 1.2 against T(2030) = 1.25, the submitted 1.5 - 1.25.
    assert _cell(body["html"], 2030, 4) == "0.250"
    assert _cell(body["html"], 2030, 5) == "-0.0500"
    # No script in the HTML (the page's own script draws the figure from its data).
    assert "<script" not in body["html"]
    assert 'id="what-if-chart"' in body["html"]
    traces = body["figure"]["data"]
    # The what-if plan's line (reported 2020, then the plan, yearly): 250/100 = 2.5 in 2020,
    # 205/100 = 2.05 in 2025, now 120/100 = 1.2 in 2030, 50/100 = 0.5 in 2050, and in 2040
    # half way from 2030 to 2050: 1.2 - 0.7 / 2 = 0.85.
    (plan,) = [t for t in traces if t["name"] == "Alpha (what-if)" and len(_values(t["x"])) > 1]
    by_year = dict(zip(_values(plan["x"]), _values(plan["y"]), strict=True))
    assert [by_year[y] for y in (2020, 2025, 2030, 2040, 2050)] == [2.5, 2.05, 1.2, 0.85, 0.5]
    assert (count(session, Submission), count(session, WhatIfDraft)) == before


def test_a_bad_cell_comes_back_named_and_nothing_is_reconciled(client, plans):
    fields = form_fields(_open(client, plans), containing=SANDBOX_FORM)
    answer = _live(client, plans, {**fields, "rows-2-emissions": "lots"})
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["ok"] is False
    assert body["problems"] == ["Emissions, row 3: not a number"]


def test_a_form_without_its_token_is_refused(client, plans):
    fields = form_fields(_open(client, plans), containing=SANDBOX_FORM)
    del fields["csrf_token"]
    answer = _live(client, plans, fields)
    assert answer.status_code == 400  # the CSRF check answers before the view
    assert "csrf" in answer.get_data(as_text=True).lower()


def test_another_companys_sandbox_answers_nothing(client, session, plans):
    fields = form_fields(_open(client, plans), containing=SANDBOX_FORM)
    beta = company_named("Beta", session=session)  # a peer on the platform, not the member's
    answer = client.post(f"/companies/{beta.id}/what-if", data=fields, headers=LIVE)
    assert answer.status_code == 404
