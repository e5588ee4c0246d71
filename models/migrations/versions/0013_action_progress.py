"""interim progress on panel actions, recorded by their owners between panels

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

from models.types import UTCDateTime

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'action_progress',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('noted_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=False),
        sa.Column('by_name', sa.String(length=120), nullable=False),
        sa.Column('recorded_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['by_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['child_id'], ['child.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_action_progress_task', 'action_progress', ['task_id'], unique=False)
    op.create_index('ix_action_progress_child_id', 'action_progress', ['child_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_action_progress_child_id', table_name='action_progress')
    op.drop_index('ix_action_progress_task', table_name='action_progress')
    op.drop_table('action_progress')
