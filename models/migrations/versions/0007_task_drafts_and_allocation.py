"""task drafts (save and come back later), the date a child's allocation changed, and the
child search's column

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'task_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('token', sa.String(length=64), nullable=True),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('saved_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('task_id', 'user_id'),
    )
    op.create_index('ix_task_draft_token', 'task_draft', ['token'])
    with op.batch_alter_table('child') as batch:
        batch.add_column(sa.Column('allocated_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('search_text', sa.String(length=400), nullable=False, server_default=''))
    # As models/search.py writes it (names' inner spaces are collapsed by the next save).
    op.execute("UPDATE child SET search_text = lower(name || ' | ' || reference || ' | ' || "
               "replace(replace(reference, ' ', ''), '-', ''))")
    op.create_index('ix_child_search', 'child', ['search_text', 'team_id', 'id'])


def downgrade() -> None:
    op.drop_index('ix_child_search', table_name='child')
    for column in ('search_text', 'allocated_on'):
        if op.get_bind().dialect.name == "sqlite":
            # in place (SQLite 3.35+): a batch copy of child would trip the foreign keys to it
            op.execute(f"ALTER TABLE child DROP COLUMN {column}")
        else:
            op.drop_column('child', column)
    op.drop_index('ix_task_draft_token', table_name='task_draft')
    op.drop_table('task_draft')
