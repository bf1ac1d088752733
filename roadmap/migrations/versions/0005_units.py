"""units: per-row clinker ratio and mass per passenger; a platform's CO2/CO2e statement

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('trajectory_point', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clinker_ratio', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('kg_per_passenger', sa.Float(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_trajectory_point_clinker_ratio_range'),
            'clinker_ratio IS NULL OR (clinker_ratio > 0 AND clinker_ratio <= 1)',
        )
        batch_op.create_check_constraint(
            op.f('ck_trajectory_point_kg_per_passenger_positive'),
            'kg_per_passenger IS NULL OR kg_per_passenger > 0',
        )
    # Platforms stored before this revision reconciled CO2 and CO2e figures as one quantity;
    # they keep doing so (a coordinator may untick it). The server default only fills those
    # rows (dropping it would rebuild the platform table on SQLite, which other tables
    # reference); the model gives new platforms False.
    with op.batch_alter_table('platform', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('treat_co2_as_co2e', sa.Boolean(), nullable=False, server_default='1')
        )


def downgrade() -> None:
    with op.batch_alter_table('platform', schema=None) as batch_op:
        batch_op.drop_column('treat_co2_as_co2e')
    with op.batch_alter_table('trajectory_point', schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f('ck_trajectory_point_kg_per_passenger_positive'), type_='check'
        )
        batch_op.drop_constraint(op.f('ck_trajectory_point_clinker_ratio_range'), type_='check')
        batch_op.drop_column('kg_per_passenger')
        batch_op.drop_column('clinker_ratio')
