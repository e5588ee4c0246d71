"""pathway instance facts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pathway_instance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facts', sa.JSON(), nullable=False, server_default='{}'))  # rows that exist: no facts yet


def downgrade() -> None:
    with op.batch_alter_table('pathway_instance', schema=None) as batch_op:
        batch_op.drop_column('facts')
