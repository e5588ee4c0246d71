"""reminders by e-mail: each person's settings, reminders, the e-mails made of them

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

from models.types import UTCDateTime

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reminder_settings',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('frequency', sa.String(length=10), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('user_id'),
    )
    op.create_table(
        'reminder_email',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', UTCDateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('notify_id', sa.String(length=64), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('sent_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    op.create_index('ix_reminder_email_status', 'reminder_email', ['status', 'next_attempt_at'],
                    unique=False)
    op.create_index('ix_reminder_email_user_id', 'reminder_email', ['user_id'], unique=False)
    op.create_table(
        'reminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('task_id', sa.String(length=64), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('email_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['child_id'], ['child.id']),
        sa.ForeignKeyConstraint(['email_id'], ['reminder_email.id']),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'kind', 'task_id'),
    )
    op.create_index('ix_reminder_waiting', 'reminder', ['status', 'user_id'], unique=False)
    op.create_table(
        'reminder_progress',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('outbox_through', sa.Integer(), nullable=False),
        sa.Column('scanned_on', sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    # Reminders start from now: a council turning them on is not sent every task ever opened.
    op.execute("INSERT INTO reminder_progress (id, outbox_through) "
               "SELECT 1, COALESCE(MAX(id), 0) FROM outbox_event")


def downgrade() -> None:
    op.drop_table('reminder_progress')
    op.drop_index('ix_reminder_waiting', table_name='reminder')
    op.drop_table('reminder')
    op.drop_index('ix_reminder_email_user_id', table_name='reminder_email')
    op.drop_index('ix_reminder_email_status', table_name='reminder_email')
    op.drop_table('reminder_email')
    op.drop_table('reminder_settings')
