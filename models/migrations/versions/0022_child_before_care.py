"""a child known to the council before they are looked after: on the edge of care, or unborn
(A10, B1, E18): what kind, and the date the council was told

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added in place (never a batch copy of `child` on SQLite: its search triggers).
    op.add_column('child', sa.Column('before_care', sa.String(length=20), nullable=True))
    op.add_column('child', sa.Column('known_on', sa.Date(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE child DROP COLUMN known_on")
    op.execute("ALTER TABLE child DROP COLUMN before_care")
