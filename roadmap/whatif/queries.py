"""What-if drafts, read by their owner only, and the platforms a company's sandbox can run
on."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from roadmap.accounts.access import Viewer
from roadmap.models import Company, Platform, User, WhatIfDraft
from roadmap.submissions import queries as submission_queries

# Ids as the database stores them (a 32-bit integer on PostgreSQL; the URL converter has the
# same bound): a larger number, e.g. sent in the sandbox's hidden draft field, is no draft.
MAX_ID = 2**31 - 1


def draft(
    draft_id: int, *, owner: User, session: Session, company_id: int | None = None
) -> WhatIfDraft | None:
    """The draft, where ``owner`` made it (of ``company_id`` where given); anyone else's, or
    an id no row can have, is not found."""
    if not 0 < draft_id <= MAX_ID:
        return None
    found = session.get(WhatIfDraft, draft_id)
    if found is None or found.user_id != owner.id:
        return None
    return found if company_id is None or found.company_id == company_id else None


def drafts(company_id: int, *, owner: User, session: Session) -> list[WhatIfDraft]:
    """``owner``'s drafts of the company, most recently changed first."""
    return list(
        session.exec(
            select(WhatIfDraft)
            .where(WhatIfDraft.company_id == company_id, WhatIfDraft.user_id == owner.id)
            .order_by(WhatIfDraft.updated_at.desc(), WhatIfDraft.id.desc())
        ).all()
    )


def draft_table(found: WhatIfDraft) -> dict[str, Any]:
    """The sandbox table a draft holds: region, scope, units and ``rows`` (dicts of the row
    fields, text as typed)."""
    table: dict[str, Any] = json.loads(found.table_json)
    return table


def sandbox_platforms(company: Company, *, viewer: Viewer, session: Session) -> list[Platform]:
    """The platforms where the viewer may read a version of the company, by name: where its
    sandbox can start from a submitted plan."""
    rows = submission_queries.submissions(session=session, viewer=viewer, company_id=company.id)
    unique = {row.platform.id: row.platform for row in rows}
    return sorted(unique.values(), key=lambda p: p.name)
