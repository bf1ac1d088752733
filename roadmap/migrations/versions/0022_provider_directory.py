"""provider directory: providers, who keeps each listing, what they offer by stage and sector,
needs posted by companies and platforms, and providers' answers to them

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('need',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('service', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('needed_by', sa.Date(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('posted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("service IN ('vision facilitation', 'roadmap modelling', 'target setting', 'financing blueprints', 'labelling', 'research')", name=op.f('ck_need_service_known')),
    sa.CheckConstraint("status IN ('open', 'met', 'withdrawn')", name=op.f('ck_need_status_known')),
    sa.CheckConstraint('(company_id IS NULL) != (platform_id IS NULL)', name=op.f('ck_need_company_or_platform')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_need_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_need_platform_id_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posted_by_id'], ['user.id'], name=op.f('fk_need_posted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sector_id'], ['sector.id'], name=op.f('fk_need_sector_id_sector'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need'))
    )
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_sector_id'), ['sector_id'], unique=False)

    op.create_table('provider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('website', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('consultancy', 'research body', 'financier', 'standards body', 'other')", name=op.f('ck_provider_kind_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_provider_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider')),
    sa.UniqueConstraint('key', name=op.f('uq_provider_key'))
    )
    op.create_table('need_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('sent', 'accepted', 'declined')", name=op.f('ck_need_answer_status_known')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_need_answer_answered_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_need_answer_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_need_answer_need_id_need'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_need_answer_provider_id_provider'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_answer')),
    sa.UniqueConstraint('need_id', 'provider_id', name='uq_need_answer_provider')
    )
    with op.batch_alter_table('need_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_answer_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_answer_provider_id'), ['provider_id'], unique=False)

    op.create_table('provider_member',
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_provider_member_provider_id_provider'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_provider_member_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('provider_id', 'user_id', name=op.f('pk_provider_member'))
    )
    with op.batch_alter_table('provider_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_member_user_id'), ['user_id'], unique=False)

    op.create_table('provider_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('service', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=True),
    sa.Column('evidence_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.CheckConstraint("service IN ('vision facilitation', 'roadmap modelling', 'target setting', 'financing blueprints', 'labelling', 'research')", name=op.f('ck_provider_offer_service_known')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_provider_offer_provider_id_provider'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sector_id'], ['sector.id'], name=op.f('fk_provider_offer_sector_id_sector'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_offer'))
    )
    with op.batch_alter_table('provider_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_offer_provider_id'), ['provider_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('provider_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_offer_provider_id'))

    op.drop_table('provider_offer')
    with op.batch_alter_table('provider_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_member_user_id'))

    op.drop_table('provider_member')
    with op.batch_alter_table('need_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_answer_provider_id'))
        batch_op.drop_index(batch_op.f('ix_need_answer_need_id'))

    op.drop_table('need_answer')
    op.drop_table('provider')
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_sector_id'))
        batch_op.drop_index(batch_op.f('ix_need_platform_id'))
        batch_op.drop_index(batch_op.f('ix_need_company_id'))

    op.drop_table('need')
