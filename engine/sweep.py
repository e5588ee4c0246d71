"""Firing timers that have come due: the escalations and statutory clocks of every pathway.

A sweep looks only at instances whose indexed `next_due_at` has passed, so its cost follows
the number of due instances, not the number of children. Each instance is claimed with
`FOR UPDATE SKIP LOCKED` (on PostgreSQL; SQLite has one writer at a time anyway) in its
own transaction, so any number of sweepers can run and each timer fires once. One pathway
whose expression fails is stopped in error, with its message, and the sweep goes on.
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, tuple_
from SpiffWorkflow.util.task import TaskState

from models import Database, PathwayInstance

from . import audit, clock
from .pathway import describe_error, mark_error
from .runtime import advance, open_workflow, save, waiting_timers
from .specs import loaded_version


@dataclass
class SweepReport:
    instances: int = 0
    timers_fired: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def sweep(db: Database, now: datetime | None = None, limit: int | None = None) -> SweepReport:
    """Fire everything due at `now` (the application clock if not given)."""
    now = now or clock.now()
    report = SweepReport()
    cursor = None  # (next_due_at, id) of the last claim: each pathway once per sweep
    with clock.frozen_at(now):
        while limit is None or report.instances < limit:
            with db.transaction() as session:
                claimed = session.execute(_claim(now, cursor)).first()
                if claimed is None:
                    break
                cursor = tuple(claimed)
                report.instances += 1
                instance = session.get(PathwayInstance, claimed.id)
                try:
                    with session.begin_nested():
                        report.timers_fired += _fire(session, instance, now)
                except Exception as exc:  # isolate: this pathway stops, the sweep goes on
                    message = describe_error(exc)
                    mark_error(session, instance, message, now)
                    report.errors.append((instance.id, message))
    return report


def _claim(now: datetime, cursor: tuple | None):
    """The next due pathway in (next_due_at, id) order, locked, skipping ones another sweeper
    holds. Walking the next_due_at index keeps an idle sweep one short index probe."""
    due = PathwayInstance.next_due_at
    query = (select(due, PathwayInstance.id)
             .where(due <= now, PathwayInstance.status == "active")
             .order_by(due, PathwayInstance.id).limit(1)
             .with_for_update(skip_locked=True))
    if cursor is not None:
        query = query.where(tuple_(due, PathwayInstance.id) > cursor)  # typed as the columns
    return query


def _fire(session, instance: PathwayInstance, now: datetime) -> int:
    loaded = loaded_version(session, instance.diagram_version_id)
    workflow = open_workflow(instance, loaded)
    waiting = waiting_timers(workflow)
    advance(workflow)
    fired = [task for task in waiting if task.has_state(TaskState.COMPLETED)]
    for task in fired:
        spec = task.task_spec
        audit.record(session, audit.TIMER_FIRED, now, child_id=instance.child_id,
                     instance_id=instance.id, event=spec.bpmn_name or spec.bpmn_id,
                     bpmn_id=spec.bpmn_id)
    save(session, instance, workflow, now)
    session.flush()
    return len(fired)
