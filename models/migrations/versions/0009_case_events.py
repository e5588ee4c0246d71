"""case events and the placement history

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('occurred_on', sa.Date(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('message', sa.String(length=60), nullable=False),
        sa.Column('caught_by', sa.JSON(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['child_id'], ['child.id']),
        sa.ForeignKeyConstraint(['instance_id'], ['pathway_instance.id']),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_case_event_child', 'case_event', ['child_id', 'occurred_on', 'id'], unique=False)
    op.create_table(
        'placement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('case_event_id', sa.Integer(), nullable=False),
        sa.Column('placement_type', sa.String(length=40), nullable=False),
        sa.Column('carers', sa.Text(), nullable=False),
        sa.Column('area', sa.String(length=20), nullable=False),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('end_reason', sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(['case_event_id'], ['case_event.id']),
        sa.ForeignKeyConstraint(['child_id'], ['child.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_placement_child', 'placement', ['child_id', 'started_on', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_placement_child', table_name='placement')
    op.drop_table('placement')
    op.drop_index('ix_case_event_child', table_name='case_event')
    op.drop_table('case_event')
