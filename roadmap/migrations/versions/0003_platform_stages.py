"""platform stages

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('milestone_year', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_action_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_platform_id'), ['platform_id'], unique=False)

    op.create_table('company_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('target_year', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('net_zero_year', sa.Integer(), nullable=True),
    sa.Column('validation', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_company_target_company_id_company')),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_company_target_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_target'))
    )
    with op.batch_alter_table('company_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_target_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_target_platform_id'), ['platform_id'], unique=False)

    op.create_table('demand_signal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('buyer', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('product', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('volume', sa.Float(), nullable=False),
    sa.Column('volume_unit', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_demand_signal_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_signal'))
    )
    with op.batch_alter_table('demand_signal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_signal_platform_id'), ['platform_id'], unique=False)

    op.create_table('history_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('what', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_history_entry_platform_id_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_history_entry_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history_entry'))
    )
    with op.batch_alter_table('history_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_history_entry_platform_id'), ['platform_id'], unique=False)

    op.create_table('kpi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_kpi_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi'))
    )
    with op.batch_alter_table('kpi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_platform_id'), ['platform_id'], unique=False)

    op.create_table('policy_ask',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('rule', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('jurisdiction', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_policy_ask_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_ask'))
    )
    with op.batch_alter_table('policy_ask', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_ask_platform_id'), ['platform_id'], unique=False)

    op.create_table('roadmap_pathway',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('scenario', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('base_year', sa.Integer(), nullable=False),
    sa.Column('target_year', sa.Integer(), nullable=False),
    sa.Column('intensity_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('activity_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_roadmap_pathway_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roadmap_pathway'))
    )
    with op.batch_alter_table('roadmap_pathway', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roadmap_pathway_platform_id'), ['platform_id'], unique=False)

    op.create_table('signatory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_signatory_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatory'))
    )
    with op.batch_alter_table('signatory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signatory_platform_id'), ['platform_id'], unique=False)

    op.create_table('kpi_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('is_target', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi.id'], name=op.f('fk_kpi_value_kpi_id_kpi'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_value')),
    sa.UniqueConstraint('kpi_id', 'year', 'is_target', name='uq_kpi_value_year')
    )
    with op.batch_alter_table('kpi_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_value_kpi_id'), ['kpi_id'], unique=False)

    op.create_table('roadmap_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pathway_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('intensity', sa.Float(), nullable=False),
    sa.Column('activity', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['pathway_id'], ['roadmap_pathway.id'], name=op.f('fk_roadmap_milestone_pathway_id_roadmap_pathway'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roadmap_milestone')),
    sa.UniqueConstraint('pathway_id', 'year', name='uq_roadmap_milestone_year')
    )
    with op.batch_alter_table('roadmap_milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roadmap_milestone_pathway_id'), ['pathway_id'], unique=False)

    with op.batch_alter_table('platform', schema=None) as batch_op:
        batch_op.add_column(sa.Column('coverage_target', sa.Float(), nullable=False, server_default='0.5'))



def downgrade() -> None:
    with op.batch_alter_table('platform', schema=None) as batch_op:
        batch_op.drop_column('coverage_target')

    with op.batch_alter_table('roadmap_milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roadmap_milestone_pathway_id'))

    op.drop_table('roadmap_milestone')
    with op.batch_alter_table('kpi_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_value_kpi_id'))

    op.drop_table('kpi_value')
    with op.batch_alter_table('signatory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatory_platform_id'))

    op.drop_table('signatory')
    with op.batch_alter_table('roadmap_pathway', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roadmap_pathway_platform_id'))

    op.drop_table('roadmap_pathway')
    with op.batch_alter_table('policy_ask', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_ask_platform_id'))

    op.drop_table('policy_ask')
    with op.batch_alter_table('kpi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_platform_id'))

    op.drop_table('kpi')
    with op.batch_alter_table('history_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_history_entry_platform_id'))

    op.drop_table('history_entry')
    with op.batch_alter_table('demand_signal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demand_signal_platform_id'))

    op.drop_table('demand_signal')
    with op.batch_alter_table('company_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_target_platform_id'))
        batch_op.drop_index(batch_op.f('ix_company_target_company_id'))

    op.drop_table('company_target')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_platform_id'))

    op.drop_table('action')
