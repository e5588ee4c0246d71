"""a member of staff's identity at the council's OpenID Connect provider

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('app_user', sa.Column('external_id', sa.String(length=400), nullable=True))
    op.create_index('ix_app_user_external_id', 'app_user', ['external_id'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_app_user_external_id', table_name='app_user')
    if op.get_bind().dialect.name == "sqlite":
        # in place (SQLite 3.35+): a batch copy of app_user would trip the foreign keys to it
        op.execute("ALTER TABLE app_user DROP COLUMN external_id")
    else:
        op.drop_column('app_user', 'external_id')
