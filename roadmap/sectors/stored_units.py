"""The product units of sectors made in the browser, known to the unit registry of every
process that reads the database: validation, reconciliation, exports and the API alike.

How a process comes to know them:

- ``create_app`` (which only registers) installs a hook in the unit registry
  (roadmap/web/units.py) and reads nothing: the database may not even exist yet.
- When a unit string cannot be read, the hook reads the stamp of the stored units (their count
  and largest id: units are only ever added, never changed) and, where it differs from what
  this process last defined from this database, defines them all (``define_product_unit`` is
  idempotent) and the string is read again. So the first request (or command) that needs
  "t Glass" learns it, in whichever gunicorn worker, whichever worker made the sector, and
  after a restart. The hook looks at most once per request or command: a unit no sector has
  costs one small query, not one per row.
- The process that makes a sector defines its unit at once (``learn_stored_units``).

Reading the stamp on every request would also work, but it costs a query on every page and
fails on a database without tables; a miss is rare and happens where units are needed.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from roadmap.domain import units
from roadmap.models import SectorUnit

logger = logging.getLogger("roadmap.units")

_LOOKED = "roadmap.sector_units_looked"
_lock = threading.RLock()
# Per database: the registry the stored units were last defined in, and their stamp then. A
# new registry (``units.forget_stored_units``, as after a restart) is a reason to define
# them again.
_defined: weakref.WeakKeyDictionary[Engine, tuple[Any, tuple[Any, ...]]] = (
    weakref.WeakKeyDictionary()
)


def aliases_of(text: str) -> list[str]:
    """The aliases stored as "Glas, Vitrum"."""
    return [a.strip() for a in text.split(",") if a.strip()]


def learn_stored_units(connection: Connection) -> list[str]:
    """Define every stored product unit the registry lacks; the names newly defined. A stored
    unit that clashes with one already defined (two databases read by one process, as tests
    do) is left out and logged, never redefined."""
    rows = connection.execute(
        select(SectorUnit.name, SectorUnit.aliases).order_by(SectorUnit.id)
    ).all()
    stamp = _stamp(connection)
    defined = []
    with _lock:
        for name, aliases in rows:
            try:
                if units.define_product_unit(name, aliases_of(aliases)):
                    defined.append(name)
            except units.UnitError as error:
                logger.warning("stored unit %s not defined: %s", name, error)
        _defined[connection.engine] = (units.registry(), stamp)
    return defined


def _stamp(connection: Connection) -> tuple[Any, ...]:
    return tuple(connection.execute(select(func.count(), func.max(SectorUnit.id))).one())


def look_again(engine: Engine, looked: dict[str, Any]) -> bool:
    """The registry's hook (roadmap/web/units.py calls it with the app's engine): True where
    stored units were defined that it lacked. ``looked`` is where the request (or command)
    keeps that it looked, so it looks once per request and registry."""
    if looked.get(_LOOKED) is units.registry():
        return False
    looked[_LOOKED] = units.registry()
    try:
        with engine.connect() as connection:
            with _lock:
                registry, stamp = _defined.get(engine, (None, None))
                if registry is units.registry() and stamp == _stamp(connection):
                    return False
            return bool(learn_stored_units(connection))
    except SQLAlchemyError as error:  # no database or no tables yet: the unit stays unknown
        logger.warning("stored units not read: %s", error)
        return False


def forget_learnt_units() -> bool:
    """Back to the built-in units alone, as a new process starts, if any stored units were
    read since the last time; True where there were (tests: one test's sectors never reach
    the next)."""
    with _lock:
        if not _defined:
            return False
        _defined.clear()
        units.forget_stored_units()
        return True
