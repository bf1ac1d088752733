"""gate criteria: a platform's own criteria for leaving a stage, ticked with their evidence

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('gate_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('evidence', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.CheckConstraint('stage BETWEEN 1 AND 3', name=op.f('ck_gate_criterion_stage_with_a_gate')),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_gate_criterion_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gate_criterion'))
    )
    with op.batch_alter_table('gate_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gate_criterion_platform_id'), ['platform_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('gate_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gate_criterion_platform_id'))

    op.drop_table('gate_criterion')
