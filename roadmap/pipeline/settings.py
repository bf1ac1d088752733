"""Writes of a platform's pipeline settings: its status weights and the utilisation that turns
projected capacity into expected supply. Each function takes ``session`` by keyword and
flushes; the caller (a view) commits once. Every change is kept in the platform's history."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from roadmap.domain.demand import check_utilisation
from roadmap.domain.pipeline import STATUSES, weights_with
from roadmap.models import PipelineWeight, Platform, User
from roadmap.pipeline.analysis import weights_for
from roadmap.platforms.history import changes_text, record_history


def save_settings(
    platform: Platform,
    *,
    weights: Mapping[str, float],
    utilisation: float,
    user: User | None,
    session: Session,
) -> list[str]:
    """Store the platform's weights and utilisation (checked: PipelineError or DemandError
    naming the problem, nothing stored). Returns what changed, as "name: old -> new"."""
    new_weights = weights_with(weights)
    utilisation = check_utilisation(utilisation)
    old_weights = weights_for(platform, session=session)
    changes = [
        (f"weight of {status}", old_weights[status], new_weights[status])
        for status in STATUSES
        if old_weights[status] != new_weights[status]
    ]
    if platform.supply_utilisation != utilisation:
        changes.append(("utilisation", platform.supply_utilisation, utilisation))
    if not changes:
        return []
    stored = {
        w.status: w
        for w in session.exec(
            select(PipelineWeight).where(PipelineWeight.platform_id == platform.id)
        ).all()
    }
    for status in STATUSES:
        row = stored.get(status) or PipelineWeight(platform_id=platform.id, status=status)
        row.weight = new_weights[status]
        session.add(row)
    platform.supply_utilisation = utilisation
    session.add(platform)
    session.flush()
    record_history(
        platform,
        "edited the pipeline's weights and utilisation",
        detail=changes_text(changes),
        user=user,
        session=session,
    )
    return [name for name, _, _ in changes]
