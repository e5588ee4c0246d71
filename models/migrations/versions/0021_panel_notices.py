"""panel business by e-mail: one notice per person, kind, panel date and item; the hour the
panel calendar was last read

Revision ID: 0021
Revises: 0019
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

from models.types import UTCDateTime

revision = '0021'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'panel_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('panel_date', sa.Date(), nullable=False),
        sa.Column('item', sa.String(length=40), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('email_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['child_id'], ['child.id']),
        sa.ForeignKeyConstraint(['email_id'], ['reminder_email.id']),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'kind', 'panel_date', 'item'),
    )
    op.create_index('ix_panel_notice_waiting', 'panel_notice', ['status', 'user_id'], unique=False)
    op.add_column('reminder_progress', sa.Column('panel_hour', sa.String(length=13), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE reminder_progress DROP COLUMN panel_hour")
    op.drop_index('ix_panel_notice_waiting', table_name='panel_notice')
    op.drop_table('panel_notice')
