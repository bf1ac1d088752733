"""notifications: the outbox, users' opt-outs, and history entries with a kind and details

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

History entries stored before this revision get their kind from what they say.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# What entries written before said, by kind (roadmap/platforms/operations.py at 0003).
KINDS_OF_OLD_ENTRIES = [
    ('stage', ['advanced to stage %']),
    ('signatory', ['added signatory %', 'removed signatory %']),
    ('company target', ['added company target %', 'removed company target %']),
    ('demand signal', ['added demand signal %', 'removed demand signal %']),
    ('policy ask', ['added policy ask %', 'removed policy ask %']),
    ('action', ['added action %', 'removed action %', "action '%"]),
    ('pathway', ['saved pathway %']),
    ('kpi', ['saved KPI %', 'recorded %']),
]


def upgrade() -> None:
    op.create_table('notification_opt_out',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_opt_out_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'event', name=op.f('pk_notification_opt_out'))
    )
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_outbox_message_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_sent_at'), ['sent_at'], unique=False)

    # Rows already there need a value; the defaults go once they have one (the models give
    # theirs in Python).
    with op.batch_alter_table('history_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False, server_default='platform'))
        batch_op.add_column(sa.Column('detail', sa.Text(), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_history_entry_kind'), ['kind'], unique=False)
    history = sa.table('history_entry', sa.column('what', sa.String), sa.column('kind', sa.String))
    for kind, patterns in KINDS_OF_OLD_ENTRIES:
        op.execute(
            history.update()
            .where(sa.or_(*(history.c.what.like(p) for p in patterns)))
            .values(kind=kind)
        )
    with op.batch_alter_table('history_entry', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)
        batch_op.alter_column('detail', server_default=None)



def downgrade() -> None:
    with op.batch_alter_table('history_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_history_entry_kind'))
        batch_op.drop_column('detail')
        batch_op.drop_column('kind')

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_sent_at'))

    op.drop_table('outbox_message')
    op.drop_table('notification_opt_out')
