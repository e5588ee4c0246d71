"""a child's audit events indexed by kind and time: the child page's timeline reads the kinds
it shows without reading every 'viewed' event, which grow with each visit to the child

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-27
"""
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The new index begins with child_id: it answers everything the old one did.
    op.create_index('ix_audit_event_child_kind', 'audit_event', ['child_id', 'kind', 'at'])
    op.drop_index('ix_audit_event_child_id', table_name='audit_event')


def downgrade() -> None:
    op.create_index('ix_audit_event_child_id', 'audit_event', ['child_id'])
    op.drop_index('ix_audit_event_child_kind', table_name='audit_event')
