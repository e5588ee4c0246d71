"""sign-in safety: failed sign-ins kept to throttle guessing, and a session generation per
user so that signing out invalidates the session cookie on the server

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

import models.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0',
                                      nullable=False))
    op.create_table(
        'sign_in_failure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account', sa.String(length=80), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('failed_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_sign_in_failure_account', 'sign_in_failure', ['account', 'failed_at'])
    op.create_index('ix_sign_in_failure_address', 'sign_in_failure', ['address', 'failed_at'])


def downgrade() -> None:
    op.drop_index('ix_sign_in_failure_address', table_name='sign_in_failure')
    op.drop_index('ix_sign_in_failure_account', table_name='sign_in_failure')
    op.drop_table('sign_in_failure')
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column in place (3.35+); a batch copy of app_user would trip the
        # foreign keys that point at it.
        op.execute("ALTER TABLE app_user DROP COLUMN session_generation")
    else:
        op.drop_column('app_user', 'session_generation')
