"""company key: a company's identity with letter case and blanks folded

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import context, op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(name: str) -> str:
    # The rule of roadmap.domain.matching.name_key, written out so that this migration keeps
    # meaning what it meant when it was written.
    return " ".join(name.split()).casefold()


def upgrade() -> None:
    # Added in place, never by copying the table: SQLite would refuse to drop a company table
    # that submissions refer to.
    op.add_column('company', sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200),
                                       nullable=False, server_default=''))
    company = sa.table('company', sa.column('id', sa.Integer), sa.column('name', sa.String),
                       sa.column('key', sa.String))
    if context.is_offline_mode():
        # A rendered SQL script cannot read rows to fold names in Python; lower() and trim() are
        # the rule for names without inner runs of blanks or letters lower() folds differently
        # from Python's casefold. The unique index below still refuses two equal keys.
        op.execute(company.update().values(key=sa.func.lower(sa.func.trim(company.c.name))))
        op.create_index(op.f('ix_company_key'), 'company', ['key'], unique=True)
        return
    connection = op.get_bind()
    rows = connection.execute(sa.select(company.c.id, company.c.name).order_by(company.c.id)).all()
    by_key: dict[str, list[str]] = defaultdict(list)
    for _id, name in rows:
        by_key[_key(name)].append(name)
    clashes = [names for names in by_key.values() if len(names) > 1]
    if clashes:
        listed = "; ".join(" / ".join(repr(n) for n in names) for names in clashes)
        raise RuntimeError(
            "these companies differ only in letter case or blanks and must be merged by hand "
            f"before upgrading: {listed}"
        )
    for company_id, name in rows:
        connection.execute(
            company.update().where(company.c.id == company_id).values(key=_key(name))
        )
    op.create_index(op.f('ix_company_key'), 'company', ['key'], unique=True)


def downgrade() -> None:
    op.drop_index(op.f('ix_company_key'), table_name='company')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('key')
