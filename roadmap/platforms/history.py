"""A platform's history: each entry says who did what and when, of which kind, and holds an
edit's ``field: old -> new`` lines or a decision's reason. Functions take ``session`` by
keyword and flush; the caller commits."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, SQLModel

from roadmap.domain.numbers import exact_text
from roadmap.models import HISTORY_KINDS, Company, HistoryEntry, Platform, User

# One change: the field, its old value, its new value.
Change = tuple[str, object, object]


def record_history(
    platform: Platform,
    what: str,
    *,
    user: User | None,
    session: Session,
    kind: str = "platform",
    detail: str = "",
) -> None:
    """Keep who changed what on a platform, and when; ``detail`` holds old -> new values or
    a decision's reason."""
    if kind not in HISTORY_KINDS:
        raise ValueError(f"unknown history kind {kind!r}")
    session.add(
        HistoryEntry(
            platform_id=platform.id,
            user_id=user.id if user else None,
            what=what[:500],
            kind=kind,
            detail=detail,
        )
    )
    session.flush()


def shown(value: object) -> str:
    """A value as the history shows it: numbers exactly as stored, nothing as "(none)"."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return exact_text(value)
    return str(value)


def changes_text(changes: list[Change]) -> str:
    """``field: old -> new`` for each change, one per line."""
    return "\n".join(f"{name}: {shown(old)} -> {shown(new)}" for name, old, new in changes)


def changes_of(record: SQLModel, values: dict[str, Any]) -> list[Change]:
    """(field, old, new) for each column of ``record`` that ``values`` changes."""
    return [
        (name, getattr(record, name), value)
        for name, value in values.items()
        if name in type(record).model_fields
        and name not in ("id", "platform_id")
        and getattr(record, name) != value
    ]


def named_companies(changes: list[Change], *, session: Session) -> list[Change]:
    """A company target's company by name in the history, not by id."""

    def name(company_id: object) -> object:
        company = session.get(Company, company_id) if company_id is not None else None
        return company.name if company else company_id

    return [
        ("company", name(old), name(new)) if field == "company_id" else (field, old, new)
        for field, old, new in changes
    ]


def year_changes(
    before: dict[int, tuple[float, float | None]], after: dict[int, tuple[float, float | None]]
) -> list[Change]:
    """A pathway's milestones that changed, as (``2030 intensity``, old, new)."""
    out: list[Change] = []
    for year in sorted(set(before) | set(after)):
        old, new = before.get(year, (None, None)), after.get(year, (None, None))
        out += [
            (f"{year} {name}", o, n)
            for name, o, n in zip(("intensity", "activity"), old, new, strict=True)
            if o != n
        ]
    return out
