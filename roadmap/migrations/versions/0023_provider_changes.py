"""provider changes: who changed a listing of the directory, what and when

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('provider_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('what', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_provider_change_provider_id_provider'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_provider_change_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_change'))
    )
    with op.batch_alter_table('provider_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_change_provider_id'), ['provider_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('provider_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_change_provider_id'))

    op.drop_table('provider_change')
