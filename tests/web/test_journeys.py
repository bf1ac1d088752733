"""What every form page shares (roadmap/web/util.py, templates/_macros/forms.html,
templates/confirm.html, static/forms.js): the error summary of a refused form, the success
message after a change, the confirmation step before an irreversible action; and that no page
asks for an asset the app does not serve."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from roadmap.accounts import operations as account_operations
from roadmap.models import ApiToken, ConsultantGrant, Platform, Submission
from tests.factories import SignatoryFactory
from tests.formdata import form_fields
from tests.submissions.test_journey import ALPHA, _store
from tests.world import PASSWORD, csrf_token, sign_in


def _summary(html: str) -> str:
    found = re.search(r"<div class=\"error-summary\".*?</div>", html, re.S)
    assert found, "no error summary on the page"
    return found[0]


def _links(summary: str) -> list[tuple[str, str]]:
    return [
        (href, " ".join(text.split()))
        for href, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary, re.S)
    ]


def _follow(client, response):  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash flash-info" role="status">([^<]*)</p>', html)


# --- the error summary ---------------------------------------------------------------------


def test_a_refused_sign_in_opens_on_a_summary_linking_the_field(client, world):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "error-summary" not in page  # nothing refused yet
    refused = client.post(
        "/auth/login",
        data={"email": world.member.email, "password": "wrong", "csrf_token": csrf_token(page)},
    ).get_data(as_text=True)
    summary = _summary(refused)
    assert 'tabindex="-1"' in summary and "data-error-summary" in summary
    assert _links(summary) == [("password", "Password: Email or password is not right.")]
    assert 'id="password"' in refused  # the link's target exists
    assert "1 problem to fix" in summary


def test_the_summary_names_each_table_cell_by_its_row(client, session, world):
    """Row 2 of the submission table has emissions "lots" and row 1 a year 20x0: the summary
    links both cells, named as the table's own labels name them."""
    sign_in(client, world.member.email)
    url = f"/companies/{world.alpha.id}/submissions/new"
    page = client.get(url).get_data(as_text=True)
    data = form_fields(page, containing="rows-0-year") | {
        "submit": "1",
        "activity_unit": "t Steel",
        "rows-0-year": "20x0",
        "rows-0-activity": "100",
        "rows-0-emissions": "250",
        "rows-1-activity": "100",
        "rows-1-emissions": "lots",
    }
    refused = client.post(url, data=data)
    assert refused.status_code == 422
    links = _links(_summary(refused.get_data(as_text=True)))
    assert ("rows-0-year", "Year, row 1: not a number") in links
    assert ("rows-1-emissions", "Emissions, row 2: not a number") in links
    assert session.exec(select(Submission)).all() == []


def test_a_refused_platform_edit_links_its_fields(client, session, world):
    sign_in(client, world.coordinator.email)
    page = client.get("/platforms/steel/edit").get_data(as_text=True)
    data = form_fields(page, containing="name") | {"name": "", "net_zero_year": "twenty"}
    refused = client.post("/platforms/steel/edit", data=data)
    assert refused.status_code == 422
    links = dict(_links(_summary(refused.get_data(as_text=True))))
    assert links["name"] == "Name: This field is required."
    assert links["net_zero_year"].startswith("Net-zero year: ")


def test_a_rejection_without_reason_links_the_reason(client, session, world):
    stored = _store(session, world, ALPHA, accept=False)
    sign_in(client, world.coordinator.email)
    page = client.get(f"/submissions/{stored.id}").get_data(as_text=True)
    refused = client.post(
        f"/submissions/{stored.id}/review",
        data={"csrf_token": csrf_token(page), "decision": "reject"},
    )
    assert refused.status_code == 422
    assert _links(_summary(refused.get_data(as_text=True))) == [
        (
            "reason",
            "Message (required to request changes or reject): Say why the submission is rejected.",
        )
    ]


def test_forms_script_is_served_and_loaded_by_every_page(client, world):
    with client.get("/static/forms.js") as script:
        assert script.status_code == 200
        assert b"[data-error-summary]" in script.data and b".focus()" in script.data
    assert 'src="/static/forms.js"' in client.get("/").get_data(as_text=True)


# --- success messages ----------------------------------------------------------------------


