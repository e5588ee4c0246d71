"""Firing timers that have come due: the escalations and statutory clocks of every pathway.

A sweep looks only at instances whose indexed `next_due_at` has passed, so its cost follows
the number of due instances, not the number of children. Each instance is claimed with
`FOR UPDATE SKIP LOCKED` (on PostgreSQL; SQLite has one writer at a time anyway) in its
own transaction, so any number of sweepers can run and each timer fires once. One pathway
whose expression fails is stopped in error, with its message, and the sweep goes on.
"""
import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Integer, bindparam, select, text, tuple_
from SpiffWorkflow.util.task import TaskState

from models import Database, PathwayInstance

from . import audit, clock, fgc_clock, ppm_actions
from .pathway import describe_error, mark_error
from .runtime import advance, open_workflow, save, waiting_timers
from .specs import loaded_version


@dataclass
class SweepReport:
    instances: int = 0
    timers_fired: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    actions_escalated: int = 0   # PPM actions missed and escalated (engine.ppm_actions)
    fgcs_escalated: int = 0      # Family Group Conferences missed, told to the team manager (R6)


def sweep(db: Database, now: datetime | None = None, limit: int | None = None,
          stop: threading.Event | None = None, instance_id: int | None = None) -> SweepReport:
    """Fire everything due at `now` (the application clock if not given). A set `stop`
    ends the sweep between two claims (a worker told to stop does not finish a backlog).
    `instance_id` sweeps that one pathway (the import replays one child's past)."""
    now = now or clock.now()
    report = SweepReport()
    cursor = None  # (next_due_at, id) of the last claim: each pathway once per sweep
    with clock.frozen_at(now):
        while (limit is None or report.instances < limit) and not (stop and stop.is_set()):
            with db.transaction() as session:
                claimed = session.execute(_claim(now, cursor, db.engine.dialect.name,
                                                  instance_id)).first()
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
        if instance_id is None and not (stop and stop.is_set()):
            report.actions_escalated = ppm_actions.escalate_missed(db, now)
            report.fgcs_escalated = fgc_clock.escalate_missed(db, now)
    return report


def _claim(now: datetime, cursor: tuple | None, dialect: str = "postgresql",
           instance_id: int | None = None):
    """The next due pathway in (next_due_at, id) order, locked, skipping ones another sweeper
    holds. Walking the next_due_at index keeps an idle sweep one short index probe."""
    if dialect == "sqlite":
        return _sqlite_claim(now, cursor, instance_id)
    due = PathwayInstance.next_due_at
    query = (select(due, PathwayInstance.id)
             .where(due <= now, PathwayInstance.status == "active")
             .order_by(due, PathwayInstance.id).limit(1)
             .with_for_update(skip_locked=True))
    if cursor is not None:
        query = query.where(tuple_(due, PathwayInstance.id) > cursor)  # typed as the columns
    if instance_id is not None:
        query = query.where(PathwayInstance.id == instance_id)
    return query


DUE_INDEX = "ix_pathway_instance_due"
_SQLITE_CLAIM = ("SELECT next_due_at, id FROM pathway_instance INDEXED BY " + DUE_INDEX +
                 " WHERE next_due_at <= :now AND status = 'active'{after}{only}"
                 " ORDER BY next_due_at, id LIMIT 1")


def _sqlite_claim(now: datetime, cursor: tuple | None, instance_id: int | None = None):
    """The same claim on SQLite, naming the due index: without statistics SQLite prefers the
    status index and sorts every active pathway (520 ms an idle sweep at 100,000 children).
    SQLite has one writer at a time, so there is nothing to lock or skip."""
    due_type = PathwayInstance.next_due_at.type
    after = " AND (next_due_at, id) > (:after_due, :after_id)" if cursor else ""
    only = " AND id = :only" if instance_id is not None else ""
    query = text(_SQLITE_CLAIM.format(after=after, only=only)).bindparams(
        bindparam("now", now, type_=due_type))
    if instance_id is not None:
        query = query.bindparams(bindparam("only", instance_id, type_=Integer))
    if cursor:
        query = query.bindparams(bindparam("after_due", cursor[0], type_=due_type),
                                 bindparam("after_id", cursor[1], type_=Integer))
    return query.columns(PathwayInstance.next_due_at, PathwayInstance.id)


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
