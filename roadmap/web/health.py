"""``/healthz`` for load balancers and monitors: 200 while the database answers and is at the
code's newest migration, else 503 with the reason. One query, no session, no cookie."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

from roadmap.db import get_engine
from roadmap.migrate import health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    found = health(get_engine())
    body: dict[str, object] = {
        "status": "ok" if found.current else "unavailable",
        "database": "reachable" if found.reachable else "unreachable",
        "revision": found.revision,
        "head": found.head,
    }
    if found.problem:
        body["reason"] = found.problem
        current_app.logger.warning("health check: %s", found.problem)
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if found.current else 503