def test_each_change_to_a_platform_says_it_was_made(client, session, world):
    sign_in(client, world.coordinator.email)
    token = csrf_token(client.get("/platforms/steel").get_data(as_text=True))
    added = client.post(
        "/platforms/steel/records/policy",
        data={"csrf_token": token, "rule": "Green steel standard", "jurisdiction": "EU",
              "status": "proposed"},
    )  # fmt: skip
    assert _flashes(_follow(client, added)) == ["Policy ask added."]
    page = client.get("/platforms/steel/edit").get_data(as_text=True)
    saved = client.post(
        "/platforms/steel/edit", data=form_fields(page, containing="name") | {"name": "Steel"}
    )
    assert _flashes(_follow(client, saved)) == ["Steel saved."]


def test_creating_a_token_says_so(client, world):
    sign_in(client, world.member.email)
    page = client.get("/account/tokens").get_data(as_text=True)
    made = client.post(
        "/account/tokens", data={"csrf_token": csrf_token(page), "name": "reporting script"}
    ).get_data(as_text=True)
    assert _flashes(made) == ["Token reporting script created."]


# --- confirmation before what cannot be undone --------------------------------------------


def _confirm_page(html: str) -> dict[str, str]:
    """The fields the confirmation page's Confirm button posts."""
    fields = form_fields(html, containing="confirmed")
    assert fields["confirmed"] == "yes" and fields["csrf_token"]
    return fields


def test_revoking_a_token_asks_first_then_revokes(client, session, world):
    token, _ = account_operations.create_api_token(world.member, "nightly", session=session)
    session.commit()
    sign_in(client, world.member.email)
    page = client.get("/account/tokens").get_data(as_text=True)
    url = f"/account/tokens/{token.id}/revoke"
    asked = client.post(url, data={"csrf_token": csrf_token(page)})
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert "<h1>Revoke the API token nightly?</h1>" in html
    assert f'action="{url}"' in html and 'href="/account/tokens">Cancel</a>' in html
    session.expire_all()
    assert session.get(ApiToken, token.id).revoked_at is None  # asking changed nothing
    done = client.post(url, data=_confirm_page(html))
    assert _flashes(_follow(client, done)) == ["Token nightly revoked."]
    session.expire_all()
    assert session.get(ApiToken, token.id).revoked_at is not None


def test_revoking_a_consultants_access_asks_first(client, session, world):
    consultant = account_operations.create_user(
        session=session, email="adviser@example.org", password=PASSWORD, role="consultant"
    )
    grant = account_operations.grant_consultant(
        world.alpha.id, consultant, granted_by=world.member, session=session
    )
    session.commit()
    sign_in(client, world.member.email)
    page = client.get(f"/companies/{world.alpha.id}").get_data(as_text=True)
    url = f"/companies/{world.alpha.id}/grants/{grant.id}/revoke"
    asked = client.post(url, data={"csrf_token": csrf_token(page)}).get_data(as_text=True)
    assert "Revoke adviser@example.org&#39;s access to Alpha?" in asked
    session.expire_all()
    assert session.get(ConsultantGrant, grant.id).revoked_at is None
    done = client.post(url, data=_confirm_page(asked))
    assert _flashes(_follow(client, done)) == [
        "adviser@example.org can no longer read Alpha&#39;s submissions and results."
    ]
    session.expire_all()
    assert session.get(ConsultantGrant, grant.id).revoked_at is not None


def test_rejecting_asks_first_and_carries_the_reason_through(client, session, world):
    stored = _store(session, world, ALPHA, accept=False)
    sign_in(client, world.coordinator.email)
    page = client.get(f"/submissions/{stored.id}").get_data(as_text=True)
    asked = client.post(
        f"/submissions/{stored.id}/review",
        data={"csrf_token": csrf_token(page), "decision": "reject", "reason": "2030 missing"},
    ).get_data(as_text=True)
    assert "Reject version 1 of Alpha?" in asked and "2030 missing" in asked
    fields = _confirm_page(asked)
    assert (fields["decision"], fields["reason"]) == ("reject", "2030 missing")
    done = client.post(f"/submissions/{stored.id}/review", data=fields)
    assert _flashes(_follow(client, done)) == ["Version 1 of Alpha rejected."]
    session.expire_all()
    assert session.get(Submission, stored.id).review_reason == "2030 missing"


