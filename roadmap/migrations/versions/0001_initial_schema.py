"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('company',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company')),
    sa.UniqueConstraint('name', name=op.f('uq_company_name'))
    )
    op.create_table('scenario',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('licence', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('release_date', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario')),
    sa.UniqueConstraint('name', name=op.f('uq_scenario_name'))
    )
    op.create_table('sector',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('intensity_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sector')),
    sa.UniqueConstraint('name', name=op.f('uq_sector_name'))
    )
    op.create_table('pathway',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('intensity_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('activity_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name=op.f('fk_pathway_scenario_id_scenario'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sector_id'], ['sector.id'], name=op.f('fk_pathway_sector_id_sector')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pathway')),
    sa.UniqueConstraint('scenario_id', 'sector_id', 'region', 'scope', name='uq_pathway_series')
    )
    with op.batch_alter_table('pathway', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pathway_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pathway_sector_id'), ['sector_id'], unique=False)

    op.create_table('platform',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('net_zero_year', sa.Integer(), nullable=True),
    sa.Column('vision', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('stage BETWEEN 1 AND 4', name=op.f('ck_platform_stage_range')),
    sa.ForeignKeyConstraint(['sector_id'], ['sector.id'], name=op.f('fk_platform_sector_id_sector')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform')),
    sa.UniqueConstraint('slug', name=op.f('uq_platform_slug'))
    )
    with op.batch_alter_table('platform', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_sector_id'), ['sector_id'], unique=False)

    op.create_table('pathway_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pathway_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('intensity', sa.Float(), nullable=False),
    sa.Column('activity', sa.Float(), nullable=True),
    sa.CheckConstraint('activity IS NULL OR activity > 0', name=op.f('ck_pathway_point_activity_positive')),
    sa.CheckConstraint('intensity >= 0', name=op.f('ck_pathway_point_intensity_not_negative')),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], name=op.f('fk_pathway_point_pathway_id_pathway'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pathway_point')),
    sa.UniqueConstraint('pathway_id', 'year', name='uq_pathway_point_year')
    )
    with op.batch_alter_table('pathway_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pathway_point_pathway_id'), ['pathway_id'], unique=False)

    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('checksum', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('assurance', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_submission_version_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_submission_company_id_company')),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_submission_platform_id_platform')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission')),
    sa.UniqueConstraint('company_id', 'platform_id', 'version', name='uq_submission_version')
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_platform_id'), ['platform_id'], unique=False)

    op.create_table('trajectory_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('activity', sa.Float(), nullable=True),
    sa.Column('activity_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('emissions', sa.Float(), nullable=True),
    sa.Column('emissions_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('intensity', sa.Float(), nullable=True),
    sa.Column('intensity_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.CheckConstraint("kind IN ('reported', 'planned')", name=op.f('ck_trajectory_point_kind_known')),
    sa.CheckConstraint('activity IS NULL OR activity > 0', name=op.f('ck_trajectory_point_activity_positive')),
    sa.CheckConstraint('emissions IS NULL OR emissions >= 0', name=op.f('ck_trajectory_point_emissions_not_negative')),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_trajectory_point_submission_id_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trajectory_point')),
    sa.UniqueConstraint('submission_id', 'year', name='uq_trajectory_point_year')
    )
    with op.batch_alter_table('trajectory_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trajectory_point_submission_id'), ['submission_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('trajectory_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trajectory_point_submission_id'))

    op.drop_table('trajectory_point')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_platform_id'))
        batch_op.drop_index(batch_op.f('ix_submission_company_id'))

    op.drop_table('submission')
    with op.batch_alter_table('pathway_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pathway_point_pathway_id'))

    op.drop_table('pathway_point')
    with op.batch_alter_table('platform', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_sector_id'))

    op.drop_table('platform')
    with op.batch_alter_table('pathway', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pathway_sector_id'))
        batch_op.drop_index(batch_op.f('ix_pathway_scenario_id'))

    op.drop_table('pathway')
    op.drop_table('sector')
    op.drop_table('scenario')
    op.drop_table('company')
