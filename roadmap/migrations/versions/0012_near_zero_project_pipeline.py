"""near-zero project pipeline: a platform's projects with status dates, capacity and route

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def upgrade() -> None:
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('technology', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('announced_on', sa.Date(), nullable=True),
    sa.Column('feasibility_on', sa.Date(), nullable=True),
    sa.Column('fid_on', sa.Date(), nullable=True),
    sa.Column('construction_on', sa.Date(), nullable=True),
    sa.Column('operating_on', sa.Date(), nullable=True),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Float(), nullable=False),
    sa.Column('capacity_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('expected_intensity', sa.Float(), nullable=True),
    sa.Column('intensity_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('source_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('announced', 'feasibility', 'final investment decision', 'construction', 'operating', 'cancelled')", name=op.f('ck_project_status_known')),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_project_capacity_not_negative')),
    sa.CheckConstraint('expected_intensity IS NULL OR expected_intensity >= 0', name=op.f('ck_project_expected_intensity_not_negative')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_project_company_id_company')),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_project_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('platform_id', 'company_id', 'name', name='uq_project_name')
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_platform_id'), ['platform_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_platform_id'))
        batch_op.drop_index(batch_op.f('ix_project_company_id'))

    op.drop_table('project')
