"""The demo directory: five fictional providers with their offers and one keeper, two needs
(a steel company's, answered; the glass coalition's, open), seeded once however often the
seed runs, and read as the demo users read them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import func, select

from roadmap.accounts.access import viewer_for
from roadmap.accounts.queries import user_by_email
from roadmap.config import Defaults
from roadmap.models import Need, NeedAnswer, Provider, ProviderMember, ProviderOffer
from roadmap.providers import queries
from roadmap.seed import seed


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_demo_directory_is_seeded_once(app, session):
    seed(Path(Defaults.DATA_DIR), session=session)
    session.commit()
    seed(Path(Defaults.DATA_DIR), session=session)  # a second run adds nothing
    session.commit()
    spec = json.loads((Path(Defaults.DATA_DIR) / "demo" / "providers.json").read_text())
    assert "made up" in spec["about"]
    assert all("(fictional)" in p["name"] for p in spec["providers"])
    assert (count(session, Provider), count(session, ProviderOffer)) == (5, 11)
    assert (count(session, Need), count(session, NeedAnswer)) == (2, 1)
    assert count(session, ProviderMember) == 1
    consultant = user_by_email("consultant@example.org", session=session)
    assert consultant is not None
    seen = queries.need_rows(viewer_for(consultant, session=session), session=session)
    # Northbridge (the consultant's) sets targets in Steel and facilitates visions anywhere:
    # it sees the steel company's need (which it answered), not the glass roadmap one.
    assert [r.need.title for r in seen] == [
        "A 2035 target aligned with the steel curve, ready for verification"
    ]
    coordinator = user_by_email("coordinator.glass@example.org", session=session)
    assert coordinator is not None
    (glass,) = queries.need_rows(viewer_for(coordinator, session=session), session=session)
    matches = sorted(
        (m.row.provider.name, m.exact)
        for m in queries.matching_providers(glass.need, session=session)
    )
    assert matches == [
        ("Institute for Low-Carbon Materials Research (fictional)", True),
        ("Kilnworks Decarbonisation Partners (fictional)", True),
    ]
