"""indexes for the managers' dashboards, children list, tracker and panel cohorts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

Two are on expressions over the `facts` JSON (last PPM, legal status and s20 endorsement),
written for each database as models/facts.py renders them, so that queries match them.
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_COLUMNS = {
    'ix_pathway_instance_summary': ('pathway_instance', ['status', 'stage', 'route', 'child_id']),
    'ix_pathway_instance_child_summary': ('pathway_instance', ['child_id', 'status', 'stage', 'route']),
    'ix_pathway_instance_version_status': ('pathway_instance', ['diagram_version_id', 'status']),
    'ix_human_task_open_due': ('human_task', ['status', 'due_on', 'rule', 'child_id']),
    'ix_human_task_open_step': ('human_task', ['status', 'bpmn_id', 'due_on', 'child_id', 'instance_id']),
    'ix_deadline_status_due': ('deadline', ['status', 'due_on', 'rule', 'child_id', 'instance_id']),
    'ix_deadline_rule': ('deadline', ['rule', 'status', 'due_on', 'child_id', 'instance_id']),
}
_EXPRESSIONS = {
    'ix_pathway_instance_last_ppm': ['{held_on}', 'status', 'stage', 'child_id'],
    'ix_pathway_instance_legal_status': ['{legal_status}', 'status', '{s20_endorsed}', '{still_s20}', 'child_id'],
}


def _fact(dialect: str, key: str) -> str:
    if dialect == 'sqlite':
        return f"json_extract(facts, '$.{key}')"
    return f"(facts ->> '{key}')"


def upgrade() -> None:
    # A task's rule joins its pathway and status, so that "is the work this missed deadline
    # guards still open?" is answered from the index.
    op.drop_index('ix_human_task_instance', table_name='human_task')
    op.create_index('ix_human_task_instance', 'human_task', ['instance_id', 'status', 'rule'], unique=False)
    for name, (table, columns) in _COLUMNS.items():
        op.create_index(name, table, columns, unique=False)
    dialect = op.get_bind().dialect.name
    for name, parts in _EXPRESSIONS.items():
        columns = ', '.join(_fact(dialect, p[1:-1]) if p.startswith('{') else p for p in parts)
        op.execute(f'CREATE INDEX {name} ON pathway_instance ({columns})')


def downgrade() -> None:
    for name in _EXPRESSIONS:
        op.drop_index(name, table_name='pathway_instance')
    for name, (table, _columns) in _COLUMNS.items():
        op.drop_index(name, table_name=table)
    op.drop_index('ix_human_task_instance', table_name='human_task')
    op.create_index('ix_human_task_instance', 'human_task', ['instance_id', 'status'], unique=False)
