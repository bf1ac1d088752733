"""Saving, deleting and submitting what-if drafts. Functions flush; the caller commits."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlmodel import Session

from roadmap.models import Company, Platform, Submission, User, WhatIfDraft, utcnow
from roadmap.submissions import operations as submission_operations

NAME_LENGTH = 100


def save_draft(
    table: dict[str, Any],
    *,
    name: str,
    company: Company,
    platform: Platform,
    owner: User,
    session: Session,
    draft: WhatIfDraft | None = None,
) -> WhatIfDraft:
    """Store a sandbox's table (checked by the caller with the submission rules) as a new
    draft of ``owner``, or over ``draft`` (theirs)."""
    if draft is None:
        draft = WhatIfDraft(
            user_id=owner.id,
            company_id=company.id,
            platform_id=platform.id,
            name=name[:NAME_LENGTH],
            table_json="",
        )
    draft.name = name[:NAME_LENGTH] or draft.name
    draft.platform_id = platform.id  # type: ignore[assignment]
    draft.table_json = json.dumps(table, sort_keys=True)
    draft.updated_at = utcnow()
    session.add(draft)
    session.flush()
    return draft


def delete_draft(draft: WhatIfDraft, *, session: Session) -> None:
    session.delete(draft)
    session.flush()


def submit_draft(
    typed: pd.DataFrame,
    *,
    draft: WhatIfDraft,
    company: Company,
    platform: Platform,
    user: User,
    assurance: str,
    session: Session,
) -> Submission:
    """The draft's checked rows as the company's next version, through the submission
    operations (version number, round, notifications, review); the draft stays."""
    created = submission_operations.submit(
        typed,
        company=company,
        platform=platform,
        source="what-if",
        user=user,
        assurance=assurance,
        session=session,
    )
    draft.updated_at = utcnow()
    session.add(draft)
    session.flush()
    return created
