"""/api/v1/sectors: the sectors with their units (anyone), and a new sector (admins, and
coordinators an admin allowed), with the same rules and operation as the page."""

from __future__ import annotations

from flask import request

from roadmap.accounts import access
from roadmap.api import schemas
from roadmap.api.views import ApiError, JsonResponse, answer, bp, parsed, require_user
from roadmap.db import commit_retrying, get_session
from roadmap.domain.errors import Problem
from roadmap.domain.new_sector import new_sector
from roadmap.extensions import current_viewer
from roadmap.sectors import operations, queries
from roadmap.sectors.stored_units import aliases_of, learn_stored_units

# The form's field names, as the API's body names them.
_FIELDS = {"unit": "product_unit"}


@bp.get("/sectors")
def list_sectors() -> JsonResponse:
    rows = queries.sector_rows(session=get_session())
    return answer(schemas.SectorList, [_sector_json(row) for row in rows])


@bp.post("/sectors")
def create_sector() -> JsonResponse:
    user = require_user()
    if not access.can_create_sector(current_viewer()):
        raise ApiError(403, "only admins, and coordinators an admin allowed, create sectors")
    body = parsed(
        schemas.SectorRequest,
        request.get_json(silent=True),
        'send JSON {"name": ..., "product_unit": ...}',
    )
    spec = new_sector(
        body.name, body.product_unit, body.activity_unit, body.intensity_unit, tuple(body.aliases)
    )
    session = get_session()
    try:
        sector = commit_retrying(
            session, lambda: operations.create_sector(spec, user=user, session=session)
        )
    except operations.SectorRefused as refused:
        session.rollback()
        problems = [
            Problem("request", None, _FIELDS.get(field, field), message)
            for field, message in refused.problems
        ]
        raise ApiError(422, "the sector was not created", problems) from refused
    learn_stored_units(session.connection())
    row = queries.sector_row(sector.id, session=session)  # type: ignore[arg-type]
    return answer(schemas.Sector, _sector_json(row), 201)


def _sector_json(row: queries.SectorRow | None) -> dict:
    assert row is not None
    unit = row.unit
    return {
        "id": row.sector.id,
        "name": row.sector.name,
        "intensity_unit": row.sector.intensity_unit,
        "built_in": unit is None,
        "product_unit": unit.name if unit else None,
        "dimension": unit.dimension if unit else None,
        "aliases": aliases_of(unit.aliases) if unit else [],
        "activity_unit": unit.activity_unit if unit else None,
        "scenarios": row.scenarios,
    }
