"""pipeline KPIs, weights and publications; demand signals over years with a commitment type

KPIs computed from the project pipeline (``kpi.source``, "typed" for those stored before), a
platform's own status weights and supply utilisation (0.85 where none was set), confidential
projects' numbers as each published round saw them, and a demand signal's last year and kind
of commitment (existing signals: that one year, a procurement pledge).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def upgrade() -> None:
    op.create_table('pipeline_weight',
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_pipeline_weight_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('platform_id', 'status', name=op.f('pk_pipeline_weight'))
    )
    op.create_table('project_publication',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('technology', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Float(), nullable=False),
    sa.Column('construction_year', sa.Integer(), nullable=True),
    sa.Column('operating_year', sa.Integer(), nullable=True),
    sa.Column('cancelled_year', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_project_publication_company_id_company')),
    sa.ForeignKeyConstraint(['round_id'], ['reporting_round.id'], name=op.f('fk_project_publication_round_id_reporting_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'project_id', name=op.f('pk_project_publication'))
    )
    with op.batch_alter_table('project_publication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_publication_company_id'), ['company_id'], unique=False)

    # Plain ADD COLUMNs (constant defaults): SQLite's batch mode would copy and drop the
    # tables, which its foreign keys refuse once other tables hold rows pointing at them.
    op.add_column('demand_signal', sa.Column('until_year', sa.Integer(), nullable=True))
    op.add_column('demand_signal', sa.Column('commitment', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False, server_default='procurement pledge'))
    op.add_column('kpi', sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False, server_default='typed'))
    op.add_column('platform', sa.Column('supply_utilisation', sa.Float(), nullable=False, server_default='0.85'))


def downgrade() -> None:
    with op.batch_alter_table('platform', schema=None) as batch_op:
        batch_op.drop_column('supply_utilisation')

    with op.batch_alter_table('kpi', schema=None) as batch_op:
        batch_op.drop_column('source')

    with op.batch_alter_table('demand_signal', schema=None) as batch_op:
        batch_op.drop_column('commitment')
        batch_op.drop_column('until_year')

    with op.batch_alter_table('project_publication', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_publication_company_id'))

    op.drop_table('project_publication')
    op.drop_table('pipeline_weight')
