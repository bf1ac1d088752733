"""The unit registry's hook into the app: a unit string it cannot read makes it look for
stored sectors' units in the app's database, once per request (or command) and registry
(roadmap/sectors/stored_units.py says why and how)."""

from __future__ import annotations

from flask import Flask, current_app, g, has_app_context, has_request_context, request

from roadmap.db import get_engine
from roadmap.domain import units
from roadmap.sectors.stored_units import look_again


def init_app(app: Flask) -> None:
    """Let the unit registry ask the current app's database for units it does not know. One
    hook serves every app of the process: it reads the app whose context is current."""
    units.on_unknown_unit(_look_again)


def _look_again() -> bool:
    if not has_app_context():
        return False
    looked = request.environ if has_request_context() else g.__dict__
    return look_again(get_engine(current_app), looked)
