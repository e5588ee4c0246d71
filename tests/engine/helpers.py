"""Small helpers for engine tests: find a child's open task, read rows back."""
from sqlalchemy import select
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
