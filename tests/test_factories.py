"""Every table has a factory, and each factory makes a row the database accepts."""

from __future__ import annotations

from sqlmodel import SQLModel, select

from tests import factories


def test_every_table_has_a_factory_that_stores_a_row(session):
    made = {f._meta.model.__tablename__: f for f in factories._FACTORIES if not f._meta.abstract}
    assert set(made) == set(SQLModel.metadata.tables)
    for factory_class in made.values():
        row = factory_class()
        session.flush()
        assert session.exec(select(factory_class._meta.model)).first() is not None, row
