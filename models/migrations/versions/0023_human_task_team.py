"""the child's team kept with each task, indexed with the status and due date: a team's open
tasks (a team manager's inbox, the panel alerts) read from an index instead of joining every
open task in the council to the team's children

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # In place: SQLite takes a REFERENCES clause on a new column that may be empty
        # (Alembic asks for a batch copy of the table instead).
        op.execute("ALTER TABLE human_task ADD COLUMN team_id INTEGER REFERENCES team (id)")
    else:
        op.add_column('human_task', sa.Column('team_id', sa.Integer(), sa.ForeignKey('team.id'),
                                              nullable=True))
    op.execute("UPDATE human_task SET team_id = "
               "(SELECT child.team_id FROM child WHERE child.id = human_task.child_id)")
    op.create_index('ix_human_task_team_open', 'human_task', ['team_id', 'status', 'due_on'])


def downgrade() -> None:
    op.drop_index('ix_human_task_team_open', table_name='human_task')
    op.execute("ALTER TABLE human_task DROP COLUMN team_id")   # its foreign key with it
