"""The directory's pages: listing in a neutral order with filters, a keeper's edits, and a need
from its posting to an accepted answer, with the email each step sends."""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient
from sqlmodel import select

from roadmap.models import ConsultantGrant, Need, NeedAnswer, Provider, ProviderOffer
from roadmap.notifications.mail import wait_for_mail
from tests import factories
from tests.mail_server import send_mail_to
from tests.providers.conftest import Market
from tests.world import csrf_token, sign_in

BASE_URL = "https://roadmap.example.test"


class OwnContext(FlaskClient):
    """A second person's browser in one test: each request in an application context of its
    own, so it shares no ``g`` (signed-in user, CSRF token) with the test's context."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self.application.app_context():
            return super().open(*args, **kwargs)


def second_browser(app, email: str) -> FlaskClient:  # type: ignore[no-untyped-def]
    client = OwnContext(app, app.response_class, use_cookies=True)
    sign_in(client, email)
    return client


def names(page: str) -> list[str]:
    """The providers' names in the order the directory lists them."""
    return re.findall(r'<h2><a href="/providers/\d+">([^<]+)</a></h2>', page)


def test_the_directory_is_open_to_everyone_in_alphabetical_order(client, market):
    page = client.get("/providers/").get_data(as_text=True)
    assert names(page) == ["Capital Facility", "Kilnworks", "Northbridge"]
    assert "3 providers,\n    in alphabetical order." in page
    # each offer with its stage and sector
    assert 'Target setting <span class="hint">(stage 3)</span>, Steel' in page
    assert 'Financing blueprints <span class="hint">(stage 4)</span>, every sector' in page


def test_a_random_order_is_kept_by_its_seed_and_changed_by_another(client, market):
    orders = set()
    for n in range(30):
        seed = f"{n:08x}"
        first = names(client.get(f"/providers/?order=random&seed={seed}").get_data(as_text=True))
        again = names(client.get(f"/providers/?order=random&seed={seed}").get_data(as_text=True))
        assert first == again and sorted(first) == ["Capital Facility", "Kilnworks", "Northbridge"]
        orders.add(first[0])
    assert orders == {"Capital Facility", "Kilnworks", "Northbridge"}  # anyone may come first
    # Without a seed the page makes one and keeps it in the filter form and its links.
    page = client.get("/providers/?order=random").get_data(as_text=True)
    assert re.search(r'<input type="hidden" name="seed" value="[0-9a-f]{8}">', page)
    assert "in a random order for this visit" in page


def test_filters_by_stage_sector_kind_and_text(client, market):
    def listed(query: str) -> list[str]:
        return names(client.get(f"/providers/?{query}").get_data(as_text=True))

    assert listed("stage=3") == ["Northbridge"]
    # Glass: Kilnworks' own offer, and the offers made in every sector
    assert listed(f"sector={market.glass.id}") == ["Capital Facility", "Kilnworks", "Northbridge"]
    assert listed(f"stage=2&sector={market.steel.id}") == []
    assert listed("service=financing+blueprints") == ["Capital Facility"]
    assert listed("kind=financier") == ["Capital Facility"]
    assert listed("q=KILN") == ["Kilnworks"]
    assert listed("q=%25") == []  # a LIKE wildcard is a character like any other
    # values that are no choice are left out rather than refused
    assert listed("stage=9&kind=bank&sector=x") == ["Capital Facility", "Kilnworks", "Northbridge"]