def test_accepting_needs_no_confirmation(client, session, world):
    stored = _store(session, world, ALPHA, accept=False)
    sign_in(client, world.coordinator.email)
    page = client.get(f"/submissions/{stored.id}").get_data(as_text=True)
    done = client.post(
        f"/submissions/{stored.id}/review",
        data={"csrf_token": csrf_token(page), "decision": "accept", "reason": ""},
    )
    assert _flashes(_follow(client, done)) == ["Version 1 of Alpha accepted."]


def test_advancing_a_stage_asks_first_then_says_so(client, session, world):
    world.platform.vision, world.platform.net_zero_year = "Near-zero steel", 2050
    session.add(world.platform)
    for _ in range(3):
        SignatoryFactory(platform_id=world.platform.id)
    session.commit()
    sign_in(client, world.coordinator.email)
    page = client.get("/platforms/steel").get_data(as_text=True)
    asked = client.post("/platforms/steel/advance", data={"csrf_token": csrf_token(page)})
    html = asked.get_data(as_text=True)
    assert "Advance Steel to stage 2?" in html
    assert "from stage 1 (Shared vision) to stage 2 (Roadmaps and metrics)" in html
    session.expire_all()
    assert session.get(Platform, world.platform.id).stage == 1
    done = client.post("/platforms/steel/advance", data=_confirm_page(html))
    assert _flashes(_follow(client, done)) == ["Steel is now in stage 2: Roadmaps and metrics."]


def test_a_confirmation_without_its_csrf_token_changes_nothing(client, session, world):
    token, _ = account_operations.create_api_token(world.member, "nightly", session=session)
    session.commit()
    sign_in(client, world.member.email)
    refused = client.post(f"/account/tokens/{token.id}/revoke", data={"confirmed": "yes"})
    assert refused.status_code == 400
    session.expire_all()
    assert session.get(ApiToken, token.id).revoked_at is None


# --- assets: a favicon, and nothing a page asks for is missing -----------------------------


class _Assets(HTMLParser):
    """Every address a page makes the browser fetch by itself: scripts, stylesheets, icons,
    images."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "img") and a.get("src"):
            self.found.add(str(a["src"]))
        elif tag == "link" and a.get("href"):
            self.found.add(str(a["href"]))


def _assets(html: str) -> set[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.found


def test_favicon_is_served_at_both_addresses(client):
    for url in ("/favicon.ico", "/static/favicon.svg"):
        with client.get(url) as response:
            assert response.status_code == 200
            assert response.mimetype == "image/svg+xml"
            assert response.data.startswith(b"<svg")
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_no_main_page_asks_for_a_missing_asset(client, session, world, who):
    stored = _store(session, world, ALPHA, accept=True)
    sign_in(client, getattr(world, who).email)
    pages = [
        "/",
        "/platforms/",
        "/platforms/steel",
        "/platforms/steel/dashboard",
        "/companies/",
        f"/companies/{world.alpha.id}",
        f"/companies/{world.alpha.id}/report",
        f"/submissions/{stored.id}",
        "/benchmark/",
        "/account/tokens",
    ]
    if who == "member":
        pages += [
            f"/companies/{world.alpha.id}/submissions/new",
            f"/companies/{world.alpha.id}/submissions/upload",
        ]
    else:
        pages += ["/platforms/steel/edit", "/platforms/steel/pathways/new"]
    assets: set[str] = set()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assets |= _assets(response.get_data(as_text=True))
    assert {"/static/roadmap.css", "/static/forms.js", "/static/favicon.svg"} <= {
        urlsplit(a).path for a in assets
    }
    for asset in sorted(assets):
        parts = urlsplit(asset)
        assert not parts.netloc, f"{asset} is fetched from another site"
        with client.get(parts.path + (f"?{parts.query}" if parts.query else "")) as response:
            assert response.status_code == 200, asset


def test_a_review_without_decision_links_its_first_radio_button(client, session, world):
    stored = _store(session, world, ALPHA, accept=False)
    sign_in(client, world.coordinator.email)
    page = client.get(f"/submissions/{stored.id}").get_data(as_text=True)
    refused = client.post(f"/submissions/{stored.id}/review", data={"csrf_token": csrf_token(page)})
    html = refused.get_data(as_text=True)
    assert _links(_summary(html)) == [("decision-0", "Decision: This field is required.")]
    assert 'id="decision-0"' in html
