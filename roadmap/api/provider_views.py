"""/api/v1/providers: the directory (anyone), in the page's neutral order, with the same
filters; /api/v1/providers/<id>: one listing; /api/v1/needs: the needs the caller may read."""

from __future__ import annotations

from datetime import UTC

from flask import request

from roadmap.api import provider_schemas as schemas
from roadmap.api.views import ApiError, JsonResponse, answer, bp, parsed, require_user
from roadmap.db import get_session
from roadmap.domain import providers as rules
from roadmap.extensions import current_viewer
from roadmap.providers import queries


@bp.get("/providers")
def list_providers() -> JsonResponse:
    query = parsed(schemas.DirectoryQuery, request.args.to_dict(), "bad query parameters")
    filters = queries.DirectoryFilter(
        stage=query.stage,
        service=query.service,
        sector_id=query.sector,
        kind=query.kind,
        text=" ".join(query.q.split()),
    )
    seed = rules.seed_for(query.order, query.seed)
    rows = queries.in_neutral_order(
        queries.provider_rows(filters, session=get_session()), query.order, seed
    )
    body = {"order": query.order, "seed": seed, "providers": [_provider(r) for r in rows]}
    return answer(schemas.Directory, body)


@bp.get("/providers/<int:provider_id>")
def get_provider(provider_id: int) -> JsonResponse:
    row = queries.provider_row(provider_id, session=get_session())
    if row is None:
        raise ApiError(404, "no such provider")
    return answer(schemas.Provider, _provider(row))


@bp.get("/needs")
def list_needs() -> JsonResponse:
    require_user()
    query = parsed(schemas.NeedQuery, request.args.to_dict(), "bad query parameters")
    rows = queries.need_rows(
        current_viewer(),
        session=get_session(),
        status=None if query.status == "all" else query.status,
    )
    return answer(schemas.NeedList, [_need(r) for r in rows])


def _provider(row: queries.ProviderRow) -> dict:
    p = row.provider
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "description": p.description,
        "website": p.website,
        "contact_email": p.contact_email,
        "stages": row.stages,
        "offers": [
            {
                "service": o.offer.service,
                "label": o.label,
                "stage": o.stage,
                "sector": o.sector or None,
                "evidence_url": o.offer.evidence_url,
                "note": o.offer.note,
            }
            for o in row.offers
        ],
    }


def _need(row: queries.NeedRow) -> dict:
    need = row.need
    return {
        "id": need.id,
        "title": need.title,
        "detail": need.detail,
        "service": need.service,
        "stage": row.stage,
        "sector": row.sector,
        "company": row.company or None,
        "platform": row.platform_slug or None,
        "needed_by": need.needed_by,
        "status": need.status,
        # SQLite gives back a naive time; every stored time is UTC.
        "posted_at": need.created_at.replace(tzinfo=need.created_at.tzinfo or UTC).isoformat(),
        "answers": row.answers if row.is_poster_side else None,
        "poster_side": row.is_poster_side,
    }
