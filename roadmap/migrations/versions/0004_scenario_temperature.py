"""scenario temperature and global budget

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.add_column(sa.Column('temperature', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('global_budget', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.drop_column('global_budget')
        batch_op.drop_column('temperature')
