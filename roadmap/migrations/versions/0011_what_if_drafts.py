"""what-if drafts: a sandbox's table saved privately by its owner

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('what_if_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('table_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_what_if_draft_company_id_company')),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_what_if_draft_platform_id_platform')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_what_if_draft_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_what_if_draft'))
    )
    with op.batch_alter_table('what_if_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_what_if_draft_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_what_if_draft_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('what_if_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_what_if_draft_user_id'))
        batch_op.drop_index(batch_op.f('ix_what_if_draft_company_id'))
    op.drop_table('what_if_draft')
