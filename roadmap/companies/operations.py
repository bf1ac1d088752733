"""Writes of companies. Functions take ``session`` by keyword and flush."""

from __future__ import annotations

from sqlmodel import Session

from roadmap.companies.queries import company_named
from roadmap.models import Company


def get_or_create_company(name: str, *, session: Session) -> Company:
    company = company_named(name, session=session)
    if company is None:
        company = Company(name=name)
        session.add(company)
        session.flush()
    return company
