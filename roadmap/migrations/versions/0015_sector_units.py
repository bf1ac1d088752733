"""sector units: product units of sectors made in the browser; who may make them

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0015'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sector_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('aliases', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('activity_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sector_unit_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sector_id'], ['sector.id'], name=op.f('fk_sector_unit_sector_id_sector'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sector_unit')),
    sa.UniqueConstraint('dimension', name=op.f('uq_sector_unit_dimension')),
    sa.UniqueConstraint('name', name=op.f('uq_sector_unit_name')),
    sa.UniqueConstraint('sector_id', name=op.f('uq_sector_unit_sector_id'))
    )
    # Users stored before this revision may not create sectors; the server default only fills
    # those rows (the model gives new users False).
    # A plain ADD COLUMN (a constant default): SQLite's batch mode would copy and drop the
    # table, which its foreign keys refuse once other tables hold rows pointing at users.
    op.add_column(
        'user',
        sa.Column('may_create_sectors', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('may_create_sectors')
    op.drop_table('sector_unit')
