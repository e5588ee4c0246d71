"""the child's case details as versions, sibling groups, and their projection (issue 12 K)

Revision ID: 0015
Revises: 0013
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sibling_group',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'sibling_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('added_at', models.types.UTCDateTime(), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('removed_at', models.types.UTCDateTime(), nullable=True),
        sa.Column('removed_by_id', sa.Integer(), nullable=True),
        sa.Column('removed_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['added_by_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['child_id'], ['child.id']),
        sa.ForeignKeyConstraint(['group_id'], ['sibling_group.id']),
        sa.ForeignKeyConstraint(['removed_by_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_sibling_link_group', 'sibling_link', ['group_id', 'removed_at'], unique=False)
    op.create_index('ix_sibling_link_child', 'sibling_link', ['child_id', 'removed_at'], unique=False)
    op.create_table(
        'case_detail_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=40), nullable=False),
        sa.Column('section', sa.String(length=30), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=True),
        sa.Column('sibling_group_id', sa.Integer(), nullable=True),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['child_id'], ['child.id']),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['sibling_group_id'], ['sibling_group.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('subject', 'section', 'version', name='uq_case_detail_version'),
    )
    op.create_table(
        'child_casework',
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('sibling_group_id', sa.Integer(), nullable=True),
        sa.Column('uasc', sa.Boolean(), nullable=False),
        sa.Column('disability', sa.Boolean(), nullable=False),
        sa.Column('out_of_area', sa.Boolean(), nullable=False),
        sa.Column('family_time_review_due_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['child_id'], ['child.id']),
        sa.ForeignKeyConstraint(['sibling_group_id'], ['sibling_group.id']),
        sa.PrimaryKeyConstraint('child_id'),
    )
    op.create_index('ix_child_casework_family_time_due', 'child_casework',
                    ['family_time_review_due_on'], unique=False)
    op.create_index(op.f('ix_child_casework_sibling_group_id'), 'child_casework',
                    ['sibling_group_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_child_casework_sibling_group_id'), table_name='child_casework')
    op.drop_index('ix_child_casework_family_time_due', table_name='child_casework')
    op.drop_table('child_casework')
    op.drop_table('case_detail_version')
    op.drop_index('ix_sibling_link_child', table_name='sibling_link')
    op.drop_index('ix_sibling_link_group', table_name='sibling_link')
    op.drop_table('sibling_link')
    op.drop_table('sibling_group')
