"""The directory's rules without a database: what matches a need, the neutral order, links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from roadmap.domain import providers as rules
from roadmap.domain.providers import NeedKey, OfferKey


@dataclass(frozen=True)
class Item:
    id: int
    name: str


ITEMS = [Item(1, "beta"), Item(2, "Alpha"), Item(3, "  gamma"), Item(4, "alpha")]


def order(kind: str, seed: str | None = None) -> list[int]:
    found = rules.neutral_order(
        ITEMS, name=lambda i: i.name, ident=lambda i: i.id, order=kind, seed=seed
    )
    return [i.id for i in found]


def test_alphabetical_ignores_case_and_blanks_and_ties_by_id():
    # "Alpha" and "alpha" are one key; then the exact spelling ("A" before "a"), then the id.
    assert order("name") == [2, 4, 1, 3]


def test_a_seed_gives_one_order_and_seeds_give_different_orders():
    first = order("random", "0000abcd")
    assert order("random", "0000abcd") == first  # stable while the visitor pages and filters
    assert sorted(first) == [1, 2, 3, 4]  # nobody dropped
    seen = {tuple(order("random", f"{n:08x}")) for n in range(40)}
    # Every provider comes first under some seed: no place is fixed.
    assert {ids[0] for ids in seen} == {1, 2, 3, 4}


def test_a_random_order_needs_a_seed():
    with pytest.raises(ValueError, match="needs a seed"):
        order("random", None)


@pytest.mark.parametrize(
    ("seed", "kept"),
    [("0123abcd", "0123abcd"), ("0123ABCD", None), ("0123abc", None), ("zz", None), (None, None)],
)
def test_only_a_seed_the_pages_make_is_kept(seed, kept):
    assert rules.clean_seed(seed) == kept
    assert rules.clean_seed(rules.new_seed()) is not None


STEEL, GLASS = 1, 2


@pytest.mark.parametrize(
    ("offer", "need", "matches", "exact"),
    [
        (OfferKey("target setting", STEEL), NeedKey("target setting", STEEL), True, True),
        (OfferKey("target setting", None), NeedKey("target setting", GLASS), True, True),
        (OfferKey("target setting", GLASS), NeedKey("target setting", STEEL), False, False),
        # the same stage (4), another service: shown, but not as the service asked for
        (OfferKey("labelling", STEEL), NeedKey("financing blueprints", STEEL), True, False),
        (OfferKey("research", None), NeedKey("financing blueprints", GLASS), True, False),
        # another stage
        (OfferKey("roadmap modelling", STEEL), NeedKey("target setting", STEEL), False, False),
    ],
)
def test_an_offer_matches_a_need_of_its_stage_in_its_sector(offer, need, matches, exact):
    assert rules.matches(offer, need) is matches
    assert rules.exact(offer, need) is exact


def test_every_stage_has_a_service_and_each_service_one_stage():
    assert {s.stage for s in rules.SERVICES.values()} == {1, 2, 3, 4}
    assert rules.services_of_stage(4) == ["financing blueprints", "labelling", "research"]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", None),
        ("https://example.org/report", None),
        ("http://example.org", None),
        ("javascript:alert(1)", "give a full web address starting with https:// or http://"),
        ("file:///etc/passwd", "give a full web address starting with https:// or http://"),
        ("example.org", "give a full web address starting with https:// or http://"),
        ("https://", "give a full web address starting with https:// or http://"),
        ("https://example.org/a b", "a web address has no spaces"),
        ("https://example.org/" + "a" * 500, "at most 500 characters"),
    ],
)
def test_only_web_addresses_are_links(url, problem):
    assert rules.url_problem(url) == problem


def test_a_need_is_not_due_in_the_past():
    today = date(2026, 12, 2)
    assert rules.due_problem(date(2026, 12, 1), today) == "a date from today (2026-12-02) on"
    assert rules.due_problem(today, today) is None
    assert rules.due_problem(None, today) is None
