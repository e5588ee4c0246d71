"""task_record: every completed task's answers kept as the child's record

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

Back-fills one record (revision 1) for each completion already in the audit trail
(`task_completed` events carry the task id, name, BPMN id and the answers), with the due
date, rule and form from the task's `human_task` row and its pathway's diagram version.
"""
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa
import models.types
from workflows.record_kinds import record_kind


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_LONDON = ZoneInfo("Europe/London")


def upgrade() -> None:
    op.create_table(
        'task_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('human_task_id', sa.Integer(), nullable=True),
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('bpmn_id', sa.String(length=120), nullable=False),
        sa.Column('task_name', sa.String(length=255), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('form', sa.JSON(), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('context', sa.JSON(), nullable=False),
        sa.Column('completed_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('completed_by_name', sa.String(length=120), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_by_name', sa.String(length=120), nullable=False),
        sa.Column('recorded_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('rule', sa.String(length=10), nullable=True),
        sa.Column('on_time', sa.Boolean(), nullable=True),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('previous_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['child_id'], ['child.id']),
        sa.ForeignKeyConstraint(['instance_id'], ['pathway_instance.id']),
        sa.ForeignKeyConstraint(['human_task_id'], ['human_task.id']),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['previous_id'], ['task_record.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('task_id', 'revision'),
    )
    op.create_index('ix_task_record_child_kind', 'task_record', ['child_id', 'kind', 'completed_at'], unique=False)
    op.create_index(op.f('ix_task_record_previous_id'), 'task_record', ['previous_id'], unique=False)
    _backfill(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f('ix_task_record_previous_id'), table_name='task_record')
    op.drop_index('ix_task_record_child_kind', table_name='task_record')
    op.drop_table('task_record')


_audit = sa.table('audit_event', sa.column('id'), sa.column('at', models.types.UTCDateTime()),
                  sa.column('actor_id'), sa.column('actor_name'), sa.column('child_id'),
                  sa.column('instance_id'), sa.column('kind'), sa.column('detail', sa.JSON()))
_task = sa.table('human_task', sa.column('id'), sa.column('task_id'), sa.column('instance_id'),
                 sa.column('bpmn_id'), sa.column('form'), sa.column('due_on', sa.Date()),
                 sa.column('rule'), sa.column('status'),
                 sa.column('completed_at', models.types.UTCDateTime()))
_instance = sa.table('pathway_instance', sa.column('id'), sa.column('diagram_version_id'))
_version = sa.table('diagram_version', sa.column('id'), sa.column('form_files', sa.JSON()))
_record = sa.table(
    'task_record', *(sa.column(c) for c in (
        'child_id', 'instance_id', 'human_task_id', 'task_id', 'bpmn_id', 'task_name', 'kind',
        'completed_by_name', 'recorded_by_id', 'recorded_by_name', 'due_on', 'rule', 'on_time',
        'revision', 'reason', 'previous_id')),
    sa.column('form', sa.JSON()), sa.column('answers', sa.JSON()), sa.column('context', sa.JSON()),
    sa.column('completed_at', models.types.UTCDateTime()),
    sa.column('recorded_at', models.types.UTCDateTime()))
_BATCH = 500


def form_snapshot(form_files: dict, name: str | None) -> dict:
    """The form as the diagram version held it: schema and UI schema (paired as load_forms does)."""
    if not name or name not in (form_files or {}):
        return {}
    ui_name = (name.replace("schema.json", "uischema.json") if name.endswith("schema.json")
               else name[:-len(".json")] + "-uischema.json")
    return {"name": name, "schema": form_files[name], "ui": form_files.get(ui_name)}


def _backfill(bind) -> None:
    """Completion events, a batch at a time, each matched to its task row: by the task id
    the event carries, or (events before it did) by pathway, BPMN id and completion time."""
    after, versions = 0, {}
    while True:
        events = list(bind.execute(
            sa.select(_audit, _instance.c.diagram_version_id)
            .select_from(_audit.join(_instance, _instance.c.id == _audit.c.instance_id))
            .where(_audit.c.kind == 'task_completed', _audit.c.id > after)
            .order_by(_audit.c.id).limit(_BATCH)).mappings())
        if not events:
            return
        after = events[-1]['id']
        tasks = list(bind.execute(sa.select(_task).where(
            _task.c.status == 'completed',
            _task.c.instance_id.in_({e['instance_id'] for e in events}))).mappings())
        by_id = {t['task_id']: t for t in tasks}
        by_moment = {(t['instance_id'], t['bpmn_id'], t['completed_at']): t for t in tasks}
        rows = [_row(bind, event, by_id, by_moment, versions) for event in events]
        rows = [row for row in rows if row]
        if rows:
            bind.execute(_record.insert(), rows)


def _row(bind, event, by_id, by_moment, versions) -> dict | None:
    detail = event['detail'] or {}
    at = event['at']
    task = by_id.get(detail.get('task_id')) or by_moment.get(
        (event['instance_id'], detail.get('bpmn_id'), at))
    if task is None or event['child_id'] is None:
        return None
    version_id = event['diagram_version_id']
    if version_id not in versions:
        versions[version_id] = bind.execute(sa.select(_version.c.form_files).where(
            _version.c.id == version_id)).scalar() or {}
    done_on = at.astimezone(_LONDON).date()
    return {
        'child_id': event['child_id'], 'instance_id': event['instance_id'],
        'human_task_id': task['id'], 'task_id': task['task_id'],
        'bpmn_id': task['bpmn_id'], 'task_name': detail.get('task') or task['bpmn_id'],
        'kind': record_kind(task['form']),
        'form': form_snapshot(versions[version_id], task['form']),
        'answers': detail.get('data') or {}, 'context': {},
        'completed_at': at, 'completed_by_name': event['actor_name'],
        'recorded_by_id': event['actor_id'], 'recorded_by_name': event['actor_name'],
        'recorded_at': at, 'due_on': task['due_on'], 'rule': task['rule'],
        'on_time': None if task['due_on'] is None else done_on <= task['due_on'],
        'revision': 1, 'reason': None, 'previous_id': None}
