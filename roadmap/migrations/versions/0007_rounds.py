"""reporting rounds and their publications

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-02

Every platform that has submissions gets one published round, "Initial", holding all of them;
its publication holds each company's newest accepted version, which is what the dashboards
showed before rounds existed, so everyone sees the same figures after the upgrade.
"""


from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reporting_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('reported_up_to', sa.Integer(), nullable=False),
    sa.Column('plan_to', sa.Integer(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'closed', 'published')", name=op.f('ck_reporting_round_status_known')),
    sa.CheckConstraint('deadline >= opens_on', name=op.f('ck_reporting_round_deadline_after_opening')),
    sa.CheckConstraint('plan_to > reported_up_to', name=op.f('ck_reporting_round_plan_after_reported')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_reporting_round_opened_by_id_user')),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_reporting_round_platform_id_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_reporting_round_published_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_round')),
    sa.UniqueConstraint('platform_id', 'name', name='uq_reporting_round_name')
    )
    with op.batch_alter_table('reporting_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_round_platform_id'), ['platform_id'], unique=False)

    with _points_kept():
        with op.batch_alter_table('submission', schema=None) as batch_op:
            batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f('ix_submission_round_id'), ['round_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f('fk_submission_round_id_reporting_round'), 'reporting_round', ['round_id'], ['id'])
            batch_op.alter_column('status', existing_type=sqlmodel.sql.sqltypes.AutoString(length=10), type_=sqlmodel.sql.sqltypes.AutoString(length=20), existing_nullable=False)
            batch_op.drop_constraint(op.f('ck_submission_status_known'), type_='check')
            batch_op.create_check_constraint(op.f('ck_submission_status_known'), "status IN ('pending', 'accepted', 'changes_requested', 'rejected')")

    # Made after the submission table is rebuilt: it refers to it.
    op.create_table('round_publication',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_round_publication_company_id_company')),
    sa.ForeignKeyConstraint(['round_id'], ['reporting_round.id'], name=op.f('fk_round_publication_round_id_reporting_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_round_publication_submission_id_submission')),
    sa.PrimaryKeyConstraint('round_id', 'company_id', name=op.f('pk_round_publication'))
    )
    with op.batch_alter_table('round_publication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_publication_submission_id'), ['submission_id'], unique=False)

    _initial_rounds()


@contextmanager
def _points_kept() -> Iterator[None]:
    """SQLite rebuilds a table to change it; dropping the old ``submission`` table, with
    foreign keys on, deletes its trajectory points (ON DELETE CASCADE). They are copied aside
    and put back. Other databases alter the table in place."""
    sqlite = op.get_context().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TABLE _trajectory_point_kept AS SELECT * FROM trajectory_point")
    yield
    if sqlite:
        op.execute(
            "INSERT INTO trajectory_point SELECT * FROM _trajectory_point_kept "
            "WHERE id NOT IN (SELECT id FROM trajectory_point)"
        )
        op.execute("DROP TABLE _trajectory_point_kept")


def _initial_rounds() -> None:
    """One published "Initial" round per platform with submissions, holding them all, and
    publishing each company's newest accepted version. Plain SQL, so that it also runs where
    the migrations are written out as a script. The round asks for what the stored
    submissions give: reported years up to the latest reported, a plan to the latest year."""
    op.execute(
        "INSERT INTO reporting_round (platform_id, name, reported_up_to, plan_to, opens_on, "
        "deadline, status, created_at, closed_at, published_at) "
        "SELECT platform_id, 'Initial', reported, CASE WHEN last_year > reported THEN last_year "
        "ELSE reported + 1 END, CURRENT_DATE, CURRENT_DATE, 'published', CURRENT_TIMESTAMP, "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM ("
        "SELECT s.platform_id AS platform_id, COALESCE(max(CASE WHEN p.kind = 'reported' "
        "THEN p.year END), min(p.year), 2025) AS reported, COALESCE(max(p.year), 0) AS last_year "
        "FROM submission s LEFT JOIN trajectory_point p ON p.submission_id = s.id "
        "GROUP BY s.platform_id) AS stored"
    )
    op.execute(
        "UPDATE submission SET round_id = (SELECT r.id FROM reporting_round r WHERE "
        "r.platform_id = submission.platform_id AND r.name = 'Initial')"
    )
    op.execute(
        "INSERT INTO round_publication (round_id, company_id, submission_id) "
        "SELECT s.round_id, s.company_id, s.id FROM submission s WHERE s.status = 'accepted' "
        "AND s.version = (SELECT max(o.version) FROM submission o WHERE o.platform_id = "
        "s.platform_id AND o.company_id = s.company_id AND o.status = 'accepted')"
    )


def downgrade() -> None:
    op.drop_table('round_publication')
    # Changes requested had no place before rounds: such a version goes back to pending.
    op.execute("UPDATE submission SET status = 'pending' WHERE status = 'changes_requested'")
    with _points_kept():
        with op.batch_alter_table('submission', schema=None) as batch_op:
            batch_op.drop_constraint(op.f('ck_submission_status_known'), type_='check')
            batch_op.create_check_constraint(op.f('ck_submission_status_known'), "status IN ('pending', 'accepted', 'rejected')")
            batch_op.alter_column('status', existing_type=sqlmodel.sql.sqltypes.AutoString(length=20), type_=sqlmodel.sql.sqltypes.AutoString(length=10), existing_nullable=False)
            batch_op.drop_constraint(batch_op.f('fk_submission_round_id_reporting_round'), type_='foreignkey')
            batch_op.drop_index(batch_op.f('ix_submission_round_id'))
            batch_op.drop_column('round_id')

    with op.batch_alter_table('reporting_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_round_platform_id'))

    op.drop_table('reporting_round')
