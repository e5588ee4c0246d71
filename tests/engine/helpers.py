"""Small helpers for engine tests: find a child's open task, read rows back."""
import contextlib

from sqlalchemy import event, select
from sqlalchemy.orm import joinedload

from engine import open_tasks
from models import AuditEvent, HumanTask, PathwayInstance


def only_open_task(db, child_id, name=None) -> dict:
    tasks = [t for t in open_tasks(db, child_id=child_id) if name is None or t["name"] == name]
    assert len(tasks) == 1, tasks
    return tasks[0]


def instance_row(db, instance_id) -> PathwayInstance:
    with db.transaction() as s:
        return s.get(PathwayInstance, instance_id)


def task_row(db, task_id) -> HumanTask:
    with db.transaction() as s:
        return s.scalar(select(HumanTask).where(HumanTask.task_id == task_id)
                        .options(joinedload(HumanTask.completed_by)))


def audit_kinds(db, instance_id) -> list[str]:
    with db.transaction() as s:
        return list(s.scalars(select(AuditEvent.kind).where(AuditEvent.instance_id == instance_id)
                              .order_by(AuditEvent.id)))


INITIAL_PPM = {"held_on": "2026-03-10", "plan": "adoption", "contingency_plan": "Long-term fostering"}


@contextlib.contextmanager
def projection_writes(db):
    """The writes to pathway_instance, human_task and deadline made inside the block, in
    order, as (verb, table): whether the version-checked UPDATE came first (issue 15 item 5)."""
    writes = []

    def listen(conn, cursor, statement, *args):
        words = statement.split()
        if words[0] in ("INSERT", "UPDATE", "DELETE"):
            table = words[2] if words[0] in ("INSERT", "DELETE") else words[1]
            if table in ("pathway_instance", "human_task", "deadline"):
                writes.append((words[0], table))

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        yield writes
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