def test_a_consultant_lists_a_provider_and_keeps_it(client, session, market):
    sign_in(client, market.outsider.email)
    form = client.get("/providers/new").get_data(as_text=True)
    refused = client.post(
        "/providers/new",
        data={
            "csrf_token": csrf_token(form),
            "name": "  NORTHBRIDGE ",
            "kind": "consultancy",
            "website": "javascript:alert(1)",
        },
    )
    assert refused.status_code == 422
    text = unescape(refused.get_data(as_text=True))
    assert "Organisation name: Northbridge is listed already" in text
    assert "Website (optional): give a full web address starting with https:// or http://" in text
    made = client.post(
        "/providers/new",
        data={
            "csrf_token": csrf_token(form),
            "name": "Glassworks  Research",
            "kind": "research body",
            "website": "https://example.org/glass",
        },
    )
    assert made.status_code == 302
    provider = session.exec(select(Provider).where(Provider.key == "glassworks research")).one()
    assert made.headers["Location"] == f"/providers/{provider.id}"
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    offered = client.post(
        f"/providers/{provider.id}/offers",
        data={
            "csrf_token": csrf_token(page),
            "service": "research",
            "sector": str(market.glass.id),
            "evidence_url": "https://example.org/glass/furnaces",
        },
    )
    assert offered.status_code == 302
    again = client.post(
        f"/providers/{provider.id}/offers",
        data={
            "csrf_token": csrf_token(page),
            "service": "research",
            "sector": str(market.glass.id),
        },
    )
    assert again.status_code == 422
    assert "this service is offered in that sector already" in unescape(
        again.get_data(as_text=True)
    )
    offers = session.exec(select(ProviderOffer).where(ProviderOffer.provider_id == provider.id))
    assert [(o.service, o.sector_id) for o in offers] == [("research", market.glass.id)]
    # Another keeper may join; the last one cannot leave.
    added = client.post(
        f"/providers/{provider.id}/keepers",
        data={"csrf_token": csrf_token(page), "email": market.kiln_keeper.email},
    )
    assert added.status_code == 302
    client.post(
        f"/providers/{provider.id}/keepers/{market.kiln_keeper.id}/remove",
        data={"csrf_token": csrf_token(page)},
    )
    client.post(
        f"/providers/{provider.id}/keepers/{market.outsider.id}/remove",
        data={"csrf_token": csrf_token(page)},
    )
    page = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert "The last keeper cannot leave: delete the listing instead." in unescape(page)
    # Another consultant may not touch the listing.
    other = second_browser(client.application, market.north_keeper.email)
    assert other.get(f"/providers/{provider.id}/edit").status_code == 403


def test_deleting_a_listing_asks_first(client, session, market):
    sign_in(client, market.kiln_keeper.email)
    page = client.get(f"/providers/{market.kilnworks.id}").get_data(as_text=True)
    asked = client.post(
        f"/providers/{market.kilnworks.id}/delete", data={"csrf_token": csrf_token(page)}
    )
    assert asked.status_code == 200 and "Delete the listing of Kilnworks" in asked.get_data(
        as_text=True
    )
    assert session.get(Provider, market.kilnworks.id) is not None
    done = client.post(
        f"/providers/{market.kilnworks.id}/delete",
        data={"csrf_token": csrf_token(page), "confirmed": "yes"},
    )
    assert done.status_code == 302
    session.expire_all()
    assert session.get(Provider, market.kilnworks.id) is None


def test_a_need_from_posting_to_an_accepted_answer(app, smtp, client, session, market: Market):
    send_mail_to(app, smtp, BASE_URL)
    sign_in(client, market.alpha_member.email)
    form = client.get("/needs/new").get_data(as_text=True)
    assert f'<option value="company:{market.alpha.id}">Alpha</option>' in form
    assert f"company:{market.beta.id}" not in form
    posted = client.post(
        "/needs/new",
        data={
            "csrf_token": csrf_token(form),
            "poster": f"company:{market.alpha.id}",
            "title": "DRI plant finance",
            "service": "financing blueprints",
            "sector": str(market.steel.id),
            "needed_by": "2099-06-30",
            "anonymous": "y",
        },
    )
    assert posted.status_code == 302
    need = session.exec(select(Need)).one()
    assert posted.headers["Location"] == f"/needs/{need.id}"
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    # The poster sees who matches: Capital offers the very service; nobody else offers stage 4.
    assert "<h3>Offering financing blueprints</h3>" in page
    assert names_in_cards(page) == ["Capital Facility"]
    assert wait_for_mail(app)
    (told,) = smtp.inbox.to(market.capital_keeper.email)
    assert told["Subject"] == ("A need for financing blueprints in Steel: DRI plant finance")
    body = told.get_content().replace("\r\n", "\n")
    assert "A company in Steel (name withheld) posted a need" in body
    assert "Alpha" not in body
    assert f"Read it and answer: {BASE_URL}/needs/{need.id}\n" in body
    assert smtp.inbox.to(market.north_keeper.email) == []

    keeper = second_browser(app, market.capital_keeper.email)
    seen = keeper.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "A company in Steel (name withheld)" in seen and "Alpha" not in seen
    answered = keeper.post(
        f"/needs/{need.id}/answers",
        data={
            "csrf_token": csrf_token(seen),
            "provider": str(market.capital.id),
            "message": "A term sheet in four weeks.",
        },
    )
    assert answered.status_code == 302
    answer = session.exec(select(NeedAnswer)).one()
    assert wait_for_mail(app)
    (reply,) = smtp.inbox.to(market.alpha_member.email)
    assert reply["Subject"] == ("Capital Facility answered your need: DRI plant finance")

    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "A term sheet in four weeks." in page
    assert f'id="grant-{answer.id}"' in page  # the consultant who answered may be given access
    decided = client.post(
        f"/needs/{need.id}/answers/{answer.id}/decide",
        data={"csrf_token": csrf_token(page), "decision": "accept", "grant_access": "y"},
    )
    assert decided.status_code == 302
    session.expire_all()
    assert session.get(NeedAnswer, answer.id).status == "accepted"  # type: ignore[union-attr]
    grant = session.exec(select(ConsultantGrant)).one()
    assert (grant.company_id, grant.consultant_id, grant.granted_by_id) == (
        market.alpha.id,
        market.capital_keeper.id,
        market.alpha_member.id,
    )
    assert wait_for_mail(app)
    subjects = sorted(m["Subject"] for m in smtp.inbox.to(market.capital_keeper.email))
    assert subjects == [
        "A need for financing blueprints in Steel: DRI plant finance",
        "Alpha granted you read access",
        "Your answer was accepted: DRI plant finance",
    ]
    # Accepted: the company is named to this provider now, and its page opens to them.
    seen = keeper.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "<dt>For</dt><dd>Alpha</dd>" in seen
    assert keeper.get(f"/companies/{market.alpha.id}").status_code == 200
    # The poster closes the need; it leaves the open list.
    closed = client.post(
        f"/needs/{need.id}/status", data={"csrf_token": csrf_token(page), "status": "met"}
    )
    assert closed.status_code == 302
    assert "DRI plant finance" not in client.get("/needs/").get_data(as_text=True)
    assert "DRI plant finance" in client.get("/needs/?status=met").get_data(as_text=True)


