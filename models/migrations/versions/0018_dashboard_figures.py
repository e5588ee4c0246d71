"""the dashboards' running figures and drift entries

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-26

The table starts empty; `permanence init` (and the web and worker on start) count the
figures once from the projections when none are kept yet (engine.figures.ensure).
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'dashboard_figure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('key', sa.String(length=400), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['team.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'team_id', 'key', 'day', name='uq_dashboard_figure_key'),
    )
    op.create_index('ix_dashboard_figure_day', 'dashboard_figure', ['day', 'team_id'],
                    unique=False)


    op.create_table(
        'drift_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('list', sa.String(length=20), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('shown', sa.Date(), nullable=False),
        sa.Column('since', sa.Date(), nullable=False),
        sa.Column('until', sa.Date(), nullable=False),
        sa.Column('detail', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['child_id'], ['child.id']),
        sa.ForeignKeyConstraint(['instance_id'], ['pathway_instance.id']),
        sa.ForeignKeyConstraint(['team_id'], ['team.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_drift_entry_instance_id', 'drift_entry', ['instance_id'], unique=False)
    op.create_index('ix_drift_entry_list', 'drift_entry', ['list', 'shown', 'child_id'],
                    unique=False)
    op.create_index('ix_drift_entry_team', 'drift_entry', ['list', 'team_id', 'shown', 'child_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_table('drift_entry')
    op.drop_index('ix_dashboard_figure_day', table_name='dashboard_figure')
    op.drop_table('dashboard_figure')
