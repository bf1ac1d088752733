"""A listing's history: who listed it, edited which field from what to what, added or removed
an offer or a keeper, and when; read by its keepers and admins only."""

from __future__ import annotations

from sqlmodel import select

from roadmap.models import ProviderChange
from tests.providers.conftest import Market
from tests.providers.test_views import second_browser
from tests.world import csrf_token, sign_in


def _history(session, provider_id: int) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(who's email or "system", what, detail) oldest first."""
    changes = session.exec(
        select(ProviderChange)
        .where(ProviderChange.provider_id == provider_id)
        .order_by(ProviderChange.id)
    ).all()
    return [(c.user.email if c.user else "system", c.what, c.detail) for c in changes]


def test_each_change_of_a_listing_is_kept_with_who_and_what(client, session, market: Market):
    kilnworks = market.kilnworks
    sign_in(client, market.kiln_keeper.email)
    page = client.get(f"/providers/{kilnworks.id}/edit").get_data(as_text=True)
    edited = {
        "csrf_token": csrf_token(page),
        "name": "Kilnworks",
        "kind": "research body",
        "description": "Kilnworks helps.",
        "website": "https://kilnworks.example.org",
        "contact_email": "",
    }
    assert client.post(f"/providers/{kilnworks.id}/edit", data=edited).status_code == 302
    # Saved again unchanged: nothing to keep.
    assert client.post(f"/providers/{kilnworks.id}/edit", data=edited).status_code == 302
    client.post(
        f"/providers/{kilnworks.id}/offers",
        data={
            "csrf_token": csrf_token(page),
            "service": "research",
            "sector": "0",  # every sector
            "evidence_url": "https://kilnworks.example.org/report",
        },
    )
    offer = next(c for c in session.exec(select(ProviderChange)).all() if "Research" in c.what)
    assert offer.detail == "evidence: https://kilnworks.example.org/report"
    client.post(
        f"/providers/{kilnworks.id}/keepers",
        data={"csrf_token": csrf_token(page), "email": market.outsider.email},
    )
    client.post(
        f"/providers/{kilnworks.id}/keepers/{market.outsider.id}/remove",
        data={"csrf_token": csrf_token(page)},
    )
    kiln = market.kiln_keeper.email
    assert _history(session, kilnworks.id) == [
        (kiln, "Listed Kilnworks", ""),
        (kiln, "Added an offer: Roadmap modelling in Glass", ""),
        (
            kiln,
            "Edited the listing",
            "kind: consultancy -> research body\n"
            "website: https://example.org -> https://kilnworks.example.org",
        ),
        (kiln, "Added an offer: Research and development in every sector", offer.detail),
        (kiln, f"Added a keeper: {market.outsider.email}", ""),
        (kiln, f"Removed a keeper: {market.outsider.email}", ""),
    ]
    history = client.get(f"/providers/{kilnworks.id}/history").get_data(as_text=True)
    assert "History of the listing of Kilnworks" in history
    # Each line of an edit on a line of its own, escaped once.
    assert "kind: consultancy -&gt; research body<br>website: https://example.org" in history
    # newest first
    assert history.index("Removed a keeper") < history.index("Listed Kilnworks")


def test_only_keepers_and_admins_read_a_listings_history(client, app, market: Market):
    url = f"/providers/{market.northbridge.id}/history"
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    assert second_browser(app, market.kiln_keeper.email).get(url).status_code == 403
    assert second_browser(app, market.alpha_member.email).get(url).status_code == 403
    assert second_browser(app, market.north_keeper.email).get(url).status_code == 200
    assert second_browser(app, market.admin.email).get(url).status_code == 200


def test_a_keeper_who_leaves_is_said_to_have_left(client, session, market: Market):
    sign_in(client, market.north_keeper.email)
    page = client.get(f"/providers/{market.northbridge.id}").get_data(as_text=True)
    client.post(
        f"/providers/{market.northbridge.id}/keepers",
        data={"csrf_token": csrf_token(page), "email": market.outsider.email},
    )
    other = second_browser(client.application, market.outsider.email)
    page = other.get(f"/providers/{market.northbridge.id}").get_data(as_text=True)
    left = other.post(
        f"/providers/{market.northbridge.id}/keepers/{market.outsider.id}/remove",
        data={"csrf_token": csrf_token(page)},
    )
    assert left.status_code == 302
    session.expire_all()
    assert _history(session, market.northbridge.id)[-1] == (
        market.outsider.email,
        "Left as a keeper",
        "",
    )
