"""PPM actions owned by staff, with due dates and escalation (A5, C12)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

from models.types import UTCDateTime

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ppm_action',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=True),
        sa.Column('source', sa.String(length=40), nullable=False),
        sa.Column('set_on', sa.Date(), nullable=False),
        sa.Column('action', sa.Text(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=True),
        sa.Column('done_note', sa.Text(), nullable=True),
        sa.Column('done_by_id', sa.Integer(), nullable=True),
        sa.Column('escalated_at', UTCDateTime(), nullable=True),
        sa.Column('escalated_to_team_id', sa.Integer(), nullable=True),
        sa.Column('escalation_note', sa.Text(), nullable=True),
        sa.Column('escalation_handled_at', UTCDateTime(), nullable=True),
        sa.Column('escalation_handled_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['child_id'], ['child.id']),
        sa.ForeignKeyConstraint(['record_id'], ['task_record.id']),
        sa.ForeignKeyConstraint(['owner_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['set_by_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['done_by_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['escalated_to_team_id'], ['team.id']),
        sa.ForeignKeyConstraint(['escalation_handled_by_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_ppm_action_open', 'ppm_action', ['status', 'due_on'], unique=False)
    op.create_index('ix_ppm_action_owner', 'ppm_action', ['owner_id', 'status'], unique=False)
    op.create_index('ix_ppm_action_child', 'ppm_action', ['child_id', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ppm_action_child', table_name='ppm_action')
    op.drop_index('ix_ppm_action_owner', table_name='ppm_action')
    op.drop_index('ix_ppm_action_open', table_name='ppm_action')
    op.drop_table('ppm_action')
