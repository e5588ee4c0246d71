"""The outbox: every change worth telling another system or a person about, appended in the
same transaction as the change, so the feed can never tell of something that was rolled back
nor miss something that was kept. `runtime.save` writes what a save changed (it sees every
start, completion and sweep); `pathway.mark_error` writes a pathway stopping in error.

Readers (the API's event feed, webhooks, e-mail reminders) go forward by id: an event's id is
its cursor and the key a receiver de-duplicates on.
"""
from datetime import datetime

from sqlalchemy.orm import Session

from models import Deadline, HumanTask, OutboxEvent, PathwayInstance

from . import batched_rows
from .audit import jsonable

TASK_OPENED = "task.opened"
TASK_COMPLETED = "task.completed"
TASK_CANCELLED = "task.cancelled"
DEADLINE_MET = "deadline.met"
DEADLINE_MISSED = "deadline.missed"
ESCALATION = "escalation"
PLAN_CHANGED = "plan.changed"
PATHWAY_ERROR = "pathway.error"
CHILD_REGISTERED = "child.registered"
CHILD_UPDATED = "child.updated"

KINDS = (TASK_OPENED, TASK_COMPLETED, TASK_CANCELLED, DEADLINE_MET, DEADLINE_MISSED, ESCALATION,
         PLAN_CHANGED, PATHWAY_ERROR, CHILD_REGISTERED, CHILD_UPDATED)


def record(session: Session, kind: str, now: datetime, instance: PathwayInstance | None = None,
           *, child=None, **payload) -> OutboxEvent:
    """Append one event; the child's reference and team come from the instance or child."""
    event = OutboxEvent(**_values(kind, now, instance, child, payload))
    session.add(event)
    return event


def _values(kind: str, now: datetime, instance, child, payload: dict) -> dict:
    child = child if child is not None else (instance.child if instance is not None else None)
    return dict(
        kind=kind, occurred_at=now, instance_id=instance.id if instance is not None else None,
        child_id=child.id if child is not None else None,
        team_id=child.team_id if child is not None else None,
        payload=jsonable({"child_reference": child.reference if child is not None else None,
                          **payload}))


def _append(session: Session, kind: str, now: datetime, instance, **payload) -> None:
    """`record` for a save: held for one statement when the session gathers rows (a sweep)."""
    values = _values(kind, now, instance, None, payload)
    if not batched_rows.hold(session, OutboxEvent, values):
        session.add(OutboxEvent(**values))


def record_changes(session: Session, instance: PathwayInstance, changes, now: datetime) -> None:
    """Everything one save changed, in a stable order: closed work before new work."""
    for row in changes.completed:
        _append(session, TASK_COMPLETED, now, instance, **_task(row),
                completed_by=row.completed_by_id and _username(session, row.completed_by_id))
    for row in changes.cancelled:
        _append(session, TASK_CANCELLED, now, instance, **_task(row))
    for row in changes.deadlines_met:
        _append(session, DEADLINE_MET, now, instance, **_deadline(row))
    for row in changes.deadlines_missed:
        _append(session, DEADLINE_MISSED, now, instance, **_deadline(row))
    escalated = {row.task_id for row in changes.escalations}
    for row in changes.opened:
        _append(session, TASK_OPENED, now, instance, **_task(row))
        if row.task_id in escalated:
            _append(session, ESCALATION, now, instance, **_task(row),
                    missed=[d.rule for d in changes.deadlines_missed])
    if changes.route_before is not None:
        _append(session, PLAN_CHANGED, now, instance, route_before=changes.route_before,
                route=instance.route, stage=instance.stage)


def _task(row: HumanTask) -> dict:
    return {"task_id": row.task_id, "name": row.name, "lane": row.lane, "stage": row.stage,
            "due_on": row.due_on, "rule": row.rule}


def _deadline(row: Deadline) -> dict:
    return {"deadline": row.label, "rule": row.rule, "due_on": row.due_on,
            "status": row.status, "met_on": row.met_on}


def _username(session: Session, user_id: int) -> str | None:
    from models import User
    user = session.get(User, user_id)
    return user.username if user else None
