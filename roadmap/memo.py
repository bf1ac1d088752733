"""Results kept between requests, and reads kept for one database session.

``Memo`` holds values per database engine (so two apps on two databases never share), shared
by the threads of one process, within a budget of table rows. ``per_session`` keeps a small
read (a "stamp" of what a result depends on) until the session writes, commits or rolls back.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

T = TypeVar("T")


class Memo:
    """A least-recently-used store per database engine holding at most ``budget`` table rows
    (``weight`` of each value) per engine. Values are treated as read-only by every caller."""

    def __init__(self, budget: int, weight: Callable[[Any], int] | None = None) -> None:
        self.budget, self.weight = budget, weight or rows
        self.lock = threading.Lock()
        self.stores: weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, Any]] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, session: Session, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept under ``key`` for the session's database, else ``make()`` kept."""
        engine = engine_of(session)
        with self.lock:
            store = self.stores.setdefault(engine, OrderedDict())
            if key in store:
                store.move_to_end(key)
                return store[key]  # type: ignore[no-any-return]
        value = make()
        with self.lock:
            store[key] = value
            while len(store) > 1 and sum(map(self.weight, store.values())) > self.budget:
                store.popitem(last=False)
        return value


def rows(value: Any) -> int:
    """The rows a kept value holds (a DataFrame, or an object whose ``results`` is one); at
    least 1, so that empty results count too."""
    frame = getattr(value, "results", value)
    return max(1, len(frame)) if isinstance(frame, pd.DataFrame) else 1


def engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


_PER_SESSION = "roadmap.memo.per_session"


def per_session(session: Session, key: Hashable, make: Callable[[], T]) -> T:
    """``make()``, read once per database session until it flushes, commits or rolls back
    (a dashboard asks for the same stamp several times per request)."""
    kept = session.info.setdefault(_PER_SESSION, {})
    if key not in kept:
        kept[key] = make()
    return kept[key]  # type: ignore[no-any-return]


@event.listens_for(OrmSession, "after_flush")
@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession, *_: Any) -> None:
    session.info.pop(_PER_SESSION, None)