def names_in_cards(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/providers/\d+">([^<]+)</a></h3>', page)


def test_the_need_page_of_a_keeper_of_no_matching_listing_is_not_found(client, session, market):
    sign_in(client, market.alpha_member.email)
    form = client.get("/needs/new").get_data(as_text=True)
    client.post(
        "/needs/new",
        data={
            "csrf_token": csrf_token(form),
            "poster": f"company:{market.alpha.id}",
            "title": "Glass roadmap",
            "service": "roadmap modelling",
            "sector": str(market.steel.id),
        },
    )
    need = session.exec(select(Need)).one()
    other = second_browser(
        client.application, market.kiln_keeper.email
    )  # roadmap modelling, but in Glass
    assert other.get(f"/needs/{need.id}").status_code == 404
    assert "Glass roadmap" not in other.get("/needs/").get_data(as_text=True)


def test_the_need_form_starts_on_the_posters_sector(client, session, market):
    # The coordinator's platform is on Steel; sectors are listed by name (Glass first).
    sign_in(client, market.coordinator.email)
    form = client.get("/needs/new").get_data(as_text=True)
    assert f'<option selected value="{market.steel.id}">Steel</option>' in form
    # A member whose company last submitted to a platform on Glass starts on Glass.
    glass_platform = factories.PlatformFactory(slug="glass", sector_id=market.glass.id)
    factories.SubmissionFactory(company_id=market.beta.id, platform_id=glass_platform.id)
    session.commit()
    member = second_browser(client.application, market.beta_member.email)
    form = member.get("/needs/new").get_data(as_text=True)
    assert f'<option selected value="{market.glass.id}">Glass</option>' in form


def test_a_refused_need_names_each_field_with_the_operations_rule(client, session, market):
    sign_in(client, market.alpha_member.email)
    form = client.get("/needs/new").get_data(as_text=True)
    refused = client.post(
        "/needs/new",
        data={
            "csrf_token": csrf_token(form),
            "poster": f"company:{market.beta.id}",  # not the member's company
            "title": "   ",
            "service": "target setting",
            "sector": str(market.steel.id),
            "detail": "x" * 2001,
        },
    )
    assert refused.status_code == 422
    text = unescape(refused.get_data(as_text=True))
    assert "Nothing was saved: 3 problems to fix" in text
    assert "Posted for: post for your own company or a platform you coordinate" in text
    assert "What support is needed, in a few words: say in a few words what support" in text
    assert "Detail (optional): at most 2000 characters" in text
    assert session.exec(select(Need)).all() == []
