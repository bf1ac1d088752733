"""The steel demo platform's ten fictional projects, loaded once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlmodel import select

from roadmap import seed
from roadmap.config import Defaults
from roadmap.models import Project


def test_the_demo_pipeline_is_loaded_once(session) -> None:  # type: ignore[no-untyped-def]
    seed.seed(Path(Defaults.DATA_DIR), session=session)
    session.commit()
    projects = session.exec(select(Project)).all()
    assert len(projects) == 10
    assert Counter(p.technology for p in projects) == {
        "hydrogen DRI-EAF": 4,
        "scrap EAF": 4,
        "BF-BOF with CCUS": 2,
    }
    assert Counter(p.status for p in projects)["cancelled"] == 1
    assert sum(not p.is_public for p in projects) == 2
    assert {p.start_year for p in projects} <= set(range(2024, 2036))
    assert all(p.name and p.company.name.endswith("(fictional)") for p in projects)
    seed.seed(Path(Defaults.DATA_DIR), session=session)  # again: nothing added
    session.commit()
    assert len(session.exec(select(Project)).all()) == 10
