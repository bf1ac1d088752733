"""one open round per platform, kept by the database: a partial unique index

Two coordinators opening (or reopening) a round at the same instant each saw no open round and
both wrote one. Where that has happened, every open round of a platform but its newest is
closed first (an older open round could take no submissions anyway: the app files each upload
into the platform's one open round).

Revision ID: 0019
Revises: 0015
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.execute(
        "UPDATE reporting_round SET status = 'closed', closed_at = CURRENT_TIMESTAMP "
        "WHERE status = 'open' AND id < ("
        "SELECT MAX(newer.id) FROM reporting_round AS newer "
        "WHERE newer.platform_id = reporting_round.platform_id AND newer.status = 'open')"
    )
    with op.batch_alter_table('reporting_round', schema=None) as batch_op:
        batch_op.create_index(
            'uq_reporting_round_one_open',
            ['platform_id'],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )


def downgrade() -> None:
    with op.batch_alter_table('reporting_round', schema=None) as batch_op:
        batch_op.drop_index('uq_reporting_round_one_open')
