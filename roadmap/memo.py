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
        # The weight each store holds, kept as values come and go (not summed per insert).
        self.totals: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()

    def get(self, session: Session, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept under ``key`` for the session's database, else ``make()`` kept."""
        return self.get_many(session, [key], lambda missing: {key: make()})[key]

    def get_many(
        self,
        session: Session,
        keys: list[Hashable],
        make: Callable[[list[Hashable]], dict[Hashable, T]],
        keep: Callable[[T], bool] | None = None,
    ) -> dict[Hashable, T]:
        """The values kept under ``keys``; those not kept are made by one call of
        ``make(missing keys)`` (which returns them by key) and kept, where ``keep`` (if
        given) says so."""
        engine = engine_of(session)
        found: dict[Hashable, T] = {}
        with self.lock:
            store = self.stores.setdefault(engine, OrderedDict())
            for key in keys:
                if key in store:
                    store.move_to_end(key)
                    found[key] = store[key]
        missing = [key for key in keys if key not in found]
        if not missing:
            return found
        made = make(missing)
        with self.lock:
            store = self.stores.setdefault(engine, OrderedDict())
            total = self.totals.get(engine, 0)
            for key in missing:
                if keep is not None and not keep(made[key]):
                    continue
                if key in store:  # another thread made it meanwhile: the newer one is kept
                    total -= self.weight(store.pop(key))
                store[key] = made[key]
                total += self.weight(made[key])
            while len(store) > 1 and total > self.budget:
                total -= self.weight(store.popitem(last=False)[1])
            self.totals[engine] = total
        return found | {key: made[key] for key in missing}


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
